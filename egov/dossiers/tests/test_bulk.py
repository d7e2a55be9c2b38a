from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count

from egov.dossiers.bulk import bulk_generate, rows
from egov.dossiers.models import Dossier
from egov.reports.ii06a import ii06a
from egov.reports.periods import Period

END = dt.datetime(2026, 11, 1, 8, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def test_bulk_rows_are_realistic_unique_and_continue_the_counters(receive: Any, province: Any) -> None:
    receive()  # a real reception first: the bulk codes must continue after it
    written = bulk_generate(dossiers=1500, seed=3, end=END)
    assert written == 1500 and Dossier.objects.count() == 1501
    assert not Dossier.objects.values("code").annotate(n=Count("pk")).filter(n__gt=1).exists()
    resolved = Dossier.objects.exclude(timeliness="")
    in_time = resolved.filter(timeliness__in=["early", "on_time"]).count() / resolved.count()
    assert 0.76 <= in_time <= 0.88
    online = Dossier.objects.filter(channel="online").count() / 1501
    assert 0.25 <= online <= 0.35
    later = receive()
    assert later.code not in set(Dossier.objects.exclude(pk=later.pk).values_list("code", flat=True))
    totals = ii06a(unit=province.province, period=Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31))).totals
    assert (
        totals["received_total"]
        == totals["resolved_total"] + totals["in_progress_total"] + totals["withdrawn_or_stopped"]
    )
    assert totals["received_total"] > 0


def test_same_seed_same_rows(procedure: Any) -> None:
    first = list(itertools.islice(rows(n=50, seed=9, end=END, sequence={}), 50))
    again = list(itertools.islice(rows(n=50, seed=9, end=END, sequence={}), 50))
    other = list(itertools.islice(rows(n=50, seed=10, end=END, sequence={}), 50))
    assert first == again and first != other
