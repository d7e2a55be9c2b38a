"""A procedure version as plain data: what the editor, the importer and the exporter exchange.

Validation lives here so every entry path (form, spreadsheet, API) gives the same messages."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from egov.catalog.models import (
    ApplicantType,
    BudgetUnit,
    Channel,
    FeeCollection,
    FeeKind,
    HandlingLevel,
    OnlineLevel,
    StepRole,
    StepUnitKind,
    SupplementMode,
    TimeUnit,
)

HOURS_PER_DAY = 8  # the default office day; budgets are compared in office hours


@dataclass
class ChannelData:
    channel: str
    time_amount: int
    time_unit: str
    fee_kind: str = FeeKind.NONE
    fee_amount: int = 0
    fee_collection: str = FeeCollection.NONE
    fee_note: str = ""


@dataclass
class PaperData:
    order: int
    name: str
    originals: int = 0
    certified_copies: int = 0
    photocopies: int = 0
    template: str = ""
    optional: bool = False


@dataclass
class StepData:
    level: str
    order: int
    name: str
    role: str
    unit_kind: str
    budget_amount: int
    budget_unit: str
    handover_to: str = ""


@dataclass
class ProcedureData:
    code: str
    name: str
    field_code: str
    field_name: str = ""
    published_code: str = ""
    levels: list[str] = field(default_factory=list)
    implementing_agency: str = ""
    applicant_types: list[str] = field(default_factory=list)
    online_level: str = OnlineLevel.NONE
    legacy_level: int = 2
    cutoff: dt.time | None = None
    supplement_mode: str = SupplementMode.PAUSE
    steps: str = ""
    conditions: str = ""
    results: str = ""
    legal_basis: str = ""
    decision_number: str = ""
    decision_date: dt.date | None = None
    is_example_code: bool = False
    channels: list[ChannelData] = field(default_factory=list)
    papers: list[PaperData] = field(default_factory=list)
    process: list[StepData] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings) for audit snapshots and comparisons."""
        raw = asdict(self)
        raw["cutoff"] = self.cutoff.strftime("%H:%M") if self.cutoff else None
        raw["decision_date"] = self.decision_date.isoformat() if self.decision_date else None
        return raw


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data; ``where`` names the part (e.g. "channels[1]") for reports."""

    where: str
    column: str
    message: str


def _choice(value: str, choices: type, where: str, column: str, problems: list[Problem]) -> None:
    allowed = [c.value for c in choices]  # type: ignore[attr-defined]
    if value not in allowed:
        problems.append(
            Problem(
                where,
                column,
                _("“%(value)s” is not one of: %(allowed)s") % {"value": value, "allowed": ", ".join(allowed)},
            )
        )


def _level_label(level: str) -> str:
    """The level in words, lower-cased for use inside a sentence ("cấp huyện")."""
    label = str(HandlingLevel(level).label) if level in HandlingLevel.values else level
    return label[:1].lower() + label[1:]


def budget_hours(amount: int, unit: str) -> int:
    return amount * HOURS_PER_DAY if unit in (BudgetUnit.WORKING_DAYS, TimeUnit.CALENDAR_DAYS) else amount


def legal_limit_hours(data: ProcedureData) -> int | None:
    """The direct channel's limit in office hours (the legal limit the budgets must fit in)."""
    chosen = next((c for c in data.channels if c.channel == Channel.DIRECT), None) or (
        data.channels[0] if data.channels else None
    )
    if chosen is None or chosen.time_amount <= 0:
        return None
    return budget_hours(chosen.time_amount, chosen.time_unit)


def validate(data: ProcedureData, *, for_publishing: bool = False) -> list[Problem]:
    """Everything that makes a procedure unusable, as field-level problems (Vietnamese messages)."""
    problems: list[Problem] = []
    head = "procedure"
    if not data.code.strip():
        problems.append(Problem(head, "code", _("must not be empty")))
    if not data.name.strip():
        problems.append(Problem(head, "name", _("must not be empty")))
    if not data.field_code.strip():
        problems.append(Problem(head, "field_code", _("must not be empty")))
    for level in data.levels:
        _choice(level, HandlingLevel, head, "levels", problems)
    if not data.levels:
        problems.append(Problem(head, "levels", _("choose at least one handling level")))
    for kind in data.applicant_types:
        _choice(kind, ApplicantType, head, "applicant_types", problems)
    _choice(data.online_level, OnlineLevel, head, "online_level", problems)
    _choice(data.supplement_mode, SupplementMode, head, "supplement_mode", problems)
    if not 1 <= data.legacy_level <= 4:
        problems.append(Problem(head, "legacy_level", _("must be 1, 2, 3 or 4")))
    seen_channels: set[str] = set()
    for i, ch in enumerate(data.channels, start=1):
        where = f"channels[{i}]"
        _choice(ch.channel, Channel, where, "channel", problems)
        if ch.channel in seen_channels:
            problems.append(Problem(where, "channel", _("this channel is listed twice")))
        seen_channels.add(ch.channel)
        if ch.time_amount <= 0:
            problems.append(
                Problem(where, "time_amount", _("the time limit must be a positive whole number"))
            )
        elif ch.time_amount > 1098:
            problems.append(Problem(where, "time_amount", _("the time limit is longer than three years")))
        _choice(ch.time_unit, TimeUnit, where, "time_unit", problems)
        _choice(ch.fee_kind, FeeKind, where, "fee_kind", problems)
        _choice(ch.fee_collection, FeeCollection, where, "fee_collection", problems)
        if ch.fee_amount < 0:
            problems.append(Problem(where, "fee_amount", _("the fee cannot be negative")))
        if ch.fee_kind == FeeKind.NONE and ch.fee_amount:
            problems.append(Problem(where, "fee_amount", _("a channel without a fee must have amount 0")))
    if not data.channels:
        problems.append(Problem(head, "channels", _("add at least one channel with its time limit")))
    if data.online_level != OnlineLevel.NONE and Channel.ONLINE not in seen_channels:
        problems.append(Problem(head, "online_level", _("an online procedure needs an online channel")))
    for i, paper in enumerate(data.papers, start=1):
        where = f"papers[{i}]"
        if not paper.name.strip():
            problems.append(Problem(where, "name", _("must not be empty")))
        if min(paper.originals, paper.certified_copies, paper.photocopies) < 0:
            problems.append(Problem(where, "originals", _("counts cannot be negative")))
        if paper.originals + paper.certified_copies + paper.photocopies == 0:
            problems.append(Problem(where, "originals", _("say how many originals or copies are needed")))
    problems.extend(_validate_process(data, for_publishing=for_publishing))
    return problems


def _validate_process(data: ProcedureData, *, for_publishing: bool) -> list[Problem]:
    problems: list[Problem] = []
    limit = legal_limit_hours(data)
    by_level: dict[str, list[StepData]] = {}
    for i, step in enumerate(data.process, start=1):
        where = f"process[{i}]"
        _choice(step.level, HandlingLevel, where, "level", problems)
        if step.level not in data.levels:
            problems.append(Problem(where, "level", _("the procedure is not handled at this level")))
        _choice(step.role, StepRole, where, "role", problems)
        _choice(step.unit_kind, StepUnitKind, where, "unit_kind", problems)
        _choice(step.budget_unit, BudgetUnit, where, "budget_unit", problems)
        if step.budget_amount <= 0:
            problems.append(
                Problem(where, "budget_amount", _("the time budget must be a positive whole number"))
            )
        if not step.name.strip():
            problems.append(Problem(where, "name", _("must not be empty")))
        by_level.setdefault(step.level, []).append(step)
    for level, steps in by_level.items():
        orders = [s.order for s in steps]
        if len(set(orders)) != len(orders):
            problems.append(
                Problem(
                    "process",
                    "order",
                    _("two steps at level %(level)s have the same order") % {"level": _level_label(level)},
                )
            )
        total = sum(budget_hours(s.budget_amount, s.budget_unit) for s in steps)
        if limit is not None and total > limit:
            problems.append(
                Problem(
                    "process",
                    "budget_amount",
                    _(
                        "the steps at level %(level)s take %(total)s working hours, more than the legal limit of %(limit)s"
                    )
                    % {"level": _level_label(level), "total": total, "limit": limit},
                )
            )
    if for_publishing:
        for level in data.levels:
            if level not in by_level:
                problems.append(
                    Problem(
                        "process",
                        "level",
                        _("no internal process for level %(level)s") % {"level": _level_label(level)},
                    )
                )
    return problems
