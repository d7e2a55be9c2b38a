"""Applying the statutory clock (egov.workcal) to dossiers and their steps."""

from __future__ import annotations

import datetime as dt

from egov.catalog.models import Channel, ChannelOption, ProcedureVersion, SupplementMode
from egov.catalog.selectors import version_rules
from egov.dossiers.models import Dossier, Pause
from egov.workcal import Calendar, Limit, LimitUnit, due
from egov.workcal.selectors import calendar_for_unit


def calendar_of(dossier: Dossier) -> Calendar:
    """The receiving unit's calendar, looked up once per dossier object (a reception needs it
    for the legal due time and for every step's due time)."""
    cached: Calendar | None = getattr(dossier, "_egov_calendar", None)
    if cached is None:
        cached = calendar_for_unit(dossier.receiving_unit)
        dossier._egov_calendar = cached  # type: ignore[attr-defined]
    return cached


def channel_option(version: ProcedureVersion, channel: str) -> ChannelOption:
    prefetched = getattr(version, "_prefetched_objects_cache", {}).get("channels")
    found = prefetched if prefetched is not None else version_rules(version).channels
    options = {c.channel: c for c in found}
    option = options.get(channel) or options.get(Channel.DIRECT) or next(iter(options.values()), None)
    if option is None:
        raise ValueError(f"procedure {version.procedure_id} has no channel")
    return option


def legal_limit(dossier: Dossier) -> Limit:
    option = channel_option(dossier.procedure_version, dossier.channel)
    return Limit(option.time_amount, LimitUnit(option.time_unit))


def statutory_due(dossier: Dossier, pauses: list[Pause]) -> dt.datetime:
    """The legal due time: from receipt, skipping closed pauses; a restart-mode supplement
    restarts the clock when it ends."""
    assert dossier.received_at is not None
    version = dossier.procedure_version
    closed = [p for p in pauses if p.ended_at is not None]
    restart_at = None
    if version.supplement_mode == SupplementMode.RESTART:
        restarts = [p.ended_at for p in closed if p.restarts_clock and p.ended_at is not None]
        restart_at = max(restarts) if restarts else None
    counted = [(p.started_at, p.ended_at) for p in closed if not p.restarts_clock and p.ended_at is not None]
    if restart_at is not None:
        counted = [(s, e) for s, e in counted if e > restart_at]
    return due(
        start=dossier.received_at,
        limit=legal_limit(dossier),
        cal=calendar_of(dossier),
        cutoff=version.cutoff,
        pauses=_merge(counted),
        restart_at=restart_at,
    )


def step_due(dossier: Dossier, start: dt.datetime, amount: int, unit: str) -> dt.datetime:
    return due(start=start, limit=Limit(amount, LimitUnit(unit)), cal=calendar_of(dossier))


def _merge(intervals: list[tuple[dt.datetime, dt.datetime]]) -> list[tuple[dt.datetime, dt.datetime]]:
    """workcal refuses overlapping pauses; merge touching/overlapping ones first."""
    merged: list[tuple[dt.datetime, dt.datetime]] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
