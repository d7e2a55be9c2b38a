"""Writing synthetic documents: the schedule (receptions spread over the years on working days,
in time order), the agencies active on each day (old units before a reorganisation, new ones
after), batches of rows written with COPY on PostgreSQL and executemany on SQLite, the register
counters continued after the numbers written, and one audit entry for the run."""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import itertools
import random
from collections.abc import Callable, Iterator
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from egov.audit.models import AuditEvent
from egov.audit.services import audit_record
from egov.documents.models import Document, RegisterCounter
from egov.documents.search.index import search_reindex
from egov.orgs.models import Unit
from egov.synthetic import guard
from egov.synthetic.bulk import _skip_row_checks, _sqlite_rows
from egov.synthetic.documents.agencies import AgencyInfo, all_agencies, prepare_agencies
from egov.synthetic.documents.rows import Builder, StoredFile
from egov.synthetic.documents.tables import TABLES, WITH_IDS, Batch
from egov.synthetic.documents.workfiles import WorkFiles
from egov.workcal import is_working_day

FLUSH_EVERY = 10_000  # documents per batch of inserts
SAMPLE_PDF_NAME = "documents/synthetic/van-ban-tong-hop.pdf"
DRAFT_DAYS = 20  # drafts not yet issued are among the documents of the last days


class DocumentsRefused(Exception):
    """The database is not one the generator may write to (without ``force``)."""


def generated_count() -> int:
    """How many documents earlier runs of the generator wrote (from their audit entries)."""
    return guard.generated_count(event=AuditEvent.DOCUMENTS_GENERATED, key="documents")


def refusal() -> str:
    """Why the generator must not write here, or ``""``: not the demo, no documents of real work."""
    return guard.refusal(model=Document, event=AuditEvent.DOCUMENTS_GENERATED, key="documents")


def sample_pdf() -> bytes:
    """A small real one-page PDF (valid cross-reference table) with a line of text."""
    text = b"BT /F1 14 Tf 72 760 Td (Van ban tong hop - du lieu thu nghiem egov) Tj ET"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        b"<</Length %d>>stream\n%s\nendstream" % (len(text), text),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def store_sample() -> StoredFile:
    """The sample PDF in the file storage once; every generated file row refers to it."""
    content = sample_pdf()
    if not default_storage.exists(SAMPLE_PDF_NAME):
        default_storage.save(SAMPLE_PDF_NAME, ContentFile(content))
    return StoredFile(SAMPLE_PDF_NAME, hashlib.sha256(content).hexdigest(), len(content))


def schedule(
    *, n: int, start: dt.date, end: dt.datetime, rng: random.Random, cal: Any
) -> Iterator[dt.datetime]:
    """``n`` arrival times in order, evenly over the working days from ``start`` to the day
    before ``end``, between 07:30 and 17:00."""
    zone = end.tzinfo
    days = [
        start + dt.timedelta(days=i)
        for i in range((end.date() - start).days)
        if is_working_day(start + dt.timedelta(days=i), cal)
    ]
    if not days:
        raise DocumentsRefused("no working day between the start and the end")
    for index, day in enumerate(days):
        count = (index + 1) * n // len(days) - index * n // len(days)
        minutes = sorted(rng.uniform(450, 1020) for _ in range(count))
        base = dt.datetime.combine(day, dt.time(), tzinfo=zone)
        yield from (base + dt.timedelta(minutes=m) for m in minutes)


class Agencies:
    """The agencies active on a day, with cumulative weights (cached per set of active units)."""

    def __init__(self, infos: list[AgencyInfo]) -> None:
        self.infos = infos
        bounds = {d for a in infos for d in (a.valid_from, a.valid_to) if d is not None}
        self.bounds = sorted(bounds)
        self._cache: dict[int, tuple[list[AgencyInfo], list[float]]] = {}

    def on(self, day: dt.date) -> tuple[list[AgencyInfo], list[float]]:
        key = bisect.bisect_right(self.bounds, day)
        if key not in self._cache:
            active = [a for a in self.infos if a.active_on(day)]
            total, cum = 0.0, []
            for a in active:
                total += a.weight
                cum.append(total)
            self._cache[key] = (active, cum)
        return self._cache[key]


def _recipients(
    rng: random.Random, agency: AgencyInfo, active: list[AgencyInfo], cum: list[float]
) -> list[AgencyInfo]:
    chosen: list[AgencyInfo] = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        other = rng.choices(active, cum_weights=cum)[0]
        if other.pk != agency.pk and other not in chosen:
            chosen.append(other)
    return chosen


def _writer() -> Callable[[Batch], None]:
    def flush(batch: Batch) -> None:
        with connection.cursor() as cursor:
            for name, (model, columns) in TABLES.items():
                rows = batch.rows[name]
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

    return {name: after(TABLES[name][0]) for name in WITH_IDS}


# The column that tells a new row of a table without ids of its own from older rows.
ANCHORS = {"notes": ("assignment_id", "assignments"), "recipients": ("document_id", "documents"),
           "reviews": ("document_id", "documents"), "links": ("source_id", "documents"),
           "files": ("document_id", "documents"), "items": ("work_file_id", "workfiles")}  # fmt: skip


def _check_references(first_ids: dict[str, int]) -> None:
    """Every new row's references exist (what the skipped foreign-key triggers would have checked)."""
    broken = []
    with connection.cursor() as cursor:
        for name, (model, columns) in TABLES.items():
            anchor, table = ANCHORS.get(name, ("id", name))
            for f in model._meta.concrete_fields:
                if not f.is_relation or f.column not in columns:
                    continue
                target = f.related_model._meta  # type: ignore[union-attr]
                cursor.execute(
                    f"SELECT count(*) FROM {model._meta.db_table} t "  # noqa: S608 - names from the models
                    f"LEFT JOIN {target.db_table} r ON r.{target.pk.column} = t.{f.column} "
                    f"WHERE t.{f.column} IS NOT NULL AND r.{target.pk.column} IS NULL AND t.{anchor} >= %s",
                    [first_ids[table]],
                )
                if cursor.fetchone()[0]:
                    broken.append(f"{model._meta.db_table}.{f.column}")
    if broken:
        raise DocumentsRefused(f"generated rows with broken references: {', '.join(broken)}")


def _after_load(counters: dict[tuple[int, int], int], *, documents: range) -> None:
    """Continue each register's yearly counter after the numbers written; move the id sequences
    past the explicit ids, refresh the planner statistics, and index the new documents for
    search (the services reindex after each change; rows written directly are indexed here)."""
    RegisterCounter.objects.bulk_create(
        [
            RegisterCounter(register_id=register, year=year, last=last)
            for (register, year), last in counters.items()
        ],
        batch_size=5000,
        update_conflicts=True,
        unique_fields=["register", "year"],
        update_fields=["last"],
    )
    if connection.vendor == "sqlite":
        # Without statistics SQLite walks the state index for an inbox instead of the
        # person and unit indexes (MULTI-INDEX OR); a sampled ANALYZE takes a fraction of a second.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute("ANALYZE")
    if connection.vendor == "postgresql":
        written = [model for model, _columns in TABLES.values()]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), written):
                cursor.execute(sql)
            for model in written:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    search_reindex(ids=documents)


def _write(
    *, builder: Builder, agencies: Agencies, times: Iterator[dt.datetime], end: dt.datetime, n: int,
    progress: Callable[[int, int], None] | None,
) -> int:  # fmt: skip
    """Hand each arrival to the builder as an incoming, issued or draft document; flush in batches."""
    rng, flush = builder.rng, _writer()
    drafts_from = end - dt.timedelta(days=DRAFT_DAYS)
    written = 0
    for at in times:
        active, cum = agencies.on(at.date())
        if not active:
            continue
        agency = rng.choices(active, cum_weights=cum)[0]
        r = rng.random()
        if at >= drafts_from and r >= 0.85:
            builder.draft(agency, at)
        elif r < 0.5 or len(active) == 1:
            builder.external(agency, at)
        else:
            builder.issued(agency, at, _recipients(rng, agency, active, cum))
        written += 1
        if written % FLUSH_EVERY == 0:
            flush(builder.batch)
            builder.batch = Batch()
            if progress:
                progress(written, n)
    flush(builder.batch)
    builder.batch = Batch()
    if progress:
        progress(written, n)
    return written


def _times(
    *, documents: int, queue: int, seed: int, start: dt.date, end: dt.datetime, cal: Any
) -> Iterator[dt.datetime]:
    """The history's arrivals, then the last ``queue`` in the three hours before ``end``."""
    queue = min(queue, documents)
    rng = random.Random(seed + 1)
    history = schedule(n=documents - queue, start=start, end=end, rng=rng, cal=cal)
    recent = sorted(end - dt.timedelta(minutes=rng.uniform(5, 180)) for _ in range(queue))
    return itertools.chain(history, recent)


@transaction.atomic
def generate_documents(
    *,
    documents: int,
    seed: int = 1,
    end: dt.datetime | None = None,
    years: int = 10,
    start: dt.date | None = None,
    agencies: list[Unit] | None = None,
    weights: dict[str, float] | None = None,
    queue: int = 0,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
    by: Any = None,
) -> int:
    """Write ``documents`` synthetic documents arriving over ``years`` years before ``end`` (or
    from ``start``) at ``agencies`` (default: every People's Committee and department there is
    or was), each on the days it existed, in shares by kind of agency (``weights``). Refuses the
    demo database and databases with documents it did not write unless ``force``. All or
    nothing: one transaction; deterministic for a seed and ``end``. The last ``queue`` of them arrive in the three hours before ``end``, so that the
    clerks' and leaders' queues hold work to do."""
    reason = "the numbers must be positive" if documents <= 0 or years <= 0 else "" if force else refusal()
    if reason:
        raise DocumentsRefused(reason)
    end = timezone.localtime(end or timezone.now().replace(minute=0, second=0, microsecond=0))
    start = start or (end.date() - dt.timedelta(days=round(365.25 * years)))
    units = agencies if agencies is not None else all_agencies()
    if not units:
        raise DocumentsRefused("no People's Committee or department to write documents for")
    infos = prepare_agencies(units, seed=seed, by=by, weights=weights)
    counters = {
        (r, year): last
        for r, year, last in RegisterCounter.objects.values_list("register_id", "year", "last")
    }
    next_ids = _next_ids()
    first_ids = dict(next_ids)
    checks_deferred = _skip_row_checks()
    rng = random.Random(seed)
    builder = Builder(
        rng=rng, end=end, next_ids=next_ids, counters=counters, stored=store_sample(),
        workfiles=WorkFiles(next_ids=next_ids, end=end),
    )  # fmt: skip
    times = _times(documents=documents, queue=queue, seed=seed, start=start, end=end, cal=infos[0].calendar)
    written = _write(
        builder=builder, agencies=Agencies(infos), times=times, end=end, n=documents, progress=progress
    )
    if checks_deferred:
        _check_references(first_ids)
    _after_load(counters, documents=range(first_ids["documents"], next_ids["documents"]))
    audit_record(
        event=AuditEvent.DOCUMENTS_GENERATED,
        actor=by,
        after={"documents": written, "seed": seed, "start": start.isoformat(), "end": end.isoformat(),
               "agencies": len(infos), "forced": force},
    )  # fmt: skip
    return written
