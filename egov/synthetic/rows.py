"""Rows of synthetic dossiers: pool lives replayed week by week, each copy with its own ids, code and
applicant details (see ``egov.synthetic.bulk`` for the whole method)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from egov.catalog.models import Channel
from egov.dossiers.models import (
    Dossier,
    DossierEvent,
    DossierPaper,
    DossierState,
    DossierStep,
    Extension,
    Pause,
    PauseKind,
)
from egov.portal.models import Rating
from egov.synthetic.generate import DossierPlan
from egov.synthetic.generate.plan import WINDOW_DAYS

ENDED = frozenset({DossierState.RETURNED, DossierState.REFUSED, DossierState.WITHDRAWN, DossierState.STOPPED})
FLUSH_EVERY = 20_000  # dossiers per batch of inserts
# Share of returned dossiers the applicant rated, by channel, and the scores they gave.
RATED_SHARE: dict[str, float] = {Channel.ONLINE: 0.35, Channel.POSTAL: 0.08, Channel.DIRECT: 0.10}
SCORES = (("very_satisfied", 0.68), ("satisfied", 0.25), ("not_satisfied", 0.07))


def _week(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _t(value: dt.datetime | None, shift: dt.timedelta) -> dt.datetime | None:
    return None if value is None else value + shift


def _quotes_time(value: Any) -> bool:
    return isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T"


def _shift_data(data: dict[str, Any], shift: dt.timedelta) -> str:
    """The event's data as JSON, with the due times it quotes moved with the dossier."""
    moved = {}
    for key, value in data.items():
        if shift and _quotes_time(value):
            with contextlib.suppress(ValueError):
                value = (dt.datetime.fromisoformat(value) + shift).isoformat()
        moved[key] = value
    return json.dumps(moved, ensure_ascii=False)


@dataclass
class Batch:
    """Rows for each table, in the column order of ``TABLES``."""

    dossiers: list[tuple[Any, ...]] = field(default_factory=list)
    papers: list[tuple[Any, ...]] = field(default_factory=list)
    steps: list[tuple[Any, ...]] = field(default_factory=list)
    pauses: list[tuple[Any, ...]] = field(default_factory=list)
    extensions: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    ratings: list[tuple[Any, ...]] = field(default_factory=list)


def tables() -> dict[str, tuple[type[models.Model], tuple[str, ...]]]:
    return {
        "dossiers": (Dossier, (
            "id", "code", "procedure_version_id", "level", "receiving_unit_id", "resolving_unit_id",
            "channel", "return_method", "return_address", "applicant_kind", "applicant_name",
            "applicant_id_number", "applicant_address", "applicant_phone", "applicant_email", "summary",
            "fees_collected", "lookup_secret", "state", "received_at", "clock_started_at",
            "statutory_due_at", "due_at", "overdue_marked_at", "resolved_at", "returned_at",
            "terminated_at", "outcome", "outcome_reason", "timeliness", "postal_tracking", "returned_to",
            "current_step_id", "created_at",
        )),
        "papers": (DossierPaper, (
            "dossier_id", "name", "originals", "certified_copies", "photocopies", "supplement_round",
        )),
        "steps": (DossierStep, (
            "id", "dossier_id", "seq", "order", "name", "role", "unit_id", "status", "started_at", "due_at",
            "finished_at", "timeliness", "note", "overdue_marked_at",
        )),
        "pauses": (Pause, (
            "dossier_id", "kind", "started_at", "ended_at", "reason", "items", "contact", "restarts_clock",
        )),
        "extensions": (Extension, (
            "dossier_id", "previous_due_at", "new_due_at", "reason", "created_at", "created_by_id",
        )),
        "events": (DossierEvent, ("dossier_id", "at", "kind", "text", "data")),
        "ratings": (Rating, ("dossier_id", "user_id", "score", "comment", "created_at")),
    }  # fmt: skip


class Replayer:
    """Turns pool lives into rows for new dossiers (ids, codes and counters handed out here)."""

    def __init__(
        self,
        *,
        rng: random.Random,
        counters: dict[tuple[str, dt.date], int],
        next_ids: dict[str, int],
        generator_id: int,
        rater_id: int,
        end: dt.datetime,
    ) -> None:
        self.rng = rng
        self.end = end
        self.zone = timezone.get_current_timezone()
        self._json: dict[int, str | None] = {}  # per pool event: its JSON when no time is quoted
        self.counters = counters
        self.next_ids = next_ids
        self.generator_id = generator_id
        self.rater_id = rater_id

    def _id(self, table: str) -> int:
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    def _data(self, data: dict[str, Any], shift: dt.timedelta) -> str:
        key = id(data)  # pool lives outlive the replay, so ids are not reused meanwhile
        if key not in self._json:
            self._json[key] = None if any(map(_quotes_time, data.values())) else _shift_data(data, shift)
        return self._json[key] or _shift_data(data, shift)

    def add(self, batch: Batch, plan: DossierPlan, shift: dt.timedelta) -> None:
        rng = self.rng
        received = plan.received_at + shift
        day = received.astimezone(self.zone).date()
        key = (plan.agency_code, day)
        number = self.counters.get(key, 0) + 1
        self.counters[key] = number
        dossier_id = self._id("dossiers")
        step_ids = {s.seq: self._id("steps") for s in plan.steps}
        phone = f"0{rng.choice('389753')}{rng.randrange(10**8):08d}"
        batch.dossiers.append((
            dossier_id, f"{plan.agency_code}-{day:%y%m%d}-{number:04d}", plan.version_pk, plan.level,
            plan.receiving_unit_pk, plan.resolving_unit_pk, plan.channel, plan.return_method,
            plan.return_address, plan.applicant_kind, plan.applicant_name, plan.applicant_id_number,
            plan.applicant_address, phone, plan.applicant_email, "", plan.fees_collected,
            f"{rng.getrandbits(32):08X}", plan.state, received, _t(plan.clock_started_at, shift),
            _t(plan.statutory_due_at, shift), _t(plan.due_at, shift), _t(plan.overdue_marked_at, shift),
            _t(plan.resolved_at, shift), _t(plan.returned_at, shift), _t(plan.terminated_at, shift),
            plan.outcome, plan.outcome_reason, plan.timeliness, plan.postal_tracking, plan.returned_to,
            step_ids.get(plan.current_seq) if plan.current_seq is not None else None, received,
        ))  # fmt: skip
        batch.papers.extend((dossier_id, *paper) for paper in plan.papers)
        batch.steps.extend(
            (
                step_ids[s.seq], dossier_id, s.seq, s.order, s.name[:255], s.role, s.unit_pk, s.status,
                s.started_at + shift, s.due_at + shift, _t(s.finished_at, shift), s.timeliness, s.note,
                _t(s.overdue_marked_at, shift),
            )
            for s in plan.steps
        )  # fmt: skip
        batch.pauses.extend(
            (
                dossier_id, PauseKind.SUPPLEMENT, p.started_at + shift, _t(p.ended_at, shift), p.reason,
                p.items, p.contact, p.restarts_clock,
            )
            for p in plan.pauses
        )  # fmt: skip
        if plan.extension is not None:
            e = plan.extension
            batch.extensions.append((
                dossier_id, e.previous_due_at + shift, e.new_due_at + shift, e.reason, e.created_at + shift,
                self.generator_id,
            ))  # fmt: skip
        batch.events.extend(
            (dossier_id, e.at + shift, e.kind, e.text, self._data(e.data, shift)) for e in plan.events
        )
        rated_share = RATED_SHARE.get(plan.channel, 0.1)
        if (
            plan.state == DossierState.RETURNED
            and plan.returned_at is not None
            and rng.random() < rated_share
        ):
            score = rng.choices([s for s, _w in SCORES], [w for _s, w in SCORES])[0]
            rated = plan.returned_at + shift + dt.timedelta(minutes=rng.randint(5, 3 * 24 * 60))
            if rated <= self.end:
                batch.ratings.append((dossier_id, self.rater_id, score, "", rated))


def schedule(
    *, n: int, end: dt.datetime, years: int, start: dt.date | None = None
) -> Iterator[tuple[dt.date, int]]:
    """(Monday, number of receptions) for each week from ``start`` (or ``years`` ago) to ``end``,
    oldest first, adding up to ``n``."""
    last = _week(timezone.localtime(end).date())
    first = _week(start) if start else _week(last - dt.timedelta(days=round(365.25 * years)))
    weeks = (last - first).days // 7 + 1
    for k in range(weeks):
        yield first + dt.timedelta(weeks=k), (k + 1) * n // weeks - k * n // weeks


def replay(
    *,
    pool: Sequence[DossierPlan],
    n: int,
    end: dt.datetime,
    years: int,
    rng: random.Random,
    replayer: Replayer,
    flush: Callable[[Batch], None],
    progress: Callable[[int], None] | None = None,
    start: dt.date | None = None,
    ended_only: bool = False,
) -> int:
    """Write ``n`` dossiers week by week (oldest first); ``flush`` receives each batch of rows.

    With ``start``, nothing is received before that day; with ``ended_only``, every dossier's
    life is over by ``end`` (a history that stops at a reorganisation)."""
    weeks = _PoolWeeks(pool, end=end, ended_only=ended_only)
    batch, pending, written, carry = Batch(), 0, 0, 0
    first = dt.datetime.combine(start, dt.time(), tzinfo=timezone.get_current_timezone()) if start else None
    for monday, count in schedule(n=n, end=end, years=years, start=start):
        count += carry
        candidates, move = weeks.candidates(monday)
        if not candidates:
            carry = count  # a week with no plannable receptions (a long holiday): later weeks take it
            continue
        carry = 0
        for _at, plan, shift in _picks(rng, candidates, count, monday=monday, move=move, first=first):
            replayer.add(batch, plan, shift)
        pending += count
        written += count
        if pending >= FLUSH_EVERY:
            flush(batch)
            batch, pending = Batch(), 0
            if progress:
                progress(written)
    if pending:
        flush(batch)
    if progress:
        progress(written)
    return written


class _PoolWeeks:
    """The pool's lives by week of reception, and which of them a given week may copy."""

    def __init__(self, pool: Sequence[DossierPlan], *, end: dt.datetime, ended_only: bool) -> None:
        self.by_week: dict[dt.date, list[DossierPlan]] = {}
        for plan in pool:
            self.by_week.setdefault(_week(timezone.localtime(plan.received_at).date()), []).append(plan)
        self.ended = [p for p in pool if p.state in ENDED]
        self.window = _week(timezone.localtime(end).date() - dt.timedelta(days=WINDOW_DAYS)) + dt.timedelta(
            weeks=1
        )
        self.ended_only = ended_only

    def candidates(self, monday: dt.date) -> tuple[list[DossierPlan], bool]:
        """The lives this week may copy, and whether they are moved (to this week) or kept as planned."""
        if monday >= self.window and not self.ended_only:
            return self.by_week.get(monday, []), False  # the recent window: lives as planned, in progress too
        if monday >= self.window:  # moved back only, so that each life still ends before ``end``
            return [p for p in self.ended if _week(timezone.localtime(p.received_at).date()) >= monday], True
        return self.ended, True


def _picks(
    rng: random.Random,
    candidates: list[DossierPlan],
    count: int,
    *,
    monday: dt.date,
    move: bool,
    first: dt.datetime | None,
) -> list[tuple[dt.datetime, DossierPlan, dt.timedelta]]:
    """``count`` lives drawn for the week of ``monday``, each with its shift, in order of reception."""
    picks = []
    for _i in range(count):
        plan = rng.choice(candidates)
        shift = monday - _week(timezone.localtime(plan.received_at).date()) if move else dt.timedelta()
        if first is not None and plan.received_at + shift < first:
            shift += dt.timedelta(weeks=1)  # the week ``start`` falls in: no reception before it
        picks.append((plan.received_at + shift, plan, shift))
    picks.sort(key=lambda pick: pick[0])
    return picks
