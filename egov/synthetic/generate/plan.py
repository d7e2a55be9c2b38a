"""Planning the whole history: which dossiers, where, when and how each one ends up."""

from __future__ import annotations

import datetime as dt
import random

from egov.catalog.models import Channel
from egov.dossiers.models import DossierState, EventKind, ReturnMethod
from egov.synthetic.generate.data import DossierPlan, EventPlan, UnitInfo, VersionInfo
from egov.synthetic.generate.names import REFUSE_REASONS, _applicant, _email
from egov.synthetic.generate.office import _Days, _local, _office_instant
from egov.synthetic.generate.track import _Ctx, _materialise, _track
from egov.workcal import Calendar, Limit, LimitUnit

WINDOW_DAYS = 150
ON_TIME_RATE = 0.8216  # share of resolved dossiers resolved early or on time (the plan's target)
LEVEL_SHARES = {"province": 0.12, "district": 0.38, "commune": 0.50}
# Where the history of a dossier ends up at ``end`` (normalised).
FATES = {
    "returned": 0.78,
    "resolved": 0.05,
    "processing": 0.10,
    "supplement": 0.03,
    "withdrawn": 0.01,
    "stopped": 0.005,
    "refused": 0.02,
}
RECENT_FATES = frozenset({"resolved", "processing", "supplement"})
OVERDUE_SHARE = 0.2  # of the dossiers still in progress
SUPPLEMENT_SHARE = 0.08  # of the dossiers that go through: a closed supplement pause
# The procedures people come for most, most frequent first; the rest follow in a seeded order.
POPULAR_CODES = (
    "2.000815",  # chứng thực bản sao từ bản chính
    "2.000884",  # chứng thực chữ ký
    "1.001193",  # đăng ký khai sinh
    "2.000488",  # phiếu lý lịch tư pháp
    "1.002804",  # đổi giấy phép lái xe
    "1.004873",  # xác nhận tình trạng hôn nhân
    "2.000635",  # trích lục hộ tịch
    "1.001612",  # thành lập hộ kinh doanh
    "1.000656",  # đăng ký khai tử
    "1.000894",  # đăng ký kết hôn
    "2.002042",  # thành lập công ty TNHH
    "1.009994",  # giấy phép xây dựng nhà ở
    "2.000720",  # thay đổi hộ kinh doanh
    "2.001035",  # chứng thực hợp đồng
)


def _span_days(limit: Limit) -> float:
    if limit.unit is LimitUnit.CALENDAR_DAYS:
        return limit.amount + 2
    days = limit.amount if limit.unit is LimitUnit.WORKING_DAYS else limit.amount / 8
    return days * 7 / 5 + 2


def _plan_one(
    ctx: _Ctx, fate: str, days: _Days, window_start: dt.date, end: dt.datetime, base: DossierPlan
) -> DossierPlan:
    rng, cal = ctx.rng, ctx.cal
    end_day = _local(end, cal).date()

    def received(lo: dt.date, hi: dt.date) -> dt.datetime:
        lo, hi = max(lo, window_start), max(min(hi, end_day), window_start)
        for _attempt in range(20):
            candidate = _office_instant(rng, cal, days.pick(rng, lo, hi))
            if candidate < end:
                return candidate
        return _office_instant(rng, cal, days.between(window_start, end_day - dt.timedelta(days=1))[-1])

    if fate == "refused":
        return _refused(base, received(window_start, end_day), rng)

    span = _span_days(ctx.limit)
    late = {"processing": rng.random() < OVERDUE_SHARE, "supplement": False}.get(
        fate, rng.random() >= ON_TIME_RATE
    )
    pause = "open" if fate == "supplement" else ("closed" if rng.random() < SUPPLEMENT_SHARE else "none")
    term = fate if fate in ("withdrawn", "stopped") else None
    if term is not None:
        pause = "none"
    lo, hi = _reception_window(fate, late=late, span=span, window_start=window_start, end_day=end_day)
    wanted = {"processing": DossierState.PROCESSING, "supplement": DossierState.SUPPLEMENT}.get(fate, fate)
    track = None
    for _attempt in range(15):
        track = _track(
            ctx,
            received(lo, hi),
            late=late,
            pause=pause,
            term=term,
            long_pickup=fate == "resolved",
            stuck=late and fate == "processing",
        )
        state = track.state_at(end)
        if state == wanted and (fate != "processing" or (track.statutory_due < end) == late):
            break
    assert track is not None
    base.received_at = track.received_at
    base.state = track.state_at(end)
    _materialise(ctx, track, base, end, mark=rng.randint(1, 14))
    return base


def _refused(base: DossierPlan, received_at: dt.datetime, rng: random.Random) -> DossierPlan:
    """A dossier refused at the counter on the day it was brought."""
    base.received_at = received_at
    base.state = DossierState.REFUSED
    base.channel, base.return_method, base.return_address = Channel.DIRECT, ReturnMethod.COUNTER, ""
    base.fees_collected = 0
    base.outcome_reason = rng.choice(REFUSE_REASONS)
    base.returned_to = ""
    base.papers = []
    base.events = [EventPlan(base.received_at, EventKind.REFUSED, base.outcome_reason)]
    return base


def _reception_window(
    fate: str, *, late: bool, span: float, window_start: dt.date, end_day: dt.date
) -> tuple[dt.date, dt.date]:
    """When a dossier of this fate may have been received, so that it is in that state at the end."""
    d = dt.timedelta
    windows = {
        "resolved": (end_day - d(days=span + 25), end_day),
        "processing": (
            (end_day - d(days=span + 25), end_day - d(days=span * 0.8))
            if late
            else (end_day - d(days=span + 1), end_day)
        ),
        "supplement": (end_day - d(days=span + 20), end_day),
    }
    return windows.get(fate, (window_start, end_day))


def _ranked_versions(
    rng: random.Random, by_level: dict[str, list[UnitInfo]], versions: list[VersionInfo]
) -> dict[str, tuple[list[VersionInfo], list[float]]]:
    """Per level, the usable procedures by popularity and their weights (a Zipf-like tail)."""
    candidates: dict[str, tuple[list[VersionInfo], list[float]]] = {}
    for level in by_level:
        usable = [v for v in versions if level in v.levels and v.steps_for(level) and v.channels]
        if not usable:
            continue
        popular = [v for code in POPULAR_CODES for v in usable if v.code == code]
        rest = [v for v in usable if v not in popular]
        rng.shuffle(rest)
        ranked = popular + rest
        candidates[level] = (ranked, [1 / (rank + 1) ** 0.9 for rank in range(len(ranked))])
    return candidates


def _draft(
    rng: random.Random,
    level: str,
    unit: UnitInfo,
    version: VersionInfo,
    end: dt.datetime,
    allow_extensions: bool,
) -> tuple[_Ctx, DossierPlan]:
    """One dossier's channel, return method and applicant; its dates come later."""
    offered = {c.channel for c in version.channels}
    # About 30% online overall: the most frequent procedures (certification) are counter-only.
    if Channel.ONLINE in offered and rng.random() < 0.5:
        channel = Channel.ONLINE
    elif Channel.POSTAL in offered and rng.random() < 0.2:
        channel = Channel.POSTAL
    else:
        channel = Channel.DIRECT
    option = version.channel(channel)
    if channel == Channel.ONLINE:
        methods = [ReturnMethod.ONLINE, ReturnMethod.COUNTER, ReturnMethod.POST]
        return_method = rng.choices(methods, weights=[50, 40, 10])[0]
    elif channel == Channel.POSTAL:
        return_method = ReturnMethod.POST if rng.random() < 0.8 else ReturnMethod.COUNTER
    else:
        return_method = ReturnMethod.POST if rng.random() < 0.08 else ReturnMethod.COUNTER
    applicant = _applicant(rng, version, unit)
    base = DossierPlan(
        version_pk=version.pk, level=level, receiving_unit_pk=unit.pk, resolving_unit_pk=unit.committee_pk,
        agency_code=unit.agency_code, channel=channel, return_method=return_method,
        return_address=applicant["address"] if return_method == ReturnMethod.POST else "",
        applicant_kind=applicant["kind"], applicant_name=applicant["name"],
        applicant_id_number=applicant["id_number"], applicant_address=applicant["address"],
        applicant_phone=applicant["phone"],
        applicant_email=_email(rng, applicant["person"]) if channel == Channel.ONLINE else "",
        fees_collected=option.fee, lookup_secret=f"{rng.getrandbits(32):08X}",
        state=DossierState.PROCESSING, received_at=end, returned_to=applicant["person"],
        papers=[(p.name, p.originals, p.certified_copies, p.photocopies, 0) for p in version.papers],
    )  # fmt: skip
    ctx = _Ctx(
        rng=rng, unit=unit, version=version, cal=unit.calendar,
        limit=Limit(option.time_amount, LimitUnit(option.time_unit)),
        templates=version.steps_for(level), channel=channel, return_method=return_method,
        allow_extension=allow_extensions,
    )  # fmt: skip
    return ctx, base


def _assign_fates(rng: random.Random, drafts: list[tuple[_Ctx, DossierPlan, str]]) -> None:
    """In steady state the dossiers of a procedure still in progress are proportional to its time
    limit: the in-progress share goes mostly to the long procedures, received over weeks."""
    fates = list(FATES)
    spans = [_span_days(ctx.limit) for ctx, _base, _fate in drafts]
    mean_span = sum(spans) / max(1, len(spans))
    for index, (ctx, base, _fate) in enumerate(drafts):
        stretch = min(4.0, spans[index] / mean_span)
        weights = [w * stretch if f == "processing" else w for f, w in FATES.items()]
        drafts[index] = (ctx, base, rng.choices(fates, weights=weights)[0])


def _place_in_time(
    drafts: list[tuple[_Ctx, DossierPlan, str]],
    day_tables: dict[Calendar, _Days],
    window_start: dt.date,
    end: dt.datetime,
) -> list[DossierPlan]:
    """Dossiers still open (or waiting for pickup) at ``end`` were necessarily received recently.
    Plan them first, then spread the others so that receptions per day stay flat over the
    window: the monthly statistics should not show a spike in the current month."""
    plans: list[DossierPlan | None] = [None] * len(drafts)
    recent: dict[dt.date, int] = {}
    for index, (ctx, base, fate) in enumerate(drafts):
        if fate in RECENT_FATES:
            plan = _plan_one(ctx, fate, day_tables[ctx.cal], window_start, end, base)
            day = _local(plan.received_at, ctx.cal).date()
            recent[day] = recent.get(day, 0) + 1
            plans[index] = plan
    for table in day_tables.values():
        flat = len(drafts) / max(1, len(table.days))
        table.weigh({day: flat - recent.get(day, 0) for day in table.days}, floor=0.05 * flat)
    for index, (ctx, base, fate) in enumerate(drafts):
        if plans[index] is None:
            plans[index] = _plan_one(ctx, fate, day_tables[ctx.cal], window_start, end, base)
    return [p for p in plans if p is not None]


def plan_history(
    *,
    count: int,
    seed: int,
    units: list[UnitInfo],
    versions: list[VersionInfo],
    end: dt.datetime,
    allow_extensions: bool = True,
) -> list[DossierPlan]:
    """The dossiers to create, as plain data: the same inputs always give the same plan."""
    # One generator, drawn from in a fixed order by the helpers below: keep the order for seeded output.
    rng = random.Random(seed)
    units = sorted(units, key=lambda u: u.pk)
    versions = sorted(versions, key=lambda v: v.code)
    by_level: dict[str, list[UnitInfo]] = {}
    for unit in units:
        by_level.setdefault(unit.level, []).append(unit)
    unit_weights = {u.pk: u.weight * rng.lognormvariate(0, 0.3) for u in units}
    candidates = _ranked_versions(rng, by_level, versions)
    levels = [lvl for lvl in LEVEL_SHARES if lvl in candidates]
    if not levels:
        return []
    end_local = end.astimezone(units[0].calendar.zone)
    window_start = (end_local - dt.timedelta(days=WINDOW_DAYS)).date()
    day_tables: dict[Calendar, _Days] = {}

    drafts: list[tuple[_Ctx, DossierPlan, str]] = []
    for _index in range(count):
        level = rng.choices(levels, weights=[LEVEL_SHARES[lvl] for lvl in levels])[0]
        pool = by_level[level]
        unit = rng.choices(pool, weights=[unit_weights[u.pk] for u in pool])[0]
        ranked, weights = candidates[level]
        version = rng.choices(ranked, weights=weights)[0]
        if unit.calendar not in day_tables:
            day_tables[unit.calendar] = _Days(unit.calendar, window_start, end_local.date())
        ctx, base = _draft(rng, level, unit, version, end, allow_extensions)
        drafts.append((ctx, base, ""))
    _assign_fates(rng, drafts)
    return _place_in_time(drafts, day_tables, window_start, end)
