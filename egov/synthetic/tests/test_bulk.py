from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, F, Max, Q

from egov.accounts.models import User
from egov.dossiers.models import DailyCounter, Dossier, DossierEvent, DossierStep, Extension, Pause
from egov.portal.models import Rating
from egov.reports.ii06a import ii06a
from egov.reports.periods import Period
from egov.synthetic.bulk import Batch, GenerateRefused, Replayer, bulk_generate, generated_count, replay
from egov.synthetic.generate import load_inputs, plan_history

VN = ZoneInfo("Asia/Ho_Chi_Minh")
END = dt.datetime(2026, 11, 2, 8, tzinfo=VN)


@pytest.fixture
def generated(procedure: Any) -> int:
    return bulk_generate(dossiers=3000, seed=3, end=END, years=3, pool_size=1500)


def test_generated_dossiers_are_whole_lives(generated: int) -> None:
    assert generated == 3000 == Dossier.objects.count() == generated_count()
    assert not Dossier.objects.values("code").annotate(n=Count("pk")).filter(n__gt=1).exists()
    # Spread over the years asked for, never after the cut.
    first, last = Dossier.objects.order_by("received_at").values_list("received_at", flat=True)[::2999]
    assert first < END - dt.timedelta(days=2 * 365) and last <= END
    # Every dossier that went through has its steps; open ones point at their one active step.
    open_dossiers = Dossier.objects.filter(state__in=["processing", "supplement"])
    assert open_dossiers.exists()
    assert not open_dossiers.filter(Q(current_step=None) | ~Q(current_step__status="active")).exists()
    assert not open_dossiers.exclude(current_step__dossier=F("pk")).exists()
    assert not Dossier.objects.exclude(state="refused").filter(steps=None).exists()
    at_work = Dossier.objects.filter(current_step__status="active", current_step__dossier=F("pk"))
    assert DossierStep.objects.filter(status="active").count() == at_work.count() >= open_dossiers.count()
    assert not at_work.exclude(state__in=["processing", "supplement", "resolved"]).exists()
    # Open dossiers were received recently: ten-year-old dossiers are finished.
    assert not open_dossiers.filter(received_at__lt=END - dt.timedelta(days=200)).exists()
    assert Pause.objects.exists() and not Dossier.objects.filter(events=None).exists()
    assert (
        DossierEvent.objects.filter(kind="received").count()
        == Dossier.objects.exclude(state="refused").count()
    )
    assert Rating.objects.exists() and not Rating.objects.exclude(dossier__state="returned").exists()
    # No moment of any life lies after the cut.
    assert Dossier.objects.aggregate(m=Max("returned_at"))["m"] <= END
    assert DossierEvent.objects.aggregate(m=Max("at"))["m"] <= END
    assert Rating.objects.aggregate(m=Max("created_at"))["m"] <= END
    resolved = Dossier.objects.exclude(timeliness="")
    in_time = resolved.filter(timeliness__in=["early", "on_time"]).count() / resolved.count()
    assert 0.72 <= in_time <= 0.92
    # The report's identities hold on generated data.
    from egov.orgs.models import Unit

    province = Unit.objects.get(level="province", kind="province")
    totals = ii06a(unit=province, period=Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))).totals
    assert totals["received_total"] > 500
    assert (
        totals["received_total"]
        == totals["resolved_total"] + totals["in_progress_total"] + totals["withdrawn_or_stopped"]
    )


def test_moved_lives_keep_weekday_time_of_day_and_their_own_order(generated: int) -> None:
    old = Dossier.objects.filter(received_at__lt=END - dt.timedelta(days=400), state="returned")
    assert old.count() > 100
    for dossier in old[:200]:
        local = dossier.received_at.astimezone(VN)
        assert local.weekday() < 6 and 7 <= local.hour < 18
        assert dossier.received_at <= dossier.clock_started_at <= dossier.resolved_at <= dossier.returned_at
        steps = list(dossier.steps.all())
        assert steps[0].started_at == dossier.received_at
        assert all(s.finished_at is not None and s.started_at <= s.finished_at for s in steps)
    # Codes are consecutive per agency and day, in order of reception.
    by_day: dict[str, list[tuple[dt.datetime, int]]] = {}
    for code, received in Dossier.objects.values_list("code", "received_at"):
        prefix, number = code.rsplit("-", 1)
        by_day.setdefault(prefix, []).append((received, int(number)))
    for numbers in by_day.values():
        numbers.sort()
        assert [n for _t, n in numbers] == list(range(1, len(numbers) + 1))


@pytest.mark.slow
def test_extensions_are_attributed_to_the_generator_account_which_cannot_sign_in(procedure: Any) -> None:
    bulk_generate(dossiers=4000, seed=11, end=END, years=2, pool_size=4000)
    extension = Extension.objects.select_related("created_by").first()
    assert extension is not None and extension.new_due_at > extension.previous_due_at
    assert extension.created_by.username == "bench-generator"
    assert not extension.created_by.is_active and not extension.created_by.has_usable_password()


def test_codes_continue_the_counters_and_later_receptions_continue_them(receive: Any) -> None:
    real = receive()
    with pytest.raises(GenerateRefused, match="1 dossiers that the generator did not write"):
        bulk_generate(dossiers=100, seed=1, end=END, years=1)
    assert bulk_generate(dossiers=500, seed=1, end=END, years=1, force=True) == 500
    assert Dossier.objects.count() == 501
    later = receive()
    codes = set(Dossier.objects.exclude(pk=later.pk).values_list("code", flat=True))
    assert later.code not in codes and real.code in codes
    day_counter = DailyCounter.objects.get(
        agency_code=later.code.rsplit("-", 2)[0], day=later.received_at.astimezone(VN).date()
    )
    assert later.code.endswith(f"-{day_counter.last:04d}")


def test_a_second_run_adds_to_generated_data_but_the_demo_database_is_refused(procedure: Any) -> None:
    bulk_generate(dossiers=300, seed=1, end=END, years=1, pool_size=300)
    bulk_generate(dossiers=200, seed=2, end=END, years=1, pool_size=300)
    assert Dossier.objects.count() == 500 == generated_count()
    User.objects.create(username="admin", full_name="demo", is_demo=True)
    with pytest.raises(GenerateRefused, match="demo database"):
        bulk_generate(dossiers=10, seed=3, end=END, years=1)
    assert Dossier.objects.count() == 500
    with pytest.raises(GenerateRefused, match="positive"):
        bulk_generate(dossiers=0, seed=3, end=END, force=True)


def test_same_seed_same_rows(procedure: Any) -> None:
    units, versions = load_inputs()
    pool = plan_history(count=300, seed=5, units=units, versions=versions, end=END)

    def rows(seed: int) -> list[tuple[Any, ...]]:
        batches: list[Batch] = []
        rng = random.Random(seed)
        replayer = Replayer(
            rng=rng, counters={}, next_ids={"dossiers": 1, "steps": 1}, generator_id=1, rater_id=2, end=END
        )
        replay(pool=pool, n=800, end=END, years=2, rng=rng, replayer=replayer, flush=batches.append)
        return [row for batch in batches for row in batch.dossiers + batch.steps + batch.events]

    first, again, other = rows(9), rows(9), rows(10)
    assert first == again and first != other
    assert sum(1 for row in first if isinstance(row[1], str) and row[1].count("-") == 2) == 800
