"""The catalogue's sheets: their column keys, the headings officers read, and the error types."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from egov.catalog.data import ProcedureData

SHEETS: dict[str, list[str]] = {
    "fields": ["code", "name"],
    "procedures": [
        "code",
        "published_code",
        "name",
        "field_code",
        "field_name",
        "levels",
        "implementing_agency",
        "applicant_types",
        "online_level",
        "legacy_level",
        "cutoff",
        "supplement_mode",
        "steps",
        "conditions",
        "results",
        "legal_basis",
        "decision_number",
        "decision_date",
        "is_example_code",
    ],
    "channels": [
        "code",
        "channel",
        "time_amount",
        "time_unit",
        "fee_kind",
        "fee_amount",
        "fee_collection",
        "fee_note",
    ],
    "papers": [
        "code",
        "order",
        "name",
        "originals",
        "certified_copies",
        "photocopies",
        "template",
        "optional",
    ],
    "steps": [
        "code",
        "level",
        "order",
        "name",
        "role",
        "unit_kind",
        "budget_amount",
        "budget_unit",
        "handover_to",
    ],
}
REQUIRED_SHEETS = ("procedures", "channels")
# Columns added later: a file written before them still imports (the value is then empty).
LATER_COLUMNS: dict[str, set[str]] = {"papers": {"optional"}}
_YES = {"yes", "true", "1", "có", "x"}
COLUMNS_SHEET = "columns"


def _h(text: str) -> Any:
    return pgettext_lazy("catalogue column", text)


_PROCEDURE_CODE = _h("Procedure code")
HEADINGS: dict[str, dict[str, Any]] = {
    "fields": {"code": _h("Field code"), "name": _h("Field name")},
    "procedures": {
        "code": _PROCEDURE_CODE,
        "published_code": _h("Published code"),
        "name": _h("Procedure name"),
        "field_code": _h("Field code"),
        "field_name": _h("Field name"),
        "levels": _h("Handling levels"),
        "implementing_agency": _h("Implementing agency"),
        "applicant_types": _h("Who may apply"),
        "online_level": _h("Online level"),
        "legacy_level": _h("Service level (2021)"),
        "cutoff": _h("Afternoon cut-off (hh:mm)"),
        "supplement_mode": _h("When papers are supplemented"),
        "steps": _h("Steps"),
        "conditions": _h("Conditions"),
        "results": _h("Results"),
        "legal_basis": _h("Legal basis"),
        "decision_number": _h("Publishing decision number"),
        "decision_date": _h("Decision date (dd/mm/yyyy)"),
        "is_example_code": _h("Illustrative code"),
    },
    "channels": {
        "code": _PROCEDURE_CODE,
        "channel": _h("Channel"),
        "time_amount": _h("Time limit"),
        "time_unit": _h("Time unit"),
        "fee_kind": _h("Fee kind"),
        "fee_amount": _h("Amount (VND)"),
        "fee_collection": _h("Fee collected"),
        "fee_note": _h("Fee note"),
    },
    "papers": {
        "code": _PROCEDURE_CODE,
        "order": _h("Order"),
        "name": _h("Paper"),
        "originals": _h("Originals"),
        "certified_copies": _h("Certified copies"),
        "photocopies": _h("Photocopies"),
        "template": _h("Form template"),
        "optional": _h("Only if any"),
    },
    "steps": {
        "code": _PROCEDURE_CODE,
        "level": _h("Handling level"),
        "order": _h("Order"),
        "name": _h("Step"),
        "role": _h("Responsible role"),
        "unit_kind": _h("Responsible unit"),
        "budget_amount": _h("Time budget"),
        "budget_unit": _h("Budget unit"),
        "handover_to": _h("Hand over to agency"),
    },
}


@dataclass(frozen=True)
class SheetError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("sheet %(sheet)s, row %(row)s, column %(column)s: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column or "-",
            "message": self.message,
        }


class SpreadsheetRejected(Exception):
    def __init__(self, errors: list[SheetError]) -> None:
        super().__init__("; ".join(str(e) for e in errors[:5]))
        self.errors = errors


@dataclass
class ParsedCatalogue:
    fields: dict[str, str]
    procedures: list[ProcedureData]
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)


Table = list[tuple[int, dict[str, str]]]
