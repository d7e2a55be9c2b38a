"""One synthetic document at a time, as the services would have left it: an incoming document
from outside registered by an agency's clerk, a document drafted, reviewed and issued by an
agency and delivered at once to the agencies it is sent to, or a draft still in review. Every
entry then goes to the leader, gets a direction and its assignments, and is handled (mostly on
time, some late, some still open, a few overdue), then filed in the agency's work files."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from egov.documents.models import (
    TYPE_ABBREVIATIONS,
    AssignmentRole,
    AssignmentState,
    DocumentType,
    DraftState,
    EntryState,
    FileRole,
    LinkKind,
    Medium,
    NoteKind,
    ReviewState,
    Secrecy,
    TextState,
    Urgency,
)
from egov.synthetic.documents import vocab
from egov.synthetic.documents.agencies import AgencyInfo
from egov.synthetic.documents.tables import Batch
from egov.workcal import Limit, due

H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
URGENCIES = ((Urgency.NORMAL, 90), (Urgency.URGENT, 7), (Urgency.VERY_URGENT, 2), (Urgency.IMMEDIATE, 1))
DEADLINE_DAYS = (3, 5, 5, 7, 7, 10, 10, 15, 20)


@dataclass(frozen=True)
class StoredFile:
    """The one small PDF every generated file row points at, stored once."""

    name: str
    sha256: str
    size: int


def _pick(rng: random.Random, weighted: tuple[tuple[Any, float], ...]) -> Any:
    return rng.choices([v for v, _w in weighted], [w for _v, w in weighted])[0]


class Builder:
    """Builds the rows of the documents handed to it in time order; hands out ids and numbers."""

    def __init__(
        self, *, rng: random.Random, end: dt.datetime, next_ids: dict[str, int],
        counters: dict[tuple[int, int], int], stored: StoredFile, workfiles: Any,
    ) -> None:  # fmt: skip
        self.rng = rng
        self.end = end
        self.next_ids = next_ids
        self.counters = counters
        self.stored = stored
        self.workfiles = workfiles
        self.batch = Batch()
        self.documents = 0

    def _id(self, table: str) -> int:
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    def _number(self, register: int, year: int) -> int:
        n = self.counters.get((register, year), 0) + 1
        self.counters[(register, year)] = n
        return n

    def _subject(self, doc_type: str, year: int) -> str:
        opening = self.rng.choice(vocab.OPENINGS.get(DocumentType(doc_type), ("V/v",)))
        matter = self.rng.choice(vocab.MATTERS).format(y=year, y1=year + 1)
        return f"{opening} {matter}"

    def _file(self, document: int, role: str, by: int | None, at: dt.datetime, label: str, text: str) -> None:
        name = (label.replace("/", "-").replace(" ", "-") or "van-ban")[:200] + ".pdf"
        self.batch.add("files", (
            document, role, 1, name, self.stored.name, self.stored.sha256, self.stored.size, "application/pdf",
            by, at, "", None, None, text, TextState.DONE,
        ))  # fmt: skip

    # ------------------------------------------------------------------ incoming from outside

    def external(self, agency: AgencyInfo, at: dt.datetime) -> None:
        rng = self.rng
        doc_type = _pick(rng, vocab.INCOMING_TYPES)
        issuer, issuer_abbr = rng.choice(vocab.OUTSIDE_ISSUERS)
        type_abbr = TYPE_ABBREVIATIONS[DocumentType(doc_type)]
        notation = (
            f"{type_abbr}-{issuer_abbr}"
            if type_abbr
            else f"{issuer_abbr}-{rng.choice(vocab.OUTSIDE_DIVISIONS)}"
        )
        sequence = rng.randint(1, 2500 if doc_type == DocumentType.CONG_VAN else 400)
        secrecy = Secrecy.SECRET if rng.random() < 0.01 else Secrecy.NONE
        paper = rng.random() < (0.5 if at.year <= 2021 else 0.2)
        medium = Medium.PAPER if paper else Medium.ELECTRONIC
        issued_on = at.date() - dt.timedelta(days=rng.randint(1, 6))
        urgency = _pick(rng, URGENCIES)
        subject = self._subject(doc_type, at.year)
        registered = min(at + dt.timedelta(minutes=rng.randint(3, 90)), self.end)
        doc = self._id("documents")
        self.batch.add("documents", (
            doc, doc_type, f"{sequence:02d}", sequence, notation, issued_on, issuer, "", None, subject, "", "vi",
            rng.randint(1, 12), rng.choice(("Bộ trưởng", "Thứ trưởng", "Chánh Văn phòng", "Giám đốc")), "",
            urgency, secrecy, None, None, "", medium, DraftState.ISSUED, None, None, None, None, None, None, "",
            None, False, registered, registered,
        ))  # fmt: skip
        text = f"{issuer}\nSố: {sequence:02d}/{notation}\n{subject}\n{vocab.BODY}"
        role = FileRole.SCAN if paper else FileRole.MAIN
        self._file(doc, role, agency.people["clerk"][0], registered, f"{sequence:02d}-{notation}", text)
        register = agency.registers["DENM" if secrecy != Secrecy.NONE else "DEN"]
        entry = self._entry(agency, doc, urgency, at, medium, register, registered)
        if entry is not None and secrecy == Secrecy.NONE:
            agency.recent_incoming.append(doc)
            del agency.recent_incoming[:-20]
        self.documents += 1

    # ------------------------------------------------------------------ entries and handling

    def _entry(
        self, agency: AgencyInfo, doc: int, urgency: str, arrived: dt.datetime, medium: str, register: int,
        registered: dt.datetime | None,
    ) -> int | None:  # fmt: skip
        """The entry in the agency's queue, numbered when registered, submitted, directed, handled."""
        rng = self.rng
        clerk, leader = agency.people["clerk"][0], agency.people["leader"][0]
        limit = Limit.working_days(1) if urgency == Urgency.NORMAL else Limit.working_hours(2)
        submit_due = due(start=arrived, limit=limit, cal=agency.calendar)
        entry = self._id("entries")
        year = number = None
        if registered is not None:
            year = arrived.astimezone(self.end.tzinfo).year
            number = self._number(register, year)
        submitted = None
        if registered is not None:
            late = rng.random() < 0.06
            on_time = min(registered + rng.uniform(0.2, 4) * H, submit_due - dt.timedelta(minutes=5))
            submitted = (submit_due + rng.uniform(0.5, 20) * H) if late else max(on_time, registered)
            if submitted > self.end:
                submitted = None
        handled = self._direct(agency, entry, submitted) if submitted is not None else None
        state: str
        if handled is None:
            state = EntryState.SUBMITTED if submitted else EntryState.REGISTERED
            due_at = done_at = None
        else:
            state, due_at, done_at = handled
        # Delivered inside egov: acknowledged on arrival; from outside: when registered (not paper).
        acknowledged = (
            arrived if medium == Medium.INTERNAL else None if medium == Medium.PAPER else registered
        )
        self.batch.add("entries", (
            entry, doc, agency.pk, register if number else None, year, number, arrived, medium, state, registered,
            clerk if registered else None, acknowledged, submit_due, submitted, leader if submitted else None, None,
            due_at, done_at, "", "", None, arrived,
        ))  # fmt: skip
        if done_at is not None and rng.random() < 0.4:
            self.workfiles.add(self.batch, agency, doc, done_at, rng.choice(("01", "02", "03")))
        return entry

    def _direct(
        self, agency: AgencyInfo, entry: int, submitted: dt.datetime
    ) -> tuple[str, dt.datetime | None, dt.datetime | None] | None:
        """The leader's direction and the assignments; (entry state, deadline, done) or None."""
        rng = self.rng
        at = submitted + rng.uniform(0.3, 8) * H
        if at > self.end:
            return None
        leader = agency.people["leader"][0]
        direction = self._id("directions")
        units = agency.divisions
        if rng.random() < 0.2:  # for information only: filed
            target = rng.choice(units)[0] if units else agency.pk
            self.batch.add("directions", (direction, entry, None, leader, None, rng.choice(vocab.INFORM_DIRECTIONS),
                                          None, at))  # fmt: skip
            self._assign(entry, direction, AssignmentRole.INFORM, target, None, leader, None, at, at + 2 * H)
            return EntryState.FILED, None, at
        deadline = due(start=at, limit=Limit.working_days(rng.choice(DEADLINE_DAYS)), cal=agency.calendar)
        specialist, head = agency.people["specialist"], agency.people["head"]
        to_person = rng.random() < 0.6 or not units
        lead_unit = None if to_person else units[-1][0]
        lead_name = specialist[1] if to_person else units[-1][1]
        text = rng.choice(vocab.DIRECTIONS).format(lead=lead_name)
        self.batch.add("directions", (direction, entry, None, leader, None, text[:2000], deadline, at))
        finished = self._finish_time(at, deadline)
        lead = self._assign(
            entry,
            direction,
            AssignmentRole.LEAD,
            lead_unit,
            specialist[0] if to_person else None,
            leader,
            deadline,
            at,
            finished,
        )
        done_by = specialist[0] if to_person else head[0]
        if finished is not None and finished <= self.end:
            self.batch.add("notes", (lead, NoteKind.DONE, done_by, rng.choice(vocab.DONE_NOTES), finished))
        if units and rng.random() < 0.5:
            co_finished = None if finished is None else at + (finished - at) * rng.uniform(0.3, 0.9)
            self._assign(
                entry, direction, AssignmentRole.CO, units[0][0], None, leader, deadline, at, co_finished
            )
        if rng.random() < 0.3:
            self._assign(entry, direction, AssignmentRole.INFORM, None, head[0], leader, None, at, at + 3 * H)
        if finished is not None and finished <= self.end:
            return EntryState.DONE, deadline, finished
        return EntryState.IN_PROGRESS, deadline, None

    def _finish_time(self, at: dt.datetime, deadline: dt.datetime) -> dt.datetime | None:
        """Most finish on time, some late, a few much later (still open at the end, then overdue),
        one in a hundred never (the backlog every office has)."""
        r = self.rng.random()
        if r >= 0.99:
            return None
        if r < 0.82:
            return at + (deadline - at) * self.rng.uniform(0.15, 0.97)
        if r < 0.94:
            return deadline + self.rng.uniform(2, 96) * H
        return deadline + self.rng.uniform(5, 60) * DAY

    def _assign(
        self, entry: int, direction: int, role: str, unit: int | None, person: int | None, by: int,
        deadline: dt.datetime | None, at: dt.datetime, finished: dt.datetime | None,
    ) -> int:  # fmt: skip
        assignment = self._id("assignments")
        started = at + self.rng.uniform(0.5, 20) * H
        if finished is not None and finished <= self.end:
            started = min(started, finished)
            state, done_at = AssignmentState.DONE, finished
        else:
            state = AssignmentState.IN_PROGRESS if started <= self.end else AssignmentState.PENDING
            done_at = None
        started_at = None if state == AssignmentState.PENDING else started
        overdue = None
        if done_at is None and deadline is not None and deadline < self.end:
            overdue = min(deadline + dt.timedelta(minutes=1), self.end)  # the sweep's minute
        self.batch.add("assignments", (
            assignment, entry, direction, role, unit, person, by, deadline, state, at, started_at, done_at, None,
            overdue, None,
        ))  # fmt: skip
        return assignment

    # ------------------------------------------------------------------ outgoing

    def _draft_fields(self, agency: AgencyInfo, doc_type: str) -> tuple[int | None, str]:
        """The drafting division (for an official letter, its abbreviation follows the agency's)."""
        type_abbr = TYPE_ABBREVIATIONS[DocumentType(doc_type)]
        if not agency.divisions:
            return None, f"{type_abbr}-{agency.abbreviation}" if type_abbr else agency.abbreviation
        division = self.rng.choice(agency.divisions)
        if type_abbr:
            return division[0], f"{type_abbr}-{agency.abbreviation}"
        return division[0], "-".join(p for p in (agency.abbreviation, division[2]) if p)

    def issued(self, agency: AgencyInfo, at: dt.datetime, recipients: list[AgencyInfo]) -> None:
        """Drafted, reviewed by the head of division and the leader, issued by the clerk with the
        next number of the outgoing register, delivered at once to the recipients inside egov."""
        rng = self.rng
        doc_type = _pick(rng, vocab.OUTGOING_TYPES)
        division, notation = self._draft_fields(agency, doc_type)
        register = agency.registers.get("QD") if doc_type == DocumentType.QUYET_DINH else None
        register = register or agency.registers["DI"]
        local = at.astimezone(self.end.tzinfo)
        sequence = self._number(register, local.year)
        number = f"{sequence:02d}"
        identifier = f"{agency.code},{local:%Y/%m/%d},{number}/{notation}" if agency.code else ""
        urgency = _pick(rng, URGENCIES)
        subject = self._subject(doc_type, local.year)
        drafted = at - rng.uniform(1, 6) * DAY
        clerk, leader = agency.people["clerk"], agency.people["leader"]
        specialist = agency.people["specialist"]
        doc = self._id("documents")
        self.batch.add("documents", (
            doc, doc_type, number, sequence, notation, local.date(), agency.name, agency.code, agency.pk, subject,
            "", "vi", rng.randint(1, 8), agency.signer, leader[1][:50], urgency, Secrecy.NONE, None,
            len(recipients) + 1, identifier, Medium.INTERNAL, DraftState.ISSUED, division or agency.pk,
            specialist[0], register, local.year, at, clerk[0], "", None, False, drafted, at,
        ))  # fmt: skip
        self._reviews(doc, agency, division, drafted, approved=2, until=at)
        text = f"{agency.name}\nSố: {number}/{notation}\n{subject}\n{vocab.BODY}"
        self._file(doc, FileRole.MAIN, clerk[0], at, f"{number}-{notation}", text)
        for recipient in recipients:
            registered = at + rng.uniform(0.1, 6) * H
            entry = self._entry(
                recipient, doc, urgency, at, Medium.INTERNAL, recipient.registers["DEN"],
                registered if registered <= self.end else None,
            )  # fmt: skip
            self.batch.add("recipients", (doc, recipient.pk, recipient.name, recipient.code, entry, at, None))
        if rng.random() < 0.4:
            name, _abbr = rng.choice(vocab.OUTSIDE_ISSUERS)
            self.batch.add("recipients", (doc, None, name, "", None, None, None))
        if agency.recent_incoming and rng.random() < 0.25:
            self.batch.add("links", (doc, agency.recent_incoming.pop(), LinkKind.ANSWERS))
        self.workfiles.add(self.batch, agency, doc, at, "04")
        self.documents += 1

    def _reviews(
        self, doc: int, agency: AgencyInfo, division: int | None, drafted: dt.datetime, approved: int,
        until: dt.datetime,
    ) -> None:  # fmt: skip
        """The review chain of the profile (head of division, then leader): ``approved`` steps done."""
        head, leader = agency.people["head"][0], agency.people["leader"][0]
        steps = (("head_of_division", division or agency.pk, head), ("agency_leader", agency.pk, leader))
        for order, (role, unit, reviewer) in enumerate(steps, 1):
            done = order <= approved
            acted = min(drafted + order * self.rng.uniform(2, 10) * H, until) if done else None
            self.batch.add("reviews", (
                doc, 1, order, role, unit, ReviewState.APPROVED if done else ReviewState.PENDING,
                reviewer if done else None, "Đồng ý." if done else "", acted,
            ))  # fmt: skip

    def draft(self, agency: AgencyInfo, at: dt.datetime) -> None:
        """A draft not issued yet: being written, in review (at the head or the leader) or approved."""
        rng = self.rng
        doc_type = _pick(rng, vocab.OUTGOING_TYPES)
        division, _notation = self._draft_fields(agency, doc_type)
        specialist = agency.people["specialist"]
        r = rng.random()
        state, approved = (
            (DraftState.DRAFT, -1)
            if r < 0.2
            else (DraftState.APPROVED, 2)
            if r > 0.85
            else (DraftState.IN_REVIEW, int(r > 0.5))
        )
        doc = self._id("documents")
        self.batch.add("documents", (
            doc, doc_type, "", None, "", None, agency.name, agency.code, agency.pk, self._subject(doc_type, at.year),
            "", "vi", None, agency.signer, "", Urgency.NORMAL, Secrecy.NONE, None, None, "", Medium.INTERNAL,
            state, division or agency.pk, specialist[0], None, None, None, None, "", None, False, at, at,
        ))  # fmt: skip
        if approved >= 0:
            self._reviews(doc, agency, division, at, approved, until=self.end)
        self._file(doc, FileRole.DRAFT, specialist[0], at, f"du-thao-{doc}", vocab.BODY)
        self.documents += 1
