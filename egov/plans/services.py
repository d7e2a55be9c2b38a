"""Loading plan targets and the service index's indicators from data files.

A file is the full definition of what it covers (one plan's targets; the whole index): rows are
created or updated by key, rows missing from the file are removed, and loading the same file
again changes nothing and writes no audit entry. Each load that changes something is audited
in the same transaction, with the file's SHA-256.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.audit.services import audit_record
from egov.plans.metrics import METRICS
from egov.plans.models import IndexGroup, IndexIndicator, PlanTarget

DEMO_TARGETS_FILE = (
    Path(__file__).resolve().parent.parent / "demo" / "data" / "plan-2021-kien-giang-targets.csv"
)
INDEX766_FILE = Path(__file__).resolve().parent / "data" / "index766.csv"
PLAN_2021 = "195/KH-UBND 2021"

EVENT_TARGETS_LOADED = AuditEvent.PLAN_TARGETS_LOADED
EVENT_INDEX766_LOADED = AuditEvent.INDEX766_LOADED


class PlanDataError(ValueError):
    """A data file that cannot be loaded; ``errors`` lists every problem as (line, message)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"line {line}: {message}" for line, message in errors))


@dataclass
class LoadSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def as_dict(self) -> dict[str, list[str]]:
        return {"created": self.created, "updated": self.updated, "removed": self.removed}


def _rows(content: str | bytes) -> list[tuple[int, dict[str, str]]]:
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text))
    return [
        (index, {k.strip(): (v or "").strip() for k, v in row.items() if k})
        for index, row in enumerate(reader, 2)
    ]


def _digest(content: str | bytes) -> str:
    return hashlib.sha256(content.encode("utf-8") if isinstance(content, str) else content).hexdigest()


def _decimal(
    raw: str, *, line: int, name: str, errors: list[tuple[int, str]], required: bool
) -> Decimal | None:
    if not raw:
        if required:
            errors.append((line, _("%(field)s is required") % {"field": name}))
        return None
    try:
        return Decimal(raw.replace(",", "."))
    except InvalidOperation:
        errors.append((line, _("%(field)s is not a number: %(value)s") % {"field": name, "value": raw}))
        return None


def _column(row: dict[str, str], prefix: str) -> str:
    """``target`` or a year-suffixed ``target_2021`` (later plans name their own year)."""
    if prefix in row:
        return row[prefix]
    return next((v for k, v in row.items() if k.startswith(f"{prefix}_")), "")


def _save(instance: models.Model, values: dict[str, Any], summary: LoadSummary, label: str) -> models.Model:
    """Apply ``values``; save only when something differs, so a reload writes nothing."""
    changed = instance.pk is None
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    if changed:
        instance.full_clean()
        (summary.created if instance.pk is None else summary.updated).append(label)
        instance.save()
    return instance


@transaction.atomic
def plan_targets_load(*, content: str | bytes, plan: str, by: Actor | None) -> LoadSummary:
    """Load one plan's targets (key, indicator, scope, target[_YEAR], baseline[_YEAR], unit,
    how_measured[_in_egov]) in file order."""
    errors: list[tuple[int, str]] = []
    parsed = []
    for order, (line, row) in enumerate(_rows(content), start=1):
        key = row.get("key", "")
        if not key or not row.get("indicator"):
            errors.append((line, _("key and indicator are required")))
            continue
        parsed.append(
            (
                key,
                {
                    "indicator": row["indicator"],
                    "scope": row.get("scope", ""),
                    "target": _decimal(
                        _column(row, "target"), line=line, name="target", errors=errors, required=False
                    ),
                    "baseline": _decimal(
                        _column(row, "baseline"), line=line, name="baseline", errors=errors, required=False
                    ),
                    "unit": row.get("unit") or "percent",
                    "how_measured": _column(row, "how_measured"),
                    "order": order,
                },
            )
        )
    keys = [key for key, _values in parsed]
    errors += [
        (0, _("key %(key)s appears twice") % {"key": k})
        for k in sorted({k for k in keys if keys.count(k) > 1})
    ]
    if errors:
        raise PlanDataError(errors)
    summary = LoadSummary()
    existing = {t.key: t for t in PlanTarget.objects.select_for_update().filter(plan=plan)}
    for key, values in parsed:
        _save(existing.get(key) or PlanTarget(plan=plan, key=key), values, summary, key)
    for key in sorted(set(existing) - set(keys)):
        existing[key].delete()
        summary.removed.append(key)
    if summary.changed:
        audit_record(
            event=EVENT_TARGETS_LOADED,
            actor=by,
            after={"plan": plan, "file_sha256": _digest(content), **summary.as_dict()},
        )
    return summary


@transaction.atomic
def index766_load(*, content: str | bytes, by: Actor | None) -> LoadSummary:
    """Load the service index's groups and indicators (group_key, group_name, group_max_points,
    key, name, max_points, numerator_metric, denominator_metric, definition), checking that
    every metric exists and that each group's indicators add up to its maximum."""
    groups, indicators = _index766_parse(content)
    summary = LoadSummary()
    existing_groups = {g.key: g for g in IndexGroup.objects.select_for_update()}
    existing = {i.key: i for i in IndexIndicator.objects.select_for_update()}
    saved_groups = {
        key: _save(existing_groups.get(key) or IndexGroup(key=key), values, summary, f"group:{key}")
        for key, values in groups.items()
    }
    for group_key, key, values in indicators:
        _save(
            existing.get(key) or IndexIndicator(key=key),
            {"group_id": saved_groups[group_key].pk, **values},
            summary,
            key,
        )
    for key in sorted(set(existing) - {k for _g, k, _v in indicators}):
        existing[key].delete()
        summary.removed.append(key)
    for key in sorted(set(existing_groups) - set(groups)):
        existing_groups[key].delete()
        summary.removed.append(f"group:{key}")
    if summary.changed:
        audit_record(
            event=EVENT_INDEX766_LOADED,
            actor=by,
            after={"file_sha256": _digest(content), **summary.as_dict()},
        )
    return summary


_Indicator = tuple[str, str, dict[str, Any]]  # group key, key, values


def _index766_parse(content: str | bytes) -> tuple[dict[str, dict[str, Any]], list[_Indicator]]:
    """The file's groups and indicators; PlanDataError with every problem found."""
    errors: list[tuple[int, str]] = []
    groups: dict[str, dict[str, Any]] = {}
    indicators: list[_Indicator] = []
    sums: dict[str, Decimal] = {}
    for line, row in _rows(content):
        group_key, key = row.get("group_key", ""), row.get("key", "")
        if not group_key or not key or not row.get("name") or not row.get("group_name"):
            errors.append((line, _("group_key, group_name, key and name are required")))
            continue
        group_max = _decimal(
            row.get("group_max_points", ""), line=line, name="group_max_points", errors=errors, required=True
        )
        points = _decimal(
            row.get("max_points", ""), line=line, name="max_points", errors=errors, required=True
        )
        for column in ("numerator_metric", "denominator_metric"):
            if row.get(column, "") not in METRICS:
                errors.append((line, _("unknown metric %(metric)s") % {"metric": row.get(column, "")}))
        group = {"name": row["group_name"], "max_points": group_max, "order": len(groups) + 1}
        if group_key not in groups:
            groups[group_key] = group
        elif (groups[group_key]["name"], groups[group_key]["max_points"]) != (
            group["name"],
            group["max_points"],
        ):
            errors.append((line, _("group %(group)s is described differently above") % {"group": group_key}))
        sums[group_key] = sums.get(group_key, Decimal(0)) + (points or 0)
        order = sum(1 for g, _k, _v in indicators if g == group_key) + 1
        indicators.append((group_key, key, _indicator_values(row, points, order)))
    errors += _index766_totals_errors(groups, indicators, sums)
    if errors:
        raise PlanDataError(errors)
    return groups, indicators


def _indicator_values(row: dict[str, str], points: Decimal | None, order: int) -> dict[str, Any]:
    return {
        "name": row["name"],
        "max_points": points,
        "numerator_metric": row.get("numerator_metric", ""),
        "denominator_metric": row.get("denominator_metric", ""),
        "definition": row.get("definition", ""),
        "order": order,
    }


def _index766_totals_errors(
    groups: dict[str, dict[str, Any]], indicators: list[_Indicator], sums: dict[str, Decimal]
) -> list[tuple[int, str]]:
    """Keys used twice, and groups whose indicators do not add up to the group's maximum."""
    keys = [k for _g, k, _v in indicators]
    errors = [
        (0, _("key %(key)s appears twice") % {"key": k})
        for k in sorted({k for k in keys if keys.count(k) > 1})
    ]
    for group_key, group in groups.items():
        if group["max_points"] is not None and sums[group_key] != group["max_points"]:
            errors.append(
                (
                    0,
                    _("the indicators of group %(group)s add up to %(sum)s points, not %(max)s")
                    % {"group": group_key, "sum": sums[group_key], "max": group["max_points"]},
                )
            )
    return errors


@transaction.atomic
def load_plan_data(*, by: Actor | None) -> dict[str, LoadSummary]:
    """The demo's plan (195/KH-UBND targets for 2021) and the default service index definition."""
    return {
        "targets": plan_targets_load(content=DEMO_TARGETS_FILE.read_bytes(), plan=PLAN_2021, by=by),
        "index766": index766_load(content=INDEX766_FILE.read_bytes(), by=by),
    }
