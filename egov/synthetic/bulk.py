# long: to be split (issue #23)
"""Bulk synthetic dossiers for benchmarks: millions of complete dossiers in minutes (COPY on PostgreSQL).

Each dossier is a whole life, like the demo history (egov.synthetic.generate): papers, steps with
their own due times, supplement pauses, extensions, a timeline, an outcome and, for some, the
applicant's rating. Planning a life on the working calendar costs about a millisecond, too slow
for millions, so a *pool* of lives is planned once with the demo planner over its recent window
(about 150 days before ``end``) and then replayed:

- dossiers received inside the recent window are copies of pool lives received that week, as
  they are (the in-progress, overdue and waiting-for-pickup dossiers live there);
- older dossiers are copies of pool lives that ended (returned, refused, withdrawn, stopped),
  moved back by whole weeks, so weekday and time of day are kept; public holidays are not
  re-checked after the move.

Each copy gets its own applicant phone number and look-up code; dossier codes are consecutive per
agency and day in order of reception and continue the daily counters. Receptions are spread
evenly over ``years`` years. The level, channel, on-time and outcome distributions are the
planner's (about 12 % province, 38 % district, 50 % commune; about 82 % resolved on time).

Deterministic for a seed and ``end``. Not audited per row: one audit entry records the run, and
that entry is also how the generator tells its own dossiers from real ones (``generated_count``).
Never use this on a database that holds real data."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from egov.accounts.types import Actor
from egov.catalog.models import Channel
from egov.dossiers.models import (
    DailyCounter,
    Dossier,
    DossierEvent,
    DossierPaper,
    DossierState,
    DossierStep,
    Extension,
    Pause,
    PauseKind,
)
from egov.synthetic.generate import DossierPlan, load_inputs, plan_history
from egov.synthetic.generate.plan import WINDOW_DAYS

UTC = dt.UTC
ENDED = frozenset({DossierState.RETURNED, DossierState.REFUSED, DossierState.WITHDRAWN, DossierState.STOPPED})
POOL_SIZE = 8000
FLUSH_EVERY = 20_000  # dossiers per batch of inserts
GENERATOR_USERNAME = "bench-generator"
RATER_USERNAME = "bench-citizen"
# Share of returned dossiers the applicant rated, by channel, and the scores they gave.
RATED_SHARE: dict[str, float] = {Channel.ONLINE: 0.35, Channel.POSTAL: 0.08, Channel.DIRECT: 0.10}
SCORES = (("very_satisfied", 0.68), ("satisfied", 0.25), ("not_satisfied", 0.07))


class GenerateRefused(Exception):
    """The database is not one the generator may write to (without ``force``)."""


# ---------------------------------------------------------------- guard


def generated_count() -> int:
    """How many dossiers earlier runs of the generator wrote (from their audit entries)."""
    from egov.audit.models import AuditEntry, AuditEvent

    return sum(
        int((after or {}).get("dossiers", 0))
        for after in AuditEntry.objects.filter(event=AuditEvent.BULK_GENERATED).values_list(
            "after", flat=True
        )
    )


def refusal() -> str:
    """Why the generator must not write to this database, or ``""`` when it may."""
    from egov.accounts.models import User

    if User.objects.filter(is_demo=True).exists():
        return (
            "this is the demo database (it has the demo accounts); point EGOV_DATABASE_URL at a "
            "separate database for benchmarks, or pass --force"
        )
    others = Dossier.objects.count() - generated_count()
    if others > 0:
        return (
            f"the database holds {others:,} dossiers that the generator did not write; use a fresh "
            "database, or pass --force"
        )
    return ""


# ---------------------------------------------------------------- rows


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


def _tables() -> dict[str, tuple[type[models.Model], tuple[str, ...]]]:
    from egov.portal.models import Rating

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


# long: to be split (issue #23)
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
    by_week: dict[dt.date, list[DossierPlan]] = {}
    for plan in pool:
        by_week.setdefault(_week(timezone.localtime(plan.received_at).date()), []).append(plan)
    ended = [p for p in pool if p.state in ENDED]
    window = _week(timezone.localtime(end).date() - dt.timedelta(days=WINDOW_DAYS)) + dt.timedelta(weeks=1)
    batch, pending, written, carry = Batch(), 0, 0, 0
    first = dt.datetime.combine(start, dt.time(), tzinfo=timezone.get_current_timezone()) if start else None
    for monday, count in schedule(n=n, end=end, years=years, start=start):
        count += carry
        if (
            monday >= window and not ended_only
        ):  # the recent window: lives as planned, in progress ones included
            candidates, move = by_week.get(monday, []), False
        elif monday >= window:  # moved back only, so that each life still ends before ``end``
            candidates = [p for p in ended if _week(timezone.localtime(p.received_at).date()) >= monday]
            move = True
        else:
            candidates, move = ended, True
        if not candidates:
            carry = count  # a week with no plannable receptions (a long holiday): later weeks take it
            continue
        carry = 0
        picks = []
        for _i in range(count):
            plan = rng.choice(candidates)
            shift = monday - _week(timezone.localtime(plan.received_at).date()) if move else dt.timedelta()
            if first is not None and plan.received_at + shift < first:
                shift += dt.timedelta(weeks=1)  # the week ``start`` falls in: no reception before it
            picks.append((plan.received_at + shift, plan, shift))
        picks.sort(key=lambda pick: pick[0])
        for _at, plan, shift in picks:
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


# ---------------------------------------------------------------- writing


def _sqlite_rows(
    model: type[models.Model], columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> list[Any]:
    """Rows with aware datetimes as naive UTC text, as Django stores them in SQLite; only the
    datetime columns are converted (calling a converter on every value doubled the load time)."""
    kinds = {f.column: f.get_internal_type() for f in model._meta.concrete_fields}
    stamps = [i for i, c in enumerate(columns) if kinds.get(c) == "DateTimeField"]
    if not stamps:
        return rows
    out = []
    for row in rows:
        values = list(row)
        for i in stamps:
            if values[i] is not None:
                values[i] = values[i].astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        out.append(values)
    return out


def _writer() -> Callable[[Batch], None]:
    tables = _tables()

    def flush(batch: Batch) -> None:
        with connection.cursor() as cursor:
            for name, (model, columns) in tables.items():
                rows: list[tuple[Any, ...]] = getattr(batch, name)
                if not rows:
                    continue
                table = connection.ops.quote_name(model._meta.db_table)
                cols = ", ".join(connection.ops.quote_name(c) for c in columns)
                if connection.vendor == "postgresql":
                    with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    # Table and column names come from the models, never from input.
                    sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
                    cursor.executemany(sql, _sqlite_rows(model, columns, rows))

    return flush


def _next_ids() -> dict[str, int]:
    def after(model: type[models.Model]) -> int:
        return int(model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1  # type: ignore[attr-defined]

    return {"dossiers": after(Dossier), "steps": after(DossierStep)}


def _system_users() -> tuple[int, int]:
    """The accounts that generated extensions and ratings are attributed to; neither can sign in."""
    from egov.accounts.models import AccountKind, User

    generator, _created = User.objects.get_or_create(
        username=GENERATOR_USERNAME,
        defaults={"full_name": "Dữ liệu tổng hợp (benchmark)", "is_active": False, "kind": AccountKind.STAFF},
    )
    rater, _created = User.objects.get_or_create(
        username=RATER_USERNAME,
        defaults={
            "full_name": "Công dân tổng hợp (benchmark)",
            "is_active": False,
            "kind": AccountKind.CITIZEN,
        },
    )
    for user in (generator, rater):
        if user.has_usable_password():
            user.set_unusable_password()
            user.save(update_fields=["password"])
    return generator.pk, rater.pk


# long: to be split (issue #23)
@transaction.atomic
def bulk_generate(
    *,
    dossiers: int,
    seed: int = 1,
    end: dt.datetime | None = None,
    years: int = 10,
    start: dt.date | None = None,
    ended_only: bool = False,
    pool_size: int = POOL_SIZE,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
    by: Actor | None = None,
) -> int:
    """Insert ``dossiers`` complete synthetic dossiers received over ``years`` years before ``end``
    (or from ``start``; with ``ended_only`` all of them ended before ``end``).

    Refuses (``GenerateRefused``) the demo database and any database with dossiers it did not
    write, unless ``force``. All or nothing: one transaction."""
    from egov.audit.models import AuditEvent
    from egov.audit.services import audit_record

    if dossiers <= 0:
        raise GenerateRefused("the number of dossiers must be positive")
    if years <= 0:
        raise GenerateRefused("the number of years must be positive")
    reason = "" if force else refusal()
    if reason:
        raise GenerateRefused(reason)
    end = end or timezone.now().replace(minute=0, second=0, microsecond=0)
    units, versions = load_inputs()
    if not units or not versions:
        raise GenerateRefused("no one-stop departments or published procedures to generate dossiers for")
    generator_id, rater_id = _system_users()
    checks_deferred = _skip_row_checks()
    pool = plan_history(
        count=min(pool_size, max(dossiers, 200)), seed=seed, units=units, versions=versions, end=end
    )
    counters: dict[tuple[str, dt.date], int] = {
        (agency, day): last
        for agency, day, last in DailyCounter.objects.values_list("agency_code", "day", "last")
    }
    rng = random.Random(seed)
    first_ids = _next_ids()
    replayer = Replayer(
        rng=rng, counters=counters, next_ids=dict(first_ids), generator_id=generator_id, rater_id=rater_id,
        end=end,
    )  # fmt: skip
    written = replay(
        pool=pool,
        n=dossiers,
        end=end,
        years=years,
        rng=rng,
        replayer=replayer,
        flush=_writer(),
        progress=(lambda done: progress(done, dossiers)) if progress else None,
        start=start,
        ended_only=ended_only,
    )
    if checks_deferred:
        _check_references(first_ids)
    _after_load(counters)
    audit_record(
        event=AuditEvent.BULK_GENERATED,
        actor=by,
        after={
            "dossiers": written,
            "seed": seed,
            "years": years,
            "start": start.isoformat() if start else None,
            "end": end.isoformat(),
            "forced": force,
        },
    )
    return written


def _skip_row_checks() -> bool:
    """On PostgreSQL, skip the per-row foreign-key triggers for this transaction when allowed
    (superuser): checking millions of rows one by one at commit takes longer than writing them.
    ``_check_references`` then checks all new rows at once."""
    if connection.vendor != "postgresql":
        return False
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    return True


def _check_references(first_ids: dict[str, int]) -> None:
    """Every new row's references exist (what the skipped foreign-key triggers would have checked)."""
    broken = []
    with connection.cursor() as cursor:
        for model, columns in _tables().values():
            for f in model._meta.concrete_fields:
                if not f.is_relation or f.column not in columns:
                    continue
                target = f.related_model
                if target is None:  # a relation always has one; this tells the type checker
                    continue
                sql = (
                    f"SELECT count(*) FROM {model._meta.db_table} t "  # noqa: S608 - names from the models
                    f"LEFT JOIN {target._meta.db_table} r ON r.{target._meta.pk.column} = t.{f.column} "
                    f"WHERE t.{f.column} IS NOT NULL AND r.{target._meta.pk.column} IS NULL"
                )
                if model is Dossier:
                    sql += f" AND t.id >= {first_ids['dossiers']}"
                elif "dossier_id" in columns:
                    sql += f" AND t.dossier_id >= {first_ids['dossiers']}"
                cursor.execute(sql)
                if cursor.fetchone()[0]:
                    broken.append(f"{model._meta.db_table}.{f.column}")
    if broken:
        raise GenerateRefused(f"generated rows with broken references: {', '.join(broken)}")


def _after_load(counters: dict[tuple[str, dt.date], int]) -> None:
    """Continue each agency's daily sequence after the generated codes, move the id sequences
    past the explicit ids, and refresh the planner statistics."""
    DailyCounter.objects.bulk_create(
        [DailyCounter(agency_code=agency, day=day, last=last) for (agency, day), last in counters.items()],
        batch_size=5000,
        update_conflicts=True,
        unique_fields=["agency_code", "day"],
        update_fields=["last"],
    )
    if connection.vendor == "postgresql":
        written = [model for model, _columns in _tables().values()]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), written):
                cursor.execute(sql)
            for model in written:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
