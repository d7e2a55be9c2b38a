"""Settings for the test suite: the real settings module with test-safe environment defaults."""

import os
import tempfile

os.environ.setdefault("EGOV_SECRET_KEY", "test-only-secret-key-that-is-long-enough-0123456789")
os.environ.setdefault("EGOV_DATA_DIR", tempfile.mkdtemp(prefix="egov-test-"))
os.environ.setdefault("EGOV_DEMO_RELAX_2FA", "0")
os.environ.setdefault("EGOV_HTTPS", "0")

from egov.settings import *  # noqa: F403

# Fast hashing keeps the suite quick; production keeps Django's default PBKDF2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {"version": 1, "disable_existing_loggers": False}
