"""The generator's inputs and its plan of each dossier, as plain data (no ORM, no primary keys)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from egov.catalog.models import Channel
from egov.workcal import Calendar

# ---------------------------------------------------------------- inputs (plain data, no ORM)


@dataclass(frozen=True)
class StepTemplate:
    order: int
    name: str
    role: str
    budget_amount: int
    budget_unit: str


@dataclass(frozen=True)
class ChannelInfo:
    channel: str
    time_amount: int
    time_unit: str
    fee: int  # collected from the applicant (0 when exempt or free)


@dataclass(frozen=True)
class PaperTemplate:
    name: str
    originals: int
    certified_copies: int
    photocopies: int


@dataclass(frozen=True)
class VersionInfo:
    pk: int
    code: str
    levels: tuple[str, ...]
    applicant_types: tuple[str, ...]
    cutoff: dt.time | None
    supplement_mode: str
    channels: tuple[ChannelInfo, ...]
    steps: tuple[tuple[str, tuple[StepTemplate, ...]], ...]  # (level, steps in order)
    papers: tuple[PaperTemplate, ...]

    def steps_for(self, level: str) -> tuple[StepTemplate, ...]:
        return next((s for lvl, s in self.steps if lvl == level), ())

    def channel(self, name: str) -> ChannelInfo:
        options = {c.channel: c for c in self.channels}
        return options.get(name) or options.get(Channel.DIRECT) or self.channels[0]


@dataclass(frozen=True)
class UnitInfo:
    """A one-stop department in operation, with what a dossier received there needs."""

    pk: int
    level: str
    committee_pk: int  # the resolving People's Committee (the one-stop's parent)
    agency_code: str
    areas: tuple[tuple[str, str], ...]  # (commune name, district name) applicants come from
    weight: float
    calendar: Calendar


# ---------------------------------------------------------------- the plan


@dataclass
class StepPlan:
    seq: int
    order: int
    name: str
    role: str
    unit_pk: int
    started_at: dt.datetime
    due_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    timeliness: str
    note: str = ""
    overdue_marked_at: dt.datetime | None = None


@dataclass
class PausePlan:
    started_at: dt.datetime
    ended_at: dt.datetime | None
    reason: str
    items: str
    contact: str
    restarts_clock: bool


@dataclass
class ExtensionPlan:
    created_at: dt.datetime
    previous_due_at: dt.datetime
    new_due_at: dt.datetime
    reason: str


@dataclass
class EventPlan:
    at: dt.datetime
    kind: str
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class DossierPlan:
    """Everything one dossier will be, as plain data (no primary keys, no code yet)."""

    version_pk: int
    level: str
    receiving_unit_pk: int
    resolving_unit_pk: int
    agency_code: str
    channel: str
    return_method: str
    return_address: str
    applicant_kind: str
    applicant_name: str
    applicant_id_number: str
    applicant_address: str
    applicant_phone: str
    applicant_email: str
    fees_collected: int
    lookup_secret: str
    state: str
    received_at: dt.datetime
    clock_started_at: dt.datetime | None = None
    statutory_due_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    overdue_marked_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    terminated_at: dt.datetime | None = None  # withdrawn or stopped
    outcome: str = ""
    outcome_reason: str = ""
    timeliness: str = ""
    postal_tracking: str = ""
    returned_to: str = ""
    current_seq: int | None = None
    code: str = ""
    steps: list[StepPlan] = field(default_factory=list)
    papers: list[tuple[str, int, int, int, int]] = field(default_factory=list)  # name, o, c, p, round
    pauses: list[PausePlan] = field(default_factory=list)
    extension: ExtensionPlan | None = None
    events: list[EventPlan] = field(default_factory=list)
