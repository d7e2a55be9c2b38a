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

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from egov.accounts.models import AccountKind, User
from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.audit.services import audit_record
from egov.dossiers.models import DailyCounter, Dossier, DossierStep
from egov.synthetic import guard
from egov.synthetic.generate import load_inputs, plan_history
from egov.synthetic.rows import Batch, Replayer, replay, tables

UTC = dt.UTC
POOL_SIZE = 8000
GENERATOR_USERNAME = "bench-generator"
RATER_USERNAME = "bench-citizen"

__all__ = ["Batch", "GenerateRefused", "Replayer", "bulk_generate", "generated_count", "refusal", "replay"]


class GenerateRefused(Exception):
    """The database is not one the generator may write to (without ``force``)."""


# ---------------------------------------------------------------- guard


def generated_count() -> int:
    """How many dossiers earlier runs of the generator wrote (from their audit entries)."""
    return guard.generated_count(event=AuditEvent.BULK_GENERATED, key="dossiers")


def refusal() -> str:
    """Why the generator must not write to this database, or ``""`` when it may."""
    return guard.refusal(model=Dossier, event=AuditEvent.BULK_GENERATED, key="dossiers")


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
    by_name = tables()

    def flush(batch: Batch) -> None:
        with connection.cursor() as cursor:
            for name, (model, columns) in by_name.items():
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
    _refuse_unless_fit(dossiers=dossiers, years=years, force=force)
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
    run = {"dossiers": written, "seed": seed, "years": years, "start": start.isoformat() if start else None}
    audit_record(
        event=AuditEvent.BULK_GENERATED, actor=by, after={**run, "end": end.isoformat(), "forced": force}
    )
    return written


def _refuse_unless_fit(*, dossiers: int, years: int, force: bool) -> None:
    if dossiers <= 0:
        raise GenerateRefused("the number of dossiers must be positive")
    if years <= 0:
        raise GenerateRefused("the number of years must be positive")
    reason = "" if force else refusal()
    if reason:
        raise GenerateRefused(reason)


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
        for model, columns in tables().values():
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
        written = [model for model, _columns in tables().values()]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), written):
                cursor.execute(sql)
            for model in written:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
