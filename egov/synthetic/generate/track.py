"""One dossier's trajectory: its whole imagined life, then cut at ``end`` into a plan."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from django.utils.translation import gettext as _

from egov.catalog.models import Channel, StepRole
from egov.dossiers.models import DossierState, EventKind, Outcome, ReturnMethod, StepStatus
from egov.synthetic.generate.data import (
    DossierPlan,
    EventPlan,
    ExtensionPlan,
    PausePlan,
    StepPlan,
    StepTemplate,
    UnitInfo,
    VersionInfo,
)
from egov.synthetic.generate.names import (
    DECISION_REFUSALS,
    EXTENSION_REASONS,
    STOP_REASON,
    SUPPLEMENT_REASON,
    WITHDRAW_REASONS,
    _digits,
)
from egov.synthetic.generate.office import (
    _day_minutes,
    _local,
    _next_working,
    _office_instant,
    _office_minutes,
    _timeliness,
    _walk,
)
from egov.workcal import Calendar, Limit, LimitUnit, clock_start, due, elapsed

EXTENSION_SHARE = 0.03  # of the late ones
APPROVED_SHARE = 0.96


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


def _work_minutes(ctx: _Ctx, total: int, *, late: bool, stuck: bool) -> int:
    """Office minutes of work the dossier takes, against ``total`` allowed."""
    rng, day = ctx.rng, _day_minutes(ctx.cal)
    if stuck:  # waiting on someone for weeks: still in progress, past its due time
        return total + rng.randint(10, 40) * day
    if late:
        return total + int(total * rng.uniform(0.03, 0.45)) + rng.randint(30, day)
    return max(5, int(total * min(0.99, max(0.08, rng.betavariate(4, 2)))))


def _supplement_pause(
    ctx: _Ctx, start: dt.datetime, work: int, *, pause: str, term: str | None
) -> tuple[int | None, dt.datetime | None, dt.datetime | None]:
    """Where the supplement pause starts (office minutes and instant) and, if it closed, when it ends."""
    rng, cal = ctx.rng, ctx.cal
    pause_at: int | None = None
    pause_start = pause_end = None
    if pause != "none" or term == "stopped":
        pause_at = max(1, int(work * rng.uniform(0.1, 0.6)))
        pause_start = _walk(cal, start, pause_at)
        if pause == "closed":
            back = _next_working(cal, _local(pause_start, cal).date() + dt.timedelta(days=rng.randint(1, 12)))
            pause_end = _office_instant(rng, cal, back)
            if pause_end <= pause_start:
                pause_end = _walk(cal, pause_start, rng.randint(30, _day_minutes(cal)))
    return pause_at, pause_start, pause_end


def _step_bounds(ctx: _Ctx, templates: list[StepTemplate], work: int) -> list[int]:
    """Where each working step ends, in office minutes: the work shared out by the steps' budgets."""
    cal, rng = ctx.cal, ctx.rng
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
    return bounds


def _return_delay(ctx: _Ctx, *, long_pickup: bool) -> int:
    """Office minutes between the decision and the result reaching the applicant."""
    rng, day = ctx.rng, _day_minutes(ctx.cal)
    if long_pickup:
        return rng.randint(3, 25) * day + rng.randint(0, day)
    if ctx.return_method == ReturnMethod.ONLINE:
        return rng.randint(5, 120)
    if ctx.return_method == ReturnMethod.POST:
        return rng.randint(1, 3) * day + rng.randint(0, day // 2)
    roll = rng.random()
    return (
        rng.randint(10, day)
        if roll < 0.55
        else rng.randint(day, 5 * day)
        if roll < 0.9
        else rng.randint(5 * day, 20 * day)
    )


# long: one trajectory, its random draws in a fixed order (seeded output); parts are split out above
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
    work = _work_minutes(ctx, total, late=late, stuck=stuck)
    restart = version.supplement_mode == "restart"
    pause_at, pause_start, pause_end = _supplement_pause(ctx, start, work, pause=pause, term=term)
    if pause == "closed" and restart and pause_at is not None:
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
    intake = (
        templates.pop(0) if templates[0].role == StepRole.ONE_STOP_OFFICER and len(templates) > 1 else None
    )
    returner = (
        templates.pop() if len(templates) > 1 and templates[-1].role == StepRole.ONE_STOP_OFFICER else None
    )
    bounds = _step_bounds(ctx, templates, work)

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
        returned = _walk(cal, resolved, _return_delay(ctx, long_pickup=long_pickup))
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


@dataclass
class _Cut:
    """Where the trajectory stands at the cut: the horizon and the supplement pause as seen from it."""

    end: dt.datetime
    mark: int
    stop_at: dt.datetime | None
    horizon: dt.datetime
    pause_start: dt.datetime | None
    pause_end: dt.datetime | None
    resumed: bool
    closed: bool
    opened: bool


def _materialise(ctx: _Ctx, track: _Track, base: DossierPlan, end: dt.datetime, mark: int) -> None:
    """Cut the trajectory at ``end`` and fill in the dossier, its steps, pause, extension and timeline."""
    plan = base
    plan.state = track.state_at(end)
    plan.clock_started_at = track.clock_start
    events: list[EventPlan] = [
        EventPlan(
            track.received_at, EventKind.RECEIVED, _("Channel: %(c)s") % {"c": Channel(plan.channel).label}
        )
    ]
    stop_at = track.term[1] if track.term is not None and track.term[1] <= end else None
    horizon = stop_at or end

    pause_start, pause_end, resumed = track.pause if track.pause is not None else (None, None, False)
    closed = pause_start is not None and pause_end is not None and pause_end <= horizon
    opened = pause_start is not None and pause_start <= horizon
    cut = _Cut(end, mark, stop_at, horizon, pause_start, pause_end, resumed, closed, opened)
    # The order of these calls is the order of the random draws: keep it for seeded output.
    _cut_pause(ctx, track, plan, cut, events)
    _cut_extension(ctx, track, plan, cut, events)
    _cut_steps(ctx, track, plan, cut, events)
    _cut_outcome(ctx, track, plan, cut, events)
    _cut_overdue(plan, cut, events)
    events.sort(key=lambda e: e.at)  # stable: same-instant events keep the services' order
    plan.events = [e for e in events if e.at <= end]


def _cut_pause(ctx: _Ctx, track: _Track, plan: DossierPlan, cut: _Cut, events: list[EventPlan]) -> None:
    """The supplement pause (form 02) and its resumption, if they happened before the horizon."""
    rng = ctx.rng
    plan.statutory_due_at = track.statutory_due if cut.closed and cut.resumed else track.due0
    plan.due_at = plan.statutory_due_at
    if cut.opened:
        pause_start, pause_end = cut.pause_start, cut.pause_end
        assert pause_start is not None
        paper = rng.choice(ctx.version.papers).name if ctx.version.papers else "Giấy tờ theo quy định"
        plan.pauses.append(
            PausePlan(
                started_at=pause_start, ended_at=pause_end if cut.closed else None, reason=SUPPLEMENT_REASON,
                items=f"{paper} (bản chính hoặc bản sao có chứng thực)",
                contact=f"Bộ phận Một cửa, ĐT 0297 3{_digits(rng, 6)}",
                restarts_clock=ctx.version.supplement_mode == "restart",
            )
        )  # fmt: skip
        events.append(
            EventPlan(pause_start, EventKind.SUPPLEMENT_REQUESTED, SUPPLEMENT_REASON, {"items": paper})
        )
        if cut.closed and cut.resumed:
            assert pause_end is not None
            events.append(
                EventPlan(
                    pause_end, EventKind.SUPPLEMENT_RECEIVED, "", {"previous_due": track.due0.isoformat()}
                )
            )
            plan.papers.append((paper, 1, 0, 0, 1))


def _cut_extension(ctx: _Ctx, track: _Track, plan: DossierPlan, cut: _Cut, events: list[EventPlan]) -> None:
    """The new date (form 04), if it was given before the horizon."""
    if track.extension is not None and track.extension[0] <= cut.horizon:
        created, new_due = track.extension
        assert plan.statutory_due_at is not None and plan.due_at is not None
        reason = ctx.rng.choice(EXTENSION_REASONS)
        plan.extension = ExtensionPlan(created, plan.due_at, new_due, reason)
        plan.due_at = max(plan.statutory_due_at, new_due)
        events.append(EventPlan(created, EventKind.EXTENDED, reason, {"new_due_at": new_due.isoformat()}))


def _cut_steps(ctx: _Ctx, track: _Track, plan: DossierPlan, cut: _Cut, events: list[EventPlan]) -> None:
    """Steps, as they stand at the horizon."""
    cal = ctx.cal
    pause_start, pause_end, stop_at = cut.pause_start, cut.pause_end, cut.stop_at
    previous_kind = ""
    for seq, (template, started, finished, kind) in enumerate(track.steps, start=1):
        if started > cut.horizon:
            break
        unit_pk = (
            plan.receiving_unit_pk if template.role == StepRole.ONE_STOP_OFFICER else plan.resolving_unit_pk
        )
        step_due = due(
            start=started, limit=Limit(template.budget_amount, LimitUnit(template.budget_unit)), cal=cal
        )
        paused_in_step = (
            cut.closed
            and cut.resumed
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
        done = finished is not None and finished <= cut.horizon
        finish = finished if done else (stop_at if stop_at is not None else None)
        step = StepPlan(
            seq=seq, order=template.order, name=template.name, role=template.role, unit_pk=unit_pk,
            started_at=started, due_at=step_due, finished_at=finish,
            status=StepStatus.DONE if finish is not None else StepStatus.ACTIVE,
            timeliness=_timeliness(step_due, finish) if finish is not None else "",
            note=track.term[2] if stop_at is not None and not done and track.term is not None else "",
        )  # fmt: skip
        limit_at = finish or cut.end
        if step_due < limit_at and step_due + dt.timedelta(minutes=cut.mark) <= limit_at:
            step.overdue_marked_at = step_due + dt.timedelta(minutes=cut.mark)
        plan.steps.append(step)
        events.append(EventPlan(started, EventKind.STEP_STARTED, template.name, {"seq": seq}))
        if kind == "work" and previous_kind == "work":
            events.append(EventPlan(started, EventKind.FORWARDED, "", {"to": template.name}))
        previous_kind = kind
    active = [s for s in plan.steps if s.status == StepStatus.ACTIVE]
    plan.current_seq = active[0].seq if active else (plan.steps[-1].seq if stop_at and plan.steps else None)


def _cut_outcome(ctx: _Ctx, track: _Track, plan: DossierPlan, cut: _Cut, events: list[EventPlan]) -> None:
    """The decision, the return of the result, or the withdrawal/stop, as they stand at the cut."""
    rng, stop_at = ctx.rng, cut.stop_at
    if plan.state in (DossierState.RESOLVED, DossierState.RETURNED):
        assert track.resolved_at is not None and plan.statutory_due_at is not None
        plan.resolved_at = track.resolved_at
        plan.outcome = Outcome.APPROVED if rng.random() < APPROVED_SHARE else Outcome.REFUSED
        plan.outcome_reason = rng.choice(DECISION_REFUSALS) if plan.outcome == Outcome.REFUSED else ""
        plan.timeliness = _timeliness(plan.statutory_due_at, track.resolved_at)
        # The return step starts at the decision: its step_started event comes before "decided".
        decided = EventPlan(
            track.resolved_at, EventKind.DECIDED, plan.outcome_reason,
            {"outcome": str(plan.outcome), "timeliness": plan.timeliness},
        )  # fmt: skip
        index = len(events)
        if track.return_step:
            index = max(i for i, e in enumerate(events) if e.kind == EventKind.STEP_STARTED)
        events.insert(index + (1 if track.return_step else 0), decided)
    if plan.state == DossierState.RETURNED:
        assert track.returned_at is not None
        plan.returned_at = track.returned_at
        plan.current_seq = None
        if plan.return_method == ReturnMethod.POST:
            plan.postal_tracking = f"EB{_digits(rng, 9)}VN"
        plan.returned_to = plan.returned_to if plan.return_method == ReturnMethod.COUNTER else ""
        events.append(
            EventPlan(
                track.returned_at, EventKind.RETURNED, plan.returned_to, {"tracking": plan.postal_tracking}
            )
        )
    else:
        plan.returned_to = ""
    if stop_at is not None and track.term is not None:
        plan.outcome_reason = track.term[2]
        plan.terminated_at = stop_at
        events.append(EventPlan(stop_at, track.term[0], track.term[2]))


def _cut_overdue(plan: DossierPlan, cut: _Cut, events: list[EventPlan]) -> None:
    """The overdue watch marks a dossier once, while it is in progress and past its due time."""
    pause_start, pause_end = cut.pause_start, cut.pause_end
    assert plan.due_at is not None
    watch_until = min(
        t
        for t in (
            plan.resolved_at,
            cut.stop_at,
            cut.end,
            pause_start if cut.opened and not cut.closed else None,
        )
        if t is not None
    )
    marked = plan.due_at + dt.timedelta(minutes=cut.mark)
    if marked <= watch_until and not (
        pause_start is not None
        and pause_end is not None
        and cut.closed
        and pause_start <= plan.due_at <= pause_end
    ):
        plan.overdue_marked_at = marked
        events.append(EventPlan(marked, EventKind.OVERDUE))
