"""Applicant notifications over e-mail and SMS: queued after commit, retried, with delivery history."""
