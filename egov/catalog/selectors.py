"""Reading the catalogue: public search and pages, and the data view of a version."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from egov.accounts.types import Visitor
from egov.catalog.data import ChannelData, PaperData, ProcedureData, StepData
from egov.catalog.models import ChannelOption, Procedure, ProcedureVersion, ProcessStep, VersionStatus
from egov.catalog.permissions import can_edit_catalogue
from egov.catalog.text import fold


def version_to_data(version: ProcedureVersion) -> ProcedureData:
    return ProcedureData(
        code=version.procedure.code,
        name=version.name,
        field_code=version.field.code,
        field_name=version.field.name,
        published_code=version.published_code,
        levels=list(version.levels),
        implementing_agency=version.implementing_agency,
        applicant_types=list(version.applicant_types),
        online_level=version.online_level,
        legacy_level=version.legacy_level,
        cutoff=version.cutoff,
        supplement_mode=version.supplement_mode,
        steps=version.steps,
        conditions=version.conditions,
        results=version.results,
        legal_basis=version.legal_basis,
        decision_number=version.decision_number,
        decision_date=version.decision_date,
        is_example_code=version.procedure.is_example_code,
        channels=[
            ChannelData(
                c.channel, c.time_amount, c.time_unit, c.fee_kind, c.fee_amount, c.fee_collection, c.fee_note
            )
            for c in version.channels.all()
        ],
        papers=[
            PaperData(
                p.order,
                p.name,
                p.originals,
                p.certified_copies,
                p.photocopies,
                p.template.name or "",
                p.optional,
            )
            for p in version.papers.all()
        ],
        process=[
            StepData(
                s.level, s.order, s.name, s.role, s.unit_kind, s.budget_amount, s.budget_unit, s.handover_to
            )
            for s in version.process_steps.all()
        ],
    )


@dataclass(frozen=True)
class VersionRules:
    """What processing a dossier needs from its version: the internal process (ordered by
    level, then order) and the channels with their time limits. Treat as read-only."""

    process_steps: tuple[ProcessStep, ...]
    channels: tuple[ChannelOption, ...]

    def steps_at(self, level: str) -> list[ProcessStep]:
        return [s for s in self.process_steps if s.level == level]


def version_rules(version: ProcedureVersion) -> VersionRules:
    """The version's process and channels; read once per process for a non-draft version.

    Only a draft is ever edited (catalog.services writes content while the status is draft,
    and publishing never goes back), so the rules of any other version are frozen. The key
    also holds the row's timestamps: a row that reuses a primary key (SQLite after a rollback)
    or a publication that was rolled back and redone never meets rules read for another."""
    if version.status == VersionStatus.DRAFT or version.pk is None:
        return _rules_load(version.pk)
    return _rules_frozen(version.pk, version.created_at, version.updated_at)


def _rules_load(version_id: int | None) -> VersionRules:
    return VersionRules(
        process_steps=tuple(ProcessStep.objects.filter(version_id=version_id).order_by("level", "order")),
        channels=tuple(ChannelOption.objects.filter(version_id=version_id).order_by("channel")),
    )


@functools.lru_cache(maxsize=1024)
def _rules_frozen(version_id: int, created_at: dt.datetime, updated_at: dt.datetime) -> VersionRules:
    return _rules_load(version_id)


def versions_in_force(on: dt.date | None = None) -> QuerySet[ProcedureVersion]:
    """The versions citizens see: published, or withdrawn from a date still to come."""
    day = on or timezone.localdate()
    return ProcedureVersion.objects.filter(
        Q(status=VersionStatus.PUBLISHED) | Q(status=VersionStatus.WITHDRAWN, withdrawn_from__gt=day)
    ).select_related("procedure", "field")


def procedure_search(
    *,
    q: str = "",
    field: str = "",
    level: str = "",
    online_level: str = "",
    agency: str = "",
) -> QuerySet[ProcedureVersion]:
    """Diacritics- and case-insensitive search; names that start with the query rank first,
    then names containing it, then matches in codes, field or agency."""
    qs = versions_in_force()
    folded = fold(q)
    for token in folded.split():
        qs = qs.filter(search_text__contains=token)
    if field:
        qs = qs.filter(field__code=field)
    if level:
        # JSON list membership, written portably: levels are stored as a list of short words.
        qs = qs.filter(levels__icontains=f'"{level}"')
    if online_level:
        qs = qs.filter(online_level=online_level)
    if agency:
        qs = qs.filter(search_text__contains=fold(agency))
    if folded:
        qs = qs.annotate(
            rank=Case(
                When(name_folded__startswith=folded, then=Value(0)),
                When(name_folded__contains=folded, then=Value(1)),
                When(procedure__code__startswith=q.strip(), then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        ).order_by("rank", "name_folded")
    else:
        qs = qs.order_by("name_folded")
    return qs


def procedure_public_get(*, code: str, number: int | None = None) -> ProcedureVersion:
    """The version in force (or a named older, non-draft version) of a procedure; 404 otherwise."""
    base = ProcedureVersion.objects.select_related("procedure", "field").prefetch_related(
        "channels", "papers", "process_steps"
    )
    if number is None:
        found = base.filter(pk__in=versions_in_force().filter(procedure__code=code).values("pk")).first()
    else:
        found = base.filter(procedure__code=code, number=number).exclude(status=VersionStatus.DRAFT).first()
    if found is None:
        raise Http404
    return found


def procedure_versions(procedure: Procedure) -> QuerySet[ProcedureVersion]:
    return procedure.versions.order_by("-number")


def procedure_get_for_officer(*, user: Visitor, code: str) -> Procedure:
    from django.shortcuts import get_object_or_404

    if not can_edit_catalogue(user):
        raise Http404
    return get_object_or_404(Procedure, code=code)


def fields_in_use() -> list[tuple[str, str]]:
    return list(
        versions_in_force().values_list("field__code", "field__name").distinct().order_by("field__name")
    )
