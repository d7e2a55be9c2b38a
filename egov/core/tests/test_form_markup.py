"""Issue #13: the shared field includes tie every hint and error to its field (WCAG 1.3.1, 3.3.1),
also for prefixed forms, multiple errors and groups of checkboxes."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django import forms
from django.template.loader import render_to_string

from egov.core.forms import StyledFormMixin


class _Form(StyledFormMixin, forms.Form):
    code = forms.CharField(help_text="Six digits.", min_length=6)
    levels = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if not code.isdigit():
            raise forms.ValidationError(["Digits only.", "Try again."])
        return code


def _problems(html: str) -> list[str]:
    ids = Counter(re.findall(r'\sid="([^"]*)"', html))
    problems = [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    for refs in re.findall(r'aria-describedby="([^"]*)"', html):
        problems += [f"describedby {ref} names no element" for ref in refs.split() if ref not in ids]
    problems += [
        f"label for {ref!r} names no element"
        for ref in re.findall(r'<label[^>]*\sfor="([^"]*)"', html)
        if ref not in ids
    ]
    return problems


@pytest.mark.parametrize("template", ["accounts/_form_fields.html", "portal/_fields.html"])
@pytest.mark.parametrize("prefix", [None, "refuse"])
def test_hints_and_errors_name_existing_elements(template: str, prefix: str | None) -> None:
    key = f"{prefix}-code" if prefix else "code"
    blank = render_to_string(template, {"form": _Form(prefix=prefix)})
    invalid = _Form({key: "12345x"}, prefix=prefix)
    assert not invalid.is_valid()
    html = render_to_string(template, {"form": invalid})
    assert _problems(blank) == [] and _problems(html) == []
    field_id = invalid["code"].auto_id
    # Both errors are announced with the field, and so is the hint.
    assert f'aria-describedby="{field_id}_error {field_id}_help"' in html
    assert "Digits only." in html and "Try again." in html
    # A group of checkboxes is named by a legend, not a label pointing nowhere.
    assert "<legend" in html and 'for=""' not in html
