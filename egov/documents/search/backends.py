"""The two engines behind search: PostgreSQL (a ``tsvector`` column with a GIN index, pg_trgm on
the folded number/notation) and SQLite (an FTS5 table over the same folded words).

Both take the same :class:`Plan` — words that must all occur, tags of which one must occur (the
user's scope), column conditions — and answer document ids newest first. SQL is built here from
fixed fragments; every value from the user is a bound parameter, and the words and tags are
``[a-z0-9]`` only (see :mod:`egov.documents.search.text`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import connection, transaction

from egov.documents.search.rows import SearchRow

TABLE = "documents_searchentry"
FTS = "documents_search_fts"
_COLUMNS = ("document_id", "dated", "doc_type", "state", "secret", "notation_key", "issuer_key")


@dataclass
class Plan:
    """What to look for. ``all_words``: every one must be among the document's words (text and
    filter tags); ``any_tags``: at least one (the scope; ``None`` = no restriction, for the
    system administrator); ``where``/``params``: column conditions on the index table."""

    all_words: list[str] = field(default_factory=list)
    any_tags: list[str] | None = None
    where: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)
    after: tuple[dt.date, int] | None = None  # keyset: the last (dated, id) of the previous page


class Backend(Protocol):
    def write(self, rows: Iterable[SearchRow]) -> int: ...

    def delete(self, ids: list[int]) -> None: ...

    def ids(self, plan: Plan, limit: int) -> list[tuple[int, dt.date]]: ...

    def count(self, plan: Plan, cap: int) -> int: ...


def _conditions(plan: Plan, match_sql: str | None) -> tuple[str, list[Any]]:
    where = list(plan.where)
    params = list(plan.params)
    if match_sql:
        where.insert(0, match_sql)
    if plan.after is not None:
        where.append("(e.dated < %s OR (e.dated = %s AND e.document_id < %s))")
        params += [plan.after[0], plan.after[0], plan.after[1]]
    return (" WHERE " + " AND ".join(where)) if where else "", params


class PostgresBackend:
    """Words and tags in ``tsv`` (``to_tsvector('simple', words)``), one GIN index for all."""

    def _match(self, plan: Plan) -> tuple[str | None, list[Any]]:
        parts = list(plan.all_words)
        if plan.any_tags is not None:
            if not plan.any_tags:
                return "FALSE", []
            parts.append("(" + " | ".join(plan.any_tags) + ")")
        if not parts:
            return None, []
        return "e.tsv @@ to_tsquery('simple', %s)", [" & ".join(parts)]

    def write(self, rows: Iterable[SearchRow]) -> int:
        n = 0
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS search_load (document_id bigint, dated date, doc_type text, "
                "state text, secret boolean, notation_key text, issuer_key text, words text) ON COMMIT DELETE ROWS"
            )
            cursor.execute("TRUNCATE search_load")
            with cursor.copy(f"COPY search_load ({', '.join(_COLUMNS)}, words) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(
                        (
                            r.document_id,
                            r.dated,
                            r.doc_type,
                            r.state,
                            r.secret,
                            r.notation_key,
                            r.issuer_key,
                            r.words,
                        )
                    )
                    n += 1
            updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in (*_COLUMNS[1:], "indexed_at", "tsv"))
            cursor.execute(
                f"INSERT INTO {TABLE} ({', '.join(_COLUMNS)}, indexed_at, tsv) "  # noqa: S608
                f"SELECT {', '.join(_COLUMNS)}, now(), to_tsvector('simple', words) FROM search_load "
                f"ON CONFLICT (document_id) DO UPDATE SET {updates}"
            )
        return n

    def delete(self, ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE document_id = ANY(%s)", [ids])  # noqa: S608

    def ids(self, plan: Plan, limit: int) -> list[tuple[int, dt.date]]:
        match, match_params = self._match(plan)
        where, params = _conditions(plan, match)
        sql = f"SELECT e.document_id, e.dated FROM {TABLE} e{where} ORDER BY e.dated DESC, e.document_id DESC LIMIT %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [*match_params, *params, limit])
            return [(int(pk), dated) for pk, dated in cursor.fetchall()]

    def count(self, plan: Plan, cap: int) -> int:
        match, match_params = self._match(plan)
        where, params = _conditions(plan, match)
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} e{where} LIMIT %s) capped"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [*match_params, *params, cap])
            return int(cursor.fetchone()[0])


class SqliteBackend:
    """Words and tags in an FTS5 table (rowid = document id) beside the index table."""

    def _match(self, plan: Plan) -> tuple[str | None, list[Any]]:
        parts = [f'"{w}"' for w in plan.all_words]
        if plan.any_tags is not None:
            if not plan.any_tags:
                return "0", []
            parts.append("(" + " OR ".join(f'"{t}"' for t in plan.any_tags) + ")")
        if not parts:
            return None, []
        return (
            f"e.document_id IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)",  # noqa: S608
            [" AND ".join(parts)],
        )

    def write(self, rows: Iterable[SearchRow]) -> int:
        n = 0
        batch: list[SearchRow] = []
        with transaction.atomic():
            for r in rows:
                batch.append(r)
                if len(batch) >= 2000:
                    n += self._write(batch)
                    batch = []
            n += self._write(batch)
        return n

    def _write(self, rows: list[SearchRow]) -> int:
        if not rows:
            return 0
        self.delete([r.document_id for r in rows])
        marks = ", ".join(["%s"] * (len(_COLUMNS) + 1))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} ({', '.join(_COLUMNS)}, indexed_at) VALUES ({marks})",  # noqa: S608
                [
                    (
                        r.document_id,
                        r.dated,
                        r.doc_type,
                        r.state,
                        r.secret,
                        r.notation_key,
                        r.issuer_key,
                        _now(),
                    )
                    for r in rows
                ],
            )
            cursor.executemany(
                f"INSERT INTO {FTS} (rowid, words) VALUES (%s, %s)",  # noqa: S608
                [(r.document_id, r.words) for r in rows],
            )
        return len(rows)

    def delete(self, ids: list[int]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {TABLE} WHERE document_id IN ({marks})", chunk)  # noqa: S608
                cursor.execute(f"DELETE FROM {FTS} WHERE rowid IN ({marks})", chunk)  # noqa: S608

    def ids(self, plan: Plan, limit: int) -> list[tuple[int, dt.date]]:
        match, match_params = self._match(plan)
        where, params = _conditions(plan, match)
        # Browsing without words: the scope alone may match most rows; walking the date index
        # and stopping at the limit beats sorting them all (723 → 199 ms at 200,000 rows).
        hint = " INDEXED BY documents_search_dated_idx" if not plan.all_words else ""
        sql = f"SELECT e.document_id, e.dated FROM {TABLE} e{hint}{where} ORDER BY e.dated DESC, e.document_id DESC LIMIT %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [*match_params, *params, limit])
            return [(int(pk), _date(dated)) for pk, dated in cursor.fetchall()]

    def count(self, plan: Plan, cap: int) -> int:
        match, match_params = self._match(plan)
        where, params = _conditions(plan, match)
        sql = f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} e{where} LIMIT %s)"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [*match_params, *params, cap])
            return int(cursor.fetchone()[0])


def _now() -> dt.datetime:
    from django.utils import timezone

    return timezone.now()


def _date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def backend() -> Backend:
    """The engine of the default database."""
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SqliteBackend()
