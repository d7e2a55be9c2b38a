"""The permission table and its documentation stay in step."""

from __future__ import annotations

from pathlib import Path

from egov.documents.workflow import RULES, Action


def test_every_action_has_a_rule_and_a_line_in_the_docs() -> None:
    assert set(RULES) == set(Action)
    text = (Path(__file__).resolve().parents[3] / "docs" / "documents.md").read_text(encoding="utf-8")
    missing = [a.value for a in Action if f"`{a.value}`" not in text]
    assert not missing, f"actions missing from docs/documents.md: {missing}"
