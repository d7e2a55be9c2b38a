"""Bulk synthetic dossiers for benchmarks: millions of rows in minutes (COPY on PostgreSQL).

Unlike the demo history (egov.dossiers.generate), which plans each dossier's whole life with
steps, pauses and events, this writes only dossier rows — enough for statistics, lookups and
lists at national scale — with realistic distributions: about 12 % province, 38 % district and
50 % commune level, 30 % online and 5 % postal, about 82 % of resolved dossiers on time or early,
a few withdrawn, a recent tail still in progress. Deterministic for a seed. Not audited per row
(one audit entry for the run)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection, transaction

from egov.dossiers.models import DailyCounter, Dossier

VN = ZoneInfo("Asia/Ho_Chi_Minh")
COLUMNS = [
    "code",
    "procedure_version_id",
    "level",
    "receiving_unit_id",
    "resolving_unit_id",
    "channel",
    "return_method",
    "return_address",
    "applicant_kind",
    "applicant_name",
    "applicant_id_number",
    "applicant_address",
    "applicant_phone",
    "applicant_email",
    "summary",
    "fees_collected",
    "lookup_secret",
    "state",
    "received_at",
    "clock_started_at",
    "statutory_due_at",
    "due_at",
    "resolved_at",
    "returned_at",
    "terminated_at",
    "outcome",
    "outcome_reason",
    "timeliness",
    "postal_tracking",
    "returned_to",
    "created_at",
]
LEVEL_SHARE = {"province": 0.12, "district": 0.38, "commune": 0.50}
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
GIVEN = [
    "Văn An",
    "Thị Bình",
    "Minh Cường",
    "Thị Hà",
    "Văn Hùng",
    "Ngọc Lan",
    "Thanh Nam",
    "Thị Thảo",
    "Quang Vinh",
]


def _targets() -> dict[str, list[tuple[int, int, str]]]:
    from egov.orgs.models import Unit

    by_level: dict[str, list[tuple[int, int, str]]] = {}
    for unit in Unit.objects.filter(kind="one_stop", valid_to__isnull=True).exclude(parent=None):
        agency = unit.parent.agency_code if unit.parent else ""
        by_level.setdefault(unit.level, []).append(
            (unit.pk, unit.parent_id or unit.pk, agency or f"U{unit.pk}")
        )
    return by_level


def _versions() -> dict[str, list[tuple[int, int]]]:
    """Published versions handled at each level, with their direct-channel limit in working days."""
    from egov.catalog.models import ProcedureVersion

    out: dict[str, list[tuple[int, int]]] = {}
    for v in ProcedureVersion.objects.filter(status="published").prefetch_related("channels"):
        direct = next((c for c in v.channels.all() if c.channel == "direct"), None)
        days = (
            max(1, direct.time_amount // (8 if direct.time_unit == "working_hours" else 1)) if direct else 5
        )
        for level in v.levels:
            out.setdefault(level, []).append((v.pk, days))
    return out


def rows(
    *, n: int, seed: int, end: dt.datetime, sequence: dict[tuple[str, dt.date], int], years: int = 10
) -> Iterator[tuple[Any, ...]]:
    """The rows, in COLUMNS order; ``sequence`` collects the last number used per agency and day.

    Units and procedures are read here, eagerly: the rows are consumed inside a PostgreSQL COPY,
    during which the connection cannot run other queries."""
    return _rows(
        n=n, seed=seed, end=end, sequence=sequence, years=years, targets=_targets(), versions=_versions()
    )


def _rows(
    *,
    n: int,
    seed: int,
    end: dt.datetime,
    sequence: dict[tuple[str, dt.date], int],
    years: int,
    targets: dict[str, list[tuple[int, int, str]]],
    versions: dict[str, list[tuple[int, int]]],
) -> Iterator[tuple[Any, ...]]:
    rng = random.Random(seed)
    levels = [lv for lv in LEVEL_SHARE if targets.get(lv) and versions.get(lv)]
    weights = [LEVEL_SHARE[lv] for lv in levels]
    begin = end - dt.timedelta(days=365 * years)
    span = (end - begin).total_seconds()
    for _i in range(n):
        level = rng.choices(levels, weights)[0]
        receiving, resolving, agency = rng.choice(targets[level])
        version, days = rng.choice(versions[level])
        received = begin + dt.timedelta(seconds=rng.random() * span)
        local = received.astimezone(VN)
        day = local.date()
        sequence[(agency, day)] = sequence.get((agency, day), 0) + 1
        code = f"{agency}-{day:%y%m%d}-{sequence[(agency, day)]:04d}"
        due = received + dt.timedelta(days=days * 7 / 5)
        state, timeliness, outcome = "processing", "", ""
        resolved = terminated = None
        roll = rng.random()
        if due < end and roll < 0.97:
            if roll < 0.01:
                state, terminated = "withdrawn", received + dt.timedelta(days=1)
            else:
                late = rng.random() < 0.18
                resolved = (
                    due + dt.timedelta(hours=rng.uniform(1, 96))
                    if late
                    else (received + (due - received) * rng.uniform(0.3, 1.0))
                )
                state, outcome = "returned", "approved" if rng.random() < 0.96 else "refused"
                timeliness = (
                    "late"
                    if late
                    else (
                        "on_time" if resolved.astimezone(VN).date() == due.astimezone(VN).date() else "early"
                    )
                )
        channel = "online" if rng.random() < 0.30 else ("postal" if rng.random() < 0.07 else "direct")
        name = f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}"
        phone = f"09{rng.randrange(10**8):08d}"
        yield (
            code,
            version,
            level,
            receiving,
            resolving,
            channel,
            "counter",
            "",
            "citizen",
            name,
            "",
            "",
            phone,
            "",
            "",
            0,
            f"{rng.randrange(16**8):08X}",
            state,
            received,
            received,
            due,
            due,
            resolved,
            resolved,
            terminated,
            outcome,
            "",
            timeliness,
            "",
            "",
            received,
        )


@transaction.atomic
def bulk_generate(
    *,
    dossiers: int,
    seed: int = 1,
    end: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    by: Any = None,
) -> int:
    """Insert ``dossiers`` synthetic dossier rows; refuses a database that already has dossiers
    with the same codes (run it on a fresh database)."""
    from egov.audit.models import AuditEvent
    from egov.audit.services import audit_record

    end = end or dt.datetime.now(tz=VN).replace(minute=0, second=0, microsecond=0)
    table = Dossier._meta.db_table
    written = 0
    # Continue after the numbers already handed out (demo history, real receptions).
    sequence: dict[tuple[str, dt.date], int] = {
        (agency, day): last
        for agency, day, last in DailyCounter.objects.values_list("agency_code", "day", "last")
    }
    # Read units and procedures before COPY starts: the connection runs nothing else during COPY.
    generated = rows(n=dossiers, seed=seed, end=end, sequence=sequence)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in generated:
                    copy.write_row(row)
                    written += 1
                    if progress and written % 50_000 == 0:
                        progress(written, dossiers)
        else:
            # Table and column names come from the model, never from input.
            sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608
            batch: list[tuple[Any, ...]] = []
            for row in generated:
                batch.append(row)
                if len(batch) == 10_000:
                    cursor.executemany(sql, batch)
                    written += len(batch)
                    batch = []
                    if progress and written % 50_000 == 0:
                        progress(written, dossiers)
            if batch:
                cursor.executemany(sql, batch)
                written += len(batch)
    # Later real receptions must continue each agency's daily sequence (sequence started from
    # the existing counters, so the upsert only ever raises them).
    DailyCounter.objects.bulk_create(
        [DailyCounter(agency_code=agency, day=day, last=last) for (agency, day), last in sequence.items()],
        batch_size=5000,
        update_conflicts=True,
        unique_fields=["agency_code", "day"],
        update_fields=["last"],
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    if progress:
        progress(written, dossiers)
    audit_record(event=AuditEvent.BULK_GENERATED, actor=by, after={"dossiers": written, "seed": seed})
    return written
