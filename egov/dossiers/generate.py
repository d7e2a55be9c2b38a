"""Synthetic dossier history for the demo province.

``egov demo`` should open on inboxes and statistics that look like a real province's: a few
thousand dossiers received over the past five months at the one-stop departments, across the
published procedures and the three channels, most resolved early or on time, some late, some
paused for a supplement or extended, some still in progress (a few of them overdue), and a few
refused at intake, withdrawn or stopped.

This is **synthetic history, not a record of anything that happened**. It is written directly
with ``bulk_create`` (dossiers, papers, steps, pauses, extensions and timeline events) instead
of going through the per-dossier services in ``egov.dossiers.services``, which would write one
audit entry per transition and take minutes. The history is therefore *not audited per
dossier*: a single audit entry ``demo.history_generated`` records that it was generated, by
whom, how many dossiers and with which seed. Nothing here may be used on real data.

The history follows the same rules as the services, so the rest of the application cannot tell
it apart: codes ``<agency>-<YYMMDD>-<NNNN>`` consecutive per agency and day (the daily counters
are advanced so later receptions continue the sequence), legal due times from the procedure's
channel limit on the unit's working calendar (closed pauses skipped, restart-mode supplements
restarting the clock), steps instantiated from the internal process with their own due times,
timeliness classified like ``services._timeliness``, one active step and one open pause at most
per dossier, and the current step pointing at the active step of every open dossier.

It is deterministic for a seed: the only outside input is ``end`` (by default now, rounded down
to the hour), the moment at which the history is cut.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import itertools
import math
import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.dossiers.models import (
    Channel,
    DailyCounter,
    Dossier,
    DossierEvent,
    DossierPaper,
    DossierState,
    DossierStep,
    Extension,
    Outcome,
    Pause,
    PauseKind,
    StepStatus,
)
from egov.workcal import Calendar, Limit, LimitUnit, clock_start, due, elapsed, is_working_day

if TYPE_CHECKING:
    from egov.accounts.models import User

__all__ = [
    "DossierPlan",
    "UnitInfo",
    "VersionInfo",
    "assign_codes",
    "generate_history",
    "load_inputs",
    "plan_history",
]

BATCH = 500
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
EXTENSION_SHARE = 0.03  # of the late ones
APPROVED_SHARE = 0.96
STAFFED_WEIGHT = 6.0  # one-stops where someone holds the one-stop officer role
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

FAMILY_NAMES = (
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9.5),
    ("Phạm", 7),
    ("Huỳnh", 5),
    ("Hoàng", 3),
    ("Phan", 4.5),
    ("Võ", 4),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1),
    ("Lý", 0.8),
)
MIDDLE_MALE = ("Văn", "Văn", "Hữu", "Minh", "Thanh", "Quốc", "Đức", "Công", "Hoàng")
MIDDLE_FEMALE = ("Thị", "Thị", "Ngọc", "Thanh", "Thu", "Kim", "Mỹ", "Minh")
GIVEN_MALE = (
    "An", "Bình", "Cường", "Dũng", "Hùng", "Nam", "Phúc", "Quang", "Tuấn", "Hải", "Khang", "Long", "Sơn",
    "Thắng", "Tài", "Hiếu", "Lộc", "Phong", "Trung", "Vinh",
)  # fmt: skip
GIVEN_FEMALE = (
    "Hà", "Hạnh", "Lan", "Linh", "Ngọc", "Thảo", "Trang", "Vy", "Mai", "Hương", "Nhung", "Yến", "Thúy",
    "Diễm", "Nhi", "Trinh", "Phương", "Tuyết",
)  # fmt: skip
TRADE_NAMES = (
    "Phú Quốc Xanh", "Hải Sản Kiên Hải", "Thương mại Rạch Giá", "Xây dựng Hà Tiên", "Vận tải Minh Phát",
    "Nông sản Tân Hiệp", "Du lịch Biển Ngọc", "Dược phẩm Kiên Giang", "Thủy sản Sông Cái", "Cơ khí Hòn Đất",
)  # fmt: skip
ORGANISATIONS = (
    "Hợp tác xã Nông nghiệp {t}", "Trường Tiểu học {t}", "Hội Nông dân {t}", "Chi hội Chữ thập đỏ {t}",
)  # fmt: skip
HAMLETS = ("Tân Điền", "Phước Lợi", "Hòa Bình", "Thạnh An", "Kinh Tư", "Ba Hòn", "Tràm Chẹt", "Vàm Răng")

REFUSE_REASONS = (
    "Hồ sơ không đủ thành phần theo quy định (thiếu giấy tờ tùy thân của người yêu cầu).",
    "Yêu cầu không thuộc thẩm quyền giải quyết của cơ quan; đã hướng dẫn nộp tại cơ quan có thẩm quyền.",
    "Giấy tờ nộp kèm là bản chụp không có bản chính để đối chiếu.",
    "Tờ khai chưa ghi đầy đủ thông tin theo mẫu; đã hướng dẫn người nộp hoàn thiện.",
)
DECISION_REFUSALS = (
    "Không đủ điều kiện theo quy định; đã có văn bản trả lời nêu rõ lý do.",
    "Kết quả xác minh không phù hợp với nội dung đề nghị.",
)
SUPPLEMENT_REASON = "Hồ sơ chưa đầy đủ, đề nghị bổ sung, hoàn thiện theo Phiếu yêu cầu bổ sung (Mẫu 02)."
EXTENSION_REASONS = (
    "Cần xác minh thêm thông tin với cơ quan liên quan.",
    "Hồ sơ phức tạp, cần thêm thời gian thẩm định.",
    "Chờ ý kiến phối hợp của cơ quan chuyên môn.",
)
WITHDRAW_REASONS = (
    "Người nộp hồ sơ xin rút hồ sơ.",
    "Người yêu cầu không còn nhu cầu giải quyết.",
    "Người nộp xin rút để nộp lại hồ sơ đầy đủ sau.",
)
STOP_REASON = "Người nộp không bổ sung hồ sơ trong thời hạn theo Phiếu yêu cầu bổ sung (Mẫu 05)."


# ---------------------------------------------------------------- inputs (plain data, no ORM)


@dataclass(frozen=True)
class StepTemplate:
    order: int
    name: str
    role: str
    budget_amount: int
    budget_unit: str


@dataclass(frozen=True)
class ChannelInfo:
    channel: str
    time_amount: int
    time_unit: str
    fee: int  # collected from the applicant (0 when exempt or free)


@dataclass(frozen=True)
class PaperTemplate:
    name: str
    originals: int
    certified_copies: int
    photocopies: int


@dataclass(frozen=True)
class VersionInfo:
    pk: int
    code: str
    levels: tuple[str, ...]
    applicant_types: tuple[str, ...]
    cutoff: dt.time | None
    supplement_mode: str
    channels: tuple[ChannelInfo, ...]
    steps: tuple[tuple[str, tuple[StepTemplate, ...]], ...]  # (level, steps in order)
    papers: tuple[PaperTemplate, ...]

    def steps_for(self, level: str) -> tuple[StepTemplate, ...]:
        return next((s for lvl, s in self.steps if lvl == level), ())

    def channel(self, name: str) -> ChannelInfo:
        options = {c.channel: c for c in self.channels}
        return options.get(name) or options.get("direct") or self.channels[0]


@dataclass(frozen=True)
class UnitInfo:
    """A one-stop department in operation, with what a dossier received there needs."""

    pk: int
    level: str
    committee_pk: int  # the resolving People's Committee (the one-stop's parent)
    agency_code: str
    areas: tuple[tuple[str, str], ...]  # (commune name, district name) applicants come from
    weight: float
    calendar: Calendar


# ---------------------------------------------------------------- the plan


@dataclass
class StepPlan:
    seq: int
    order: int
    name: str
    role: str
    unit_pk: int
    started_at: dt.datetime
    due_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    timeliness: str
    note: str = ""
    overdue_marked_at: dt.datetime | None = None


@dataclass
class PausePlan:
    started_at: dt.datetime
    ended_at: dt.datetime | None
    reason: str
    items: str
    contact: str
    restarts_clock: bool


@dataclass
class ExtensionPlan:
    created_at: dt.datetime
    previous_due_at: dt.datetime
    new_due_at: dt.datetime
    reason: str


@dataclass
class EventPlan:
    at: dt.datetime
    kind: str
    text: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class DossierPlan:
    """Everything one dossier will be, as plain data (no primary keys, no code yet)."""

    version_pk: int
    level: str
    receiving_unit_pk: int
    resolving_unit_pk: int
    agency_code: str
    channel: str
    return_method: str
    return_address: str
    applicant_kind: str
    applicant_name: str
    applicant_id_number: str
    applicant_address: str
    applicant_phone: str
    applicant_email: str
    fees_collected: int
    lookup_secret: str
    state: str
    received_at: dt.datetime
    clock_started_at: dt.datetime | None = None
    statutory_due_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    overdue_marked_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    terminated_at: dt.datetime | None = None  # withdrawn or stopped
    outcome: str = ""
    outcome_reason: str = ""
    timeliness: str = ""
    postal_tracking: str = ""
    returned_to: str = ""
    current_seq: int | None = None
    code: str = ""
    steps: list[StepPlan] = field(default_factory=list)
    papers: list[tuple[str, int, int, int, int]] = field(default_factory=list)  # name, o, c, p, round
    pauses: list[PausePlan] = field(default_factory=list)
    extension: ExtensionPlan | None = None
    events: list[EventPlan] = field(default_factory=list)


# ---------------------------------------------------------------- office-time helpers


def _local(t: dt.datetime, cal: Calendar) -> dt.datetime:
    return t.astimezone(cal.zone).replace(tzinfo=None)


def _walk(cal: Calendar, start: dt.datetime, minutes: int) -> dt.datetime:
    """The instant ``minutes`` of office time after ``start`` (like workcal.due, minute-exact)."""
    t = _local(start, cal)
    remaining = dt.timedelta(minutes=max(0, minutes))
    while True:
        day = t.date()
        if is_working_day(day, cal):
            for opening, closing in cal.sessions:
                begin, close = dt.datetime.combine(day, opening), dt.datetime.combine(day, closing)
                if t >= close:
                    continue
                t = max(t, begin)
                available = close - t
                if remaining <= available:
                    return (t + remaining).replace(tzinfo=cal.zone)
                remaining -= available
                t = close
        t = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())


def _office_minutes(limit: Limit, cal: Calendar) -> int:
    if limit.unit is LimitUnit.CALENDAR_DAYS:
        raise ValueError("calendar days are not office time")
    return int(limit.office_time(cal).total_seconds() // 60)


def _day_minutes(cal: Calendar) -> int:
    return int(cal.day_length.total_seconds() // 60)


def _timeliness(due_at: dt.datetime, finished_at: dt.datetime) -> str:
    from egov.dossiers.services import _timeliness as classify_timeliness

    return str(classify_timeliness(due_at, finished_at))


class _Days:
    """Working days of one calendar inside the window, for sampling reception times."""

    def __init__(self, cal: Calendar, first: dt.date, last: dt.date) -> None:
        self.days: list[dt.date] = []
        day = first
        while day <= last:
            if is_working_day(day, cal):
                self.days.append(day)
            day += dt.timedelta(days=1)

        self.cum_weights: list[float] | None = None

    def between(self, lo: dt.date, hi: dt.date) -> list[dt.date]:
        i, j = bisect.bisect_left(self.days, lo), bisect.bisect_right(self.days, hi)
        # An empty window (a long holiday) falls back to the last working day before it.
        return self.days[i:j] or self.days[max(0, j - 1) : max(1, j)]

    def weigh(self, weights: dict[dt.date, float], floor: float) -> None:
        """Sample the whole window with these per-day weights from now on."""
        self.cum_weights = list(itertools.accumulate(max(floor, weights.get(d, floor)) for d in self.days))

    def pick(self, rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
        if self.cum_weights is not None and self.days and lo <= self.days[0] and hi >= self.days[-1]:
            return rng.choices(self.days, cum_weights=self.cum_weights)[0]
        return rng.choice(self.between(lo, hi))


def _office_instant(rng: random.Random, cal: Calendar, day: dt.date) -> dt.datetime:
    """A plausible counter time on ``day``: mornings busier, never in the last 10 minutes."""
    sessions = cal.sessions
    opening, closing = sessions[0] if len(sessions) == 1 or rng.random() < 0.6 else rng.choice(sessions[1:])
    start = opening.hour * 60 + opening.minute
    stop = max(start + 1, closing.hour * 60 + closing.minute - 10)
    minute = rng.randrange(start, stop)
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60)).replace(tzinfo=cal.zone)


def _next_working(cal: Calendar, day: dt.date) -> dt.date:
    while not is_working_day(day, cal):
        day += dt.timedelta(days=1)
    return day


# ---------------------------------------------------------------- applicants


def _person(rng: random.Random) -> str:
    family = rng.choices([n for n, _w in FAMILY_NAMES], weights=[w for _n, w in FAMILY_NAMES])[0]
    if rng.random() < 0.5:
        return f"{family} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}"
    return f"{family} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}"


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _email(rng: random.Random, name: str) -> str:
    from egov.catalog.text import fold

    local = "".join(fold(name).split()[-2:]).lower()
    return f"{local}{rng.randint(70, 2005)}@gmail.com"


def _applicant(rng: random.Random, version: VersionInfo, unit: UnitInfo) -> dict[str, str]:
    types = [t for t in version.applicant_types if t] or ["citizen"]
    if "citizen" in types and (len(types) == 1 or rng.random() < 0.85):
        kind = "citizen"
    else:
        others = [t for t in types if t != "citizen"]
        kind = rng.choice(others)
    person = _person(rng)
    commune, district = rng.choice(unit.areas) if unit.areas else ("", "")
    if commune.startswith(("Phường", "Thị trấn")):
        street = f"Số {rng.randint(1, 250)}, khu phố {rng.randint(1, 9)}"
    else:
        street = f"Ấp {rng.choice(HAMLETS)}"
    address = ", ".join(p for p in (street, commune, district) if p)
    if kind == "business":
        name = f"Công ty TNHH {rng.choice(TRADE_NAMES)}"
        id_number = "17" + _digits(rng, 8)
    elif kind == "household_business":
        name = f"Hộ kinh doanh {person}"
        id_number = "091" + _digits(rng, 9)
    elif kind == "organisation":
        name = rng.choice(ORGANISATIONS).format(t=commune.split(" ", 1)[-1] if commune else "Kiên Giang")
        id_number = "17" + _digits(rng, 8)
    else:
        name = person
        id_number = "091" + _digits(rng, 9)
    return {
        "kind": kind,
        "name": name,
        "person": person,
        "id_number": id_number,
        "address": address,
        "phone": "09" + _digits(rng, 8),
    }


# ---------------------------------------------------------------- one dossier's trajectory


@dataclass
class _Track:
    """A dossier's whole imagined life, before it is cut at ``end``."""

    received_at: dt.datetime
    clock_start: dt.datetime
    due0: dt.datetime  # legal due time without pauses
    statutory_due: dt.datetime  # with the supplement pause, if it was resumed
    steps: list[tuple[StepTemplate, dt.datetime, dt.datetime | None, str]]  # ..., intake/work/return
    pause: tuple[dt.datetime, dt.datetime | None, bool] | None  # start, end, resumed (not terminated)
    extension: tuple[dt.datetime, dt.datetime] | None  # created, new due
    term: tuple[str, dt.datetime, str] | None  # state, at, reason
    resolved_at: dt.datetime | None
    returned_at: dt.datetime | None
    return_step: bool

    def state_at(self, end: dt.datetime) -> str:
        if self.term is not None and self.term[1] <= end:
            return self.term[0]
        if self.returned_at is not None and self.returned_at <= end:
            return DossierState.RETURNED
        if self.resolved_at is not None and self.resolved_at <= end:
            return DossierState.RESOLVED
        if self.pause is not None and self.pause[0] <= end and (self.pause[1] is None or self.pause[1] > end):
            return DossierState.SUPPLEMENT
        return DossierState.PROCESSING


@dataclass
class _Ctx:
    rng: random.Random
    unit: UnitInfo
    version: VersionInfo
    cal: Calendar
    limit: Limit
    templates: tuple[StepTemplate, ...]
    channel: str
    return_method: str
    allow_extension: bool


def _track(
    ctx: _Ctx,
    received_at: dt.datetime,
    *,
    late: bool,
    pause: str,
    term: str | None,
    long_pickup: bool,
    stuck: bool = False,
) -> _Track:
    """Build a trajectory: positions are office minutes after the clock start, skipping the pause."""
    rng, cal, version = ctx.rng, ctx.cal, ctx.version
    cutoff = version.cutoff
    start = clock_start(received_at, cal, cutoff=cutoff)
    due0 = due(start=received_at, limit=ctx.limit, cal=cal, cutoff=cutoff)
    if ctx.limit.unit is LimitUnit.CALENDAR_DAYS:
        total = int(elapsed(start=received_at, end=due0, cal=cal, cutoff=cutoff).total_seconds() // 60)
    else:
        total = _office_minutes(ctx.limit, cal)
    day = _day_minutes(cal)
    if stuck:  # waiting on someone for weeks: still in progress, past its due time
        work = total + rng.randint(10, 40) * day
    elif late:
        work = total + int(total * rng.uniform(0.03, 0.45)) + rng.randint(30, day)
    else:
        work = max(5, int(total * min(0.99, max(0.08, rng.betavariate(4, 2)))))
    restart = version.supplement_mode == "restart"

    pause_at: int | None = None
    pause_start = pause_end = None
    if pause != "none" or term == "stopped":
        pause_at = max(1, int(work * rng.uniform(0.1, 0.6)))
        pause_start = _walk(cal, start, pause_at)
        if pause == "closed":
            back = _next_working(cal, _local(pause_start, cal).date() + dt.timedelta(days=rng.randint(1, 12)))
            pause_end = _office_instant(rng, cal, back)
            if pause_end <= pause_start:
                pause_end = _walk(cal, pause_start, rng.randint(30, day))
            if restart:
                work += pause_at

    def at(position: int) -> dt.datetime | None:
        if pause_at is None or position <= pause_at:
            return _walk(cal, start, position)
        return _walk(cal, pause_end, position - pause_at) if pause_end is not None else None

    statutory = due0
    if pause_start is not None and pause_end is not None:
        if restart:
            statutory = due(start=received_at, limit=ctx.limit, cal=cal, cutoff=cutoff, restart_at=pause_end)
        else:
            statutory = due(
                start=received_at, limit=ctx.limit, cal=cal, cutoff=cutoff, pauses=[(pause_start, pause_end)]
            )

    # Internal process: the intake step is done at the counter, the last one-stop step returns the result.
    templates = list(ctx.templates)
    intake = templates.pop(0) if templates[0].role == "one_stop_officer" and len(templates) > 1 else None
    returner = templates.pop() if len(templates) > 1 and templates[-1].role == "one_stop_officer" else None
    budgets = [
        _office_minutes(Limit(t.budget_amount, LimitUnit(t.budget_unit)), cal) * rng.lognormvariate(0, 0.35)
        for t in templates
    ]
    scale = work / sum(budgets)
    bounds, acc = [], 0.0
    for b in budgets:
        acc += b * scale
        bounds.append(min(work, round(acc)))
    bounds[-1] = work

    steps: list[tuple[StepTemplate, dt.datetime, dt.datetime | None, str]] = []
    if intake is not None:
        steps.append((intake, received_at, received_at, "intake"))
    begin: dt.datetime | None = received_at
    for template, bound in zip(templates, bounds, strict=True):
        if begin is None:
            break
        finish = at(bound)
        steps.append((template, begin, finish, "work"))
        begin = finish
    resolved = at(work)

    termination: tuple[str, dt.datetime, str] | None = None
    if term == "withdrawn":  # no pause on this path: plain office time from the clock start
        when = _walk(cal, start, max(1, int(work * rng.uniform(0.05, 0.8))))
        termination = (DossierState.WITHDRAWN, when, rng.choice(WITHDRAW_REASONS))
    elif term == "stopped" and pause_start is not None:
        # Asked for a supplement that never came: processing stopped (form 05), the pause ends with it.
        gone = _next_working(cal, _local(pause_start, cal).date() + dt.timedelta(days=rng.randint(15, 30)))
        termination = (DossierState.STOPPED, _office_instant(rng, cal, gone), STOP_REASON)
        pause_end = termination[1]
    if termination is not None:
        resolved = None

    returned = None
    if resolved is not None:
        if long_pickup:
            delay = rng.randint(3, 25) * day + rng.randint(0, day)
        elif ctx.return_method == "online":
            delay = rng.randint(5, 120)
        elif ctx.return_method == "post":
            delay = rng.randint(1, 3) * day + rng.randint(0, day // 2)
        else:
            roll = rng.random()
            delay = (
                rng.randint(10, day)
                if roll < 0.55
                else rng.randint(day, 5 * day)
                if roll < 0.9
                else rng.randint(5 * day, 20 * day)
            )
        returned = _walk(cal, resolved, delay)
        if returner is not None:
            steps.append((returner, resolved, returned, "return"))

    # A late dossier sometimes gets a new date (form 04) shortly before its legal due time.
    extension = None
    extend = late and ctx.allow_extension and termination is None and resolved is not None
    if extend and rng.random() < EXTENSION_SHARE:
        legal = (pause_at if restart and pause_at else 0) + total
        ask = at(max(1, min(work - 1, legal - rng.randint(60, day))))
        days = max(1, math.ceil((work - legal) / day)) + rng.randint(0, 2)
        if ask is not None:
            extension = (ask, due(start=statutory, limit=Limit(days, LimitUnit.WORKING_DAYS), cal=cal))

    pause_info = None
    if pause_start is not None:
        pause_info = (pause_start, pause_end, pause == "closed")
    return _Track(
        received_at=received_at, clock_start=start, due0=due0, statutory_due=statutory, steps=steps,
        pause=pause_info, extension=extension, term=termination, resolved_at=resolved, returned_at=returned,
        return_step=returner is not None,
    )  # fmt: skip


def _materialise(ctx: _Ctx, track: _Track, base: DossierPlan, end: dt.datetime, mark: int) -> None:
    """Cut the trajectory at ``end`` and fill in the dossier, its steps, pause, extension and timeline."""
    rng, cal = ctx.rng, ctx.cal
    plan = base
    plan.state = track.state_at(end)
    plan.clock_started_at = track.clock_start
    events: list[EventPlan] = [
        EventPlan(track.received_at, "received", _("Channel: %(c)s") % {"c": Channel(plan.channel).label})
    ]
    stop_at = track.term[1] if track.term is not None and track.term[1] <= end else None
    horizon = stop_at or end

    pause_start, pause_end, resumed = track.pause if track.pause is not None else (None, None, False)
    closed = pause_start is not None and pause_end is not None and pause_end <= horizon
    opened = pause_start is not None and pause_start <= horizon
    plan.statutory_due_at = track.statutory_due if closed and resumed else track.due0
    plan.due_at = plan.statutory_due_at
    if opened:
        assert pause_start is not None
        paper = rng.choice(ctx.version.papers).name if ctx.version.papers else "Giấy tờ theo quy định"
        plan.pauses.append(
            PausePlan(
                started_at=pause_start, ended_at=pause_end if closed else None, reason=SUPPLEMENT_REASON,
                items=f"{paper} (bản chính hoặc bản sao có chứng thực)",
                contact=f"Bộ phận Một cửa, ĐT 0297 3{_digits(rng, 6)}",
                restarts_clock=ctx.version.supplement_mode == "restart",
            )
        )  # fmt: skip
        events.append(EventPlan(pause_start, "supplement_requested", SUPPLEMENT_REASON, {"items": paper}))
        if closed and resumed:
            assert pause_end is not None
            events.append(
                EventPlan(pause_end, "supplement_received", "", {"previous_due": track.due0.isoformat()})
            )
            plan.papers.append((paper, 1, 0, 0, 1))

    if track.extension is not None and track.extension[0] <= horizon:
        created, new_due = track.extension
        assert plan.statutory_due_at is not None
        reason = rng.choice(EXTENSION_REASONS)
        plan.extension = ExtensionPlan(created, plan.due_at, new_due, reason)
        plan.due_at = max(plan.statutory_due_at, new_due)
        events.append(EventPlan(created, "extended", reason, {"new_due_at": new_due.isoformat()}))

    # Steps, as they stand at the horizon.
    previous_kind = ""
    for seq, (template, started, finished, kind) in enumerate(track.steps, start=1):
        if started > horizon:
            break
        unit_pk = plan.receiving_unit_pk if template.role == "one_stop_officer" else plan.resolving_unit_pk
        step_due = due(
            start=started, limit=Limit(template.budget_amount, LimitUnit(template.budget_unit)), cal=cal
        )
        paused_in_step = (
            closed
            and resumed
            and pause_start is not None
            and pause_end is not None
            and started <= pause_start
            and (finished is None or finished > pause_end)
        )
        if paused_in_step:
            # As dossier_resume does: what was left of the step's budget, from the resumption.
            assert pause_start is not None and pause_end is not None
            budget = elapsed(start=started, end=step_due, cal=cal)
            used = (
                elapsed(start=started, end=pause_start, cal=cal) if pause_start > started else dt.timedelta(0)
            )
            hours = max(1, int((budget - used).total_seconds() // 3600))
            step_due = due(start=pause_end, limit=Limit(hours, LimitUnit.WORKING_HOURS), cal=cal)
        done = finished is not None and finished <= horizon
        finish = finished if done else (stop_at if stop_at is not None else None)
        step = StepPlan(
            seq=seq, order=template.order, name=template.name, role=template.role, unit_pk=unit_pk,
            started_at=started, due_at=step_due, finished_at=finish,
            status=StepStatus.DONE if finish is not None else StepStatus.ACTIVE,
            timeliness=_timeliness(step_due, finish) if finish is not None else "",
            note=track.term[2] if stop_at is not None and not done and track.term is not None else "",
        )  # fmt: skip
        limit_at = finish or end
        if step_due < limit_at and step_due + dt.timedelta(minutes=mark) <= limit_at:
            step.overdue_marked_at = step_due + dt.timedelta(minutes=mark)
        plan.steps.append(step)
        events.append(EventPlan(started, "step_started", template.name, {"seq": seq}))
        if kind == "work" and previous_kind == "work":
            events.append(EventPlan(started, "forwarded", "", {"to": template.name}))
        previous_kind = kind
    active = [s for s in plan.steps if s.status == StepStatus.ACTIVE]
    plan.current_seq = active[0].seq if active else (plan.steps[-1].seq if stop_at and plan.steps else None)

    if plan.state in (DossierState.RESOLVED, DossierState.RETURNED):
        assert track.resolved_at is not None and plan.statutory_due_at is not None
        plan.resolved_at = track.resolved_at
        plan.outcome = Outcome.APPROVED if rng.random() < APPROVED_SHARE else Outcome.REFUSED
        plan.outcome_reason = rng.choice(DECISION_REFUSALS) if plan.outcome == Outcome.REFUSED else ""
        plan.timeliness = _timeliness(plan.statutory_due_at, track.resolved_at)
        # The return step starts at the decision: its step_started event comes before "decided".
        decided = EventPlan(
            track.resolved_at, "decided", plan.outcome_reason,
            {"outcome": str(plan.outcome), "timeliness": plan.timeliness},
        )  # fmt: skip
        index = len(events)
        if track.return_step:
            index = max(i for i, e in enumerate(events) if e.kind == "step_started")
        events.insert(index + (1 if track.return_step else 0), decided)
    if plan.state == DossierState.RETURNED:
        assert track.returned_at is not None
        plan.returned_at = track.returned_at
        plan.current_seq = None
        if plan.return_method == "post":
            plan.postal_tracking = f"EB{_digits(rng, 9)}VN"
        plan.returned_to = base.returned_to if plan.return_method == "counter" else ""
        events.append(
            EventPlan(track.returned_at, "returned", plan.returned_to, {"tracking": plan.postal_tracking})
        )
    else:
        plan.returned_to = ""
    if stop_at is not None and track.term is not None:
        plan.outcome_reason = track.term[2]
        plan.terminated_at = stop_at
        events.append(EventPlan(stop_at, track.term[0], track.term[2]))

    # The overdue watch marks a dossier once, while it is in progress and past its due time.
    assert plan.due_at is not None
    watch_until = min(
        t
        for t in (plan.resolved_at, stop_at, end, pause_start if opened and not closed else None)
        if t is not None
    )
    marked = plan.due_at + dt.timedelta(minutes=mark)
    if marked <= watch_until and not (
        pause_start is not None
        and pause_end is not None
        and closed
        and pause_start <= plan.due_at <= pause_end
    ):
        plan.overdue_marked_at = marked
        events.append(EventPlan(marked, "overdue"))
    events.sort(key=lambda e: e.at)  # stable: same-instant events keep the services' order
    plan.events = [e for e in events if e.at <= end]


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
        base.received_at = received(window_start, end_day)
        base.state = DossierState.REFUSED
        base.channel, base.return_method, base.return_address = "direct", "counter", ""
        base.fees_collected = 0
        base.outcome_reason = rng.choice(REFUSE_REASONS)
        base.returned_to = ""
        base.papers = []
        base.events = [EventPlan(base.received_at, "refused", base.outcome_reason)]
        return base

    span = _span_days(ctx.limit)
    late = {"processing": rng.random() < OVERDUE_SHARE, "supplement": False}.get(
        fate, rng.random() >= ON_TIME_RATE
    )
    pause = "open" if fate == "supplement" else ("closed" if rng.random() < SUPPLEMENT_SHARE else "none")
    term = fate if fate in ("withdrawn", "stopped") else None
    if term is not None:
        pause = "none"
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
    lo, hi = windows.get(fate, (window_start, end_day))
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
    rng = random.Random(seed)
    units = sorted(units, key=lambda u: u.pk)
    versions = sorted(versions, key=lambda v: v.code)
    by_level: dict[str, list[UnitInfo]] = {}
    for unit in units:
        by_level.setdefault(unit.level, []).append(unit)
    unit_weights = {u.pk: u.weight * rng.lognormvariate(0, 0.3) for u in units}
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
    levels = [lvl for lvl in LEVEL_SHARES if lvl in candidates]
    if not levels:
        return []
    fates = list(FATES)
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
        cal = unit.calendar
        if cal not in day_tables:
            day_tables[cal] = _Days(cal, window_start, end_local.date())
        offered = {c.channel for c in version.channels}
        # About 30% online overall: the most frequent procedures (certification) are counter-only.
        if "online" in offered and rng.random() < 0.5:
            channel = "online"
        elif "postal" in offered and rng.random() < 0.2:
            channel = "postal"
        else:
            channel = "direct"
        option = version.channel(channel)
        if channel == "online":
            return_method = rng.choices(["online", "counter", "post"], weights=[50, 40, 10])[0]
        elif channel == "postal":
            return_method = "post" if rng.random() < 0.8 else "counter"
        else:
            return_method = "post" if rng.random() < 0.08 else "counter"
        applicant = _applicant(rng, version, unit)
        base = DossierPlan(
            version_pk=version.pk, level=level, receiving_unit_pk=unit.pk, resolving_unit_pk=unit.committee_pk,
            agency_code=unit.agency_code, channel=channel, return_method=return_method,
            return_address=applicant["address"] if return_method == "post" else "",
            applicant_kind=applicant["kind"], applicant_name=applicant["name"],
            applicant_id_number=applicant["id_number"], applicant_address=applicant["address"],
            applicant_phone=applicant["phone"],
            applicant_email=_email(rng, applicant["person"]) if channel == "online" else "",
            fees_collected=option.fee, lookup_secret=f"{rng.getrandbits(32):08X}",
            state=DossierState.PROCESSING, received_at=end, returned_to=applicant["person"],
            papers=[(p.name, p.originals, p.certified_copies, p.photocopies, 0) for p in version.papers],
        )  # fmt: skip
        ctx = _Ctx(
            rng=rng, unit=unit, version=version, cal=cal,
            limit=Limit(option.time_amount, LimitUnit(option.time_unit)),
            templates=version.steps_for(level), channel=channel, return_method=return_method,
            allow_extension=allow_extensions,
        )  # fmt: skip
        drafts.append((ctx, base, ""))

    # In steady state the dossiers of a procedure still in progress are proportional to its time
    # limit: the in-progress share goes mostly to the long procedures, received over weeks.
    spans = [_span_days(ctx.limit) for ctx, _base, _fate in drafts]
    mean_span = sum(spans) / max(1, len(spans))
    for index, (ctx, base, _fate) in enumerate(drafts):
        stretch = min(4.0, spans[index] / mean_span)
        weights = [w * stretch if f == "processing" else w for f, w in FATES.items()]
        drafts[index] = (ctx, base, rng.choices(fates, weights=weights)[0])

    # Dossiers still open (or waiting for pickup) at ``end`` were necessarily received recently.
    # Plan them first, then spread the others so that receptions per day stay flat over the
    # window: the monthly statistics should not show a spike in the current month.
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


def assign_codes(
    plans: list[DossierPlan], counters: dict[tuple[str, dt.date], int]
) -> dict[tuple[str, dt.date], int]:
    """Give each plan its code, consecutive per agency and (local) day in order of reception,
    continuing after ``counters``; returns the last number used per (agency, day)."""
    last = dict(counters)
    used: dict[tuple[str, dt.date], int] = {}
    for index in sorted(range(len(plans)), key=lambda i: (plans[i].received_at, i)):
        plan = plans[index]
        day = timezone.localtime(plan.received_at).date()
        key = (plan.agency_code, day)
        number = last.get(key, 0) + 1
        last[key] = used[key] = number
        plan.code = f"{plan.agency_code}-{day:%y%m%d}-{number:04d}"
    return used


# ---------------------------------------------------------------- reading the inputs


def load_inputs() -> tuple[list[UnitInfo], list[VersionInfo]]:
    """The current one-stop departments and published procedure versions, as plain data."""
    from egov.accounts.models import Role, RoleAssignment
    from egov.catalog.models import ProcedureVersion, VersionStatus
    from egov.dossiers.services import DossierError, agency_code_for
    from egov.orgs.models import Unit
    from egov.workcal.models import WorkCalendar
    from egov.workcal.selectors import calendar_from_record

    records = {c.unit_id: c for c in WorkCalendar.objects.prefetch_related("overrides")}
    calendars: dict[int | None, Calendar] = {}

    def calendar_for(path: str) -> Calendar:
        ids = [int(p) for p in path.strip("/").split("/") if p]
        record_id = next((i for i in reversed(ids) if i in records), None)
        if record_id not in calendars:
            calendars[record_id] = calendar_from_record(records[record_id]) if record_id else Calendar()
        return calendars[record_id]

    communes = list(
        Unit.objects.filter(kind="commune", valid_to__isnull=True).select_related("parent").order_by("path")
    )
    # One-stops with an officer on the system are where the demo logs in: give them a busy counter.
    staffed = set(
        RoleAssignment.objects.active().filter(role=Role.ONE_STOP_OFFICER).values_list("unit_id", flat=True)
    )
    units = []
    for unit in (
        Unit.objects.filter(kind="one_stop", valid_to__isnull=True)
        .select_related("parent", "parent__parent")
        .order_by("path")
    ):
        committee = unit.parent
        if committee is None:
            continue
        area = committee.parent or committee
        try:
            agency = agency_code_for(unit)
        except DossierError:
            continue
        if unit.level == "commune":
            areas = [c for c in communes if c.pk == area.pk]
        else:
            areas = [c for c in communes if c.path.startswith(area.path)]
        type_weight = {"Phường": 2.5, "Thị trấn": 2.0, "Thành phố": 2.0}.get(area.unit_type, 1.0)
        type_weight *= STAFFED_WEIGHT if unit.pk in staffed else 1.0
        units.append(
            UnitInfo(
                pk=unit.pk, level=unit.level, committee_pk=committee.pk, agency_code=agency,
                areas=tuple((c.name, c.parent.name if c.parent else "") for c in areas),
                weight=type_weight, calendar=calendar_for(unit.path),
            )
        )  # fmt: skip
    versions = []
    for version in (
        ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("procedure")
        .prefetch_related("channels", "process_steps", "papers")
        .order_by("procedure__code")
    ):
        steps: dict[str, list[StepTemplate]] = {}
        for s in sorted(version.process_steps.all(), key=lambda s: (s.level, s.order)):
            steps.setdefault(s.level, []).append(
                StepTemplate(s.order, s.name, s.role, s.budget_amount, s.budget_unit)
            )
        versions.append(
            VersionInfo(
                pk=version.pk, code=version.procedure.code, levels=tuple(version.levels or ()),
                applicant_types=tuple(version.applicant_types or ()), cutoff=version.cutoff,
                supplement_mode=version.supplement_mode,
                channels=tuple(
                    ChannelInfo(
                        c.channel, c.time_amount, c.time_unit,
                        c.fee_amount if c.fee_collection in ("before", "after") else 0,
                    )
                    for c in sorted(version.channels.all(), key=lambda c: c.channel)
                ),
                steps=tuple((level, tuple(s)) for level, s in sorted(steps.items())),
                papers=tuple(
                    PaperTemplate(p.name, p.originals, p.certified_copies, p.photocopies)
                    for p in sorted(version.papers.all(), key=lambda p: p.order)
                ),
            )
        )  # fmt: skip
    return units, versions


# ---------------------------------------------------------------- writing


def _dossier_fields(plan: DossierPlan) -> dict[str, Any]:
    skip = {"agency_code", "current_seq", "steps", "papers", "pauses", "extension", "events", "version_pk",
            "receiving_unit_pk", "resolving_unit_pk"}  # fmt: skip
    values = {f.name: getattr(plan, f.name) for f in dataclasses.fields(plan) if f.name not in skip}
    values.update(
        procedure_version_id=plan.version_pk,
        receiving_unit_id=plan.receiving_unit_pk,
        resolving_unit_id=plan.resolving_unit_pk,
        created_by=None,
    )
    return values


@transaction.atomic
def generate_history(
    *, dossiers: int, seed: int = 2021, by: User | None = None, end: dt.datetime | None = None
) -> int:
    """Create ``dossiers`` synthetic dossiers received over the ~150 days before ``end``.

    Demo data only: written in bulk, not audited per dossier (one ``demo.history_generated``
    audit entry instead). Returns how many dossiers were created."""
    from egov.audit.models import AuditEvent
    from egov.audit.services import audit_record

    end = end or timezone.now().replace(minute=0, second=0, microsecond=0)
    units, versions = load_inputs()
    if not units or not versions or dossiers <= 0:
        return 0
    plans = plan_history(
        count=dossiers, seed=seed, units=units, versions=versions, end=end, allow_extensions=by is not None
    )
    if not plans:
        return 0
    agencies = {p.agency_code for p in plans}
    existing = {
        (c.agency_code, c.day): c
        for c in DailyCounter.objects.select_for_update().filter(agency_code__in=agencies)
    }
    used = assign_codes(plans, {key: c.last for key, c in existing.items()})

    rows = [Dossier(**_dossier_fields(p)) for p in plans]
    Dossier.objects.bulk_create(rows, batch_size=BATCH)
    ids = [d.pk for d in rows]
    for i in range(0, len(ids), BATCH):  # created_at is auto_now_add: the history says when it was received
        Dossier.objects.filter(pk__in=ids[i : i + BATCH]).update(created_at=F("received_at"))

    papers, steps, pauses, extensions, events = [], [], [], [], []
    for dossier, plan in zip(rows, plans, strict=True):
        papers += [
            DossierPaper(
                dossier=dossier, name=n, originals=o, certified_copies=c, photocopies=ph, supplement_round=r
            )
            for n, o, c, ph, r in plan.papers
        ]
        steps += [
            DossierStep(
                dossier=dossier, seq=s.seq, order=s.order, name=s.name[:255], role=s.role, unit_id=s.unit_pk,
                status=s.status, started_at=s.started_at, due_at=s.due_at, finished_at=s.finished_at,
                timeliness=s.timeliness, note=s.note, overdue_marked_at=s.overdue_marked_at,
            )
            for s in plan.steps
        ]  # fmt: skip
        pauses += [
            Pause(
                dossier=dossier, kind=PauseKind.SUPPLEMENT, started_at=p.started_at, ended_at=p.ended_at,
                reason=p.reason, items=p.items, contact=p.contact, restarts_clock=p.restarts_clock,
            )
            for p in plan.pauses
        ]  # fmt: skip
        if plan.extension is not None and by is not None:
            e = plan.extension
            extensions.append(
                Extension(
                    dossier=dossier, previous_due_at=e.previous_due_at, new_due_at=e.new_due_at,
                    reason=e.reason, created_by=by, created_at=e.created_at,
                )
            )  # fmt: skip
        events += [
            DossierEvent(dossier=dossier, at=e.at, kind=e.kind, text=e.text, data=e.data) for e in plan.events
        ]
    DossierPaper.objects.bulk_create(papers, batch_size=BATCH)
    DossierStep.objects.bulk_create(steps, batch_size=BATCH)
    Pause.objects.bulk_create(pauses, batch_size=BATCH)
    DossierEvent.objects.bulk_create(events, batch_size=BATCH)
    if extensions:
        Extension.objects.bulk_create(extensions, batch_size=BATCH)
        for extension, plan_ext in zip(
            extensions, [p.extension for p in plans if p.extension is not None], strict=True
        ):
            extension.created_at = plan_ext.created_at
        Extension.objects.bulk_update(extensions, ["created_at"], batch_size=BATCH)

    step_of = {(s.dossier_id, s.seq): s for s in steps}
    pointing = []
    for dossier, plan in zip(rows, plans, strict=True):
        if plan.current_seq is not None:
            dossier.current_step = step_of[(dossier.pk, plan.current_seq)]
            pointing.append(dossier)
    Dossier.objects.bulk_update(pointing, ["current_step"], batch_size=BATCH)

    new_counters, changed = [], []
    for key, number in used.items():
        counter = existing.get(key)
        if counter is None:
            new_counters.append(DailyCounter(agency_code=key[0], day=key[1], last=number))
        elif number > counter.last:
            counter.last = number
            changed.append(counter)
    DailyCounter.objects.bulk_create(new_counters, batch_size=BATCH)
    DailyCounter.objects.bulk_update(changed, ["last"], batch_size=BATCH)

    audit_record(
        event=AuditEvent.DEMO_HISTORY_GENERATED, actor=by, after={"dossiers": len(rows), "seed": seed}
    )
    return len(rows)
