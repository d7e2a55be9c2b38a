"""The agency's register page and a handler's inbox at provincial scale (both engines).

    uv run python bench/documents_queries.py --documents 200000                      # SQLite in var/bench-documents
    EGOV_DATABASE_URL=postgres://postgres@127.0.0.1:5432/egov_bench_documents uv run python bench/documents_queries.py --documents 1000000

Fills the database with `egov generate --documents` (once; later runs reuse it), then times, in
process, the statements the pages are built on, scoped as the pages scope them
(`egov.documents.permissions`):

1. the ceiling: a constant `SELECT 1` through the same Django connection (what any page pays);
2. the register page: the clerk's visible entries of one register and year, newest arrival
   number first, 50 a page with their documents (first page, and page 20);
3. the inbox: a handler's open assignments (to them, or to a unit they head), soonest deadline
   first, 50 with their entries and documents.

The clerks and handlers are those of the busiest agencies (the province's People's Committee
first): the worst case."""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT
from documents_common import engine, ensure_documents, percentiles, reproduce, setup

PAGE = 50


def _time(runs: int, work: Callable[[int], Any]) -> dict[str, float]:
    timings = []
    for i in range(runs):
        started = time.perf_counter()
        work(i)
        timings.append((time.perf_counter() - started) * 1000)
    return percentiles(timings)


def register_page(clerk: Any, register: int, year: int, page: int) -> list[Any]:
    from egov.documents.permissions import entries_visible_to

    qs = (
        entries_visible_to(clerk)
        .filter(register_id=register, year=year)
        .select_related("document")
        .order_by("-arrival_number")
    )
    return list(qs[page * PAGE : (page + 1) * PAGE])


def register_page_clerk(register: int, year: int, page: int) -> list[Any]:
    """The same page for the clerk of the register's agency: every entry of a non-secret register
    is theirs to see (``entries_visible_to``'s agency-wide rule), so the page is the register's
    index range alone."""
    from egov.documents.models import Entry

    qs = (
        Entry.objects.filter(register_id=register, year=year)
        .select_related("document")
        .order_by("-arrival_number")
    )
    return list(qs[page * PAGE : (page + 1) * PAGE])


def inbox_by_ids(user: Any) -> list[Any]:
    """The inbox with the units resolved first: ``person = X OR unit_id IN (…)``, so each part
    uses its own (person | unit, state, due_at) index instead of a scan of every open assignment."""
    from django.db.models import Q

    from egov.accounts.models import Role
    from egov.accounts.permissions import role_paths
    from egov.documents.models import OPEN_ASSIGNMENT_STATES, Assignment
    from egov.orgs.models import Unit

    paths = role_paths(user, {Role.HEAD_OF_DIVISION, Role.AGENCY_LEADER})
    units = list(Unit.objects.in_subtrees(paths).values_list("pk", flat=True)) if paths else []
    qs = (
        Assignment.objects.filter(
            Q(person=user) | Q(unit_id__in=units), state__in=list(OPEN_ASSIGNMENT_STATES)
        )
        .select_related("entry__document")
        .order_by("due_at", "pk")
    )
    return list(qs[:PAGE])


def inbox(user: Any) -> list[Any]:
    from django.db.models import Q

    from egov.accounts.models import Role
    from egov.accounts.permissions import role_paths
    from egov.documents.models import OPEN_ASSIGNMENT_STATES, Assignment

    condition = Q(person=user)
    for path in role_paths(user, {Role.HEAD_OF_DIVISION, Role.AGENCY_LEADER}):
        condition |= Q(unit__path__startswith=path)
    qs = (
        Assignment.objects.filter(condition, state__in=list(OPEN_ASSIGNMENT_STATES))
        .select_related("entry__document")
        .order_by("due_at", "pk")
    )
    return list(qs[:PAGE])


def _busiest(limit: int) -> list[Any]:
    from django.db.models import Count

    from egov.documents.models import Entry

    rows = Entry.objects.values("agency_id").annotate(n=Count("pk")).order_by("-n")[:limit]
    return [row["agency_id"] for row in rows]


def _people(agencies: list[int], role: str) -> list[Any]:
    from egov.accounts.models import RoleAssignment

    out = []
    for agency in agencies:
        found = (
            RoleAssignment.objects.active()
            .filter(role=role, unit__path__contains=f"/{agency}/")
            .select_related("user")
            .first()
        )
        if found:
            out.append(found.user)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=400)
    parser.add_argument("--agencies", type=int, default=10, help="busiest agencies sampled")
    parser.add_argument("--data-dir", default=str(ROOT / "var" / "bench-documents"))
    args = parser.parse_args()
    env = setup(args.data_dir)
    total = ensure_documents(args.documents, seed=args.seed, env=env)
    from django.db import connection

    from egov.documents.models import Entry, Register

    agencies = _busiest(args.agencies)
    clerks = _people(agencies, "clerk")
    handlers = _people(agencies, "specialist") + _people(agencies, "head_of_division")
    registers = list(
        Register.objects.filter(agency_id__in=agencies, code="DEN").values_list("pk", "agency_id")
    )
    years = sorted(set(Entry.objects.filter(agency_id=agencies[0]).values_list("year", flat=True)) - {None})
    rng = random.Random(args.seed)
    clerk_of = {c.roles.filter(role="clerk").first().unit_id: c for c in clerks}
    samples = [(rng.choice(registers), rng.choice(years)) for _ in range(args.runs)]

    def ceiling(_i: int) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    def page(i: int, number: int = 0) -> None:
        (register, agency), year = samples[i]
        register_page(clerk_of[agency], register, year, number)

    results = {
        "ceiling (SELECT 1)": _time(args.runs, ceiling),
        "register page 1": _time(args.runs, page),
        "register page 20": _time(args.runs, lambda i: page(i, 19)),
        "register page 1, clerk": _time(
            args.runs, lambda i: register_page_clerk(samples[i][0][0], samples[i][1], 0)
        ),
        "register page 20, clerk": _time(
            args.runs, lambda i: register_page_clerk(samples[i][0][0], samples[i][1], 19)
        ),
        "inbox (OR path)": _time(args.runs, lambda i: inbox(handlers[i % len(handlers)])),
        "inbox (unit ids)": _time(args.runs, lambda i: inbox_by_ids(handlers[i % len(handlers)])),
    }
    print(f"documents queries on {total:,} documents ({engine()}), {args.runs} runs each, pages of {PAGE}; "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    base = results["ceiling (SELECT 1)"]["p99"]
    for name, r in results.items():
        print(f"  {name:<24} p50 {r['p50']:7.2f} ms  p99 {r['p99']:7.2f} ms  max {r['max']:7.2f} ms  "
              f"(p99 {r['p99'] / max(base, 1e-6):,.0f}× the ceiling)")  # fmt: skip
    assert all([a.pk for a in inbox(h)] == [a.pk for a in inbox_by_ids(h)] for h in handlers), (
        "the two inbox shapes must answer the same"
    )
    print(f"  open assignments in the sampled inboxes: {sum(len(inbox(h)) for h in handlers)} (first pages)")
    print(
        "  reproduce:", reproduce("documents_queries.py", f"--documents {args.documents} --runs {args.runs}")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
