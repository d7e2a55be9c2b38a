"""Writing the catalogue. Published versions are immutable; every change is audited."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from egov.accounts.types import Actor
from egov.audit.models import AuditEvent
from egov.audit.services import audit_record
from egov.catalog.data import Problem, ProcedureData, validate
from egov.catalog.models import (
    ChannelOption,
    Field,
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredPaper,
    VersionStatus,
)
from egov.catalog.selectors import version_to_data
from egov.catalog.spreadsheet import ParsedCatalogue
from egov.catalog.text import fold


class CatalogError(Exception):
    """The data was refused; ``problems`` says why, field by field."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.where}.{p.column}: {p.message}" for p in problems[:5]))
        self.problems = problems


def _field_for(data: ProcedureData) -> Field:
    found = Field.objects.filter(code=data.field_code).first()
    if found is None:
        if not data.field_name.strip():
            from django.utils.translation import gettext as _

            raise CatalogError(
                [Problem("procedure", "field_code", _("unknown field “%s”") % data.field_code)]
            )
        found = Field.objects.create(code=data.field_code, name=data.field_name.strip())
    return found


def _search_text(data: ProcedureData, field: Field) -> str:
    parts = [data.name, data.code, data.published_code, field.name, data.implementing_agency]
    return fold(" | ".join(p for p in parts if p))


def _write_content(version: ProcedureVersion, data: ProcedureData, field: Field) -> None:
    version.name = data.name.strip()
    version.name_folded = fold(version.name)
    version.search_text = _search_text(data, field)
    version.published_code = data.published_code.strip()
    version.field = field
    version.levels = list(data.levels)
    version.implementing_agency = data.implementing_agency.strip()
    version.applicant_types = list(data.applicant_types)
    version.online_level = data.online_level
    version.legacy_level = data.legacy_level
    version.cutoff = data.cutoff
    version.supplement_mode = data.supplement_mode
    for text_field in ("steps", "conditions", "results", "legal_basis", "decision_number"):
        setattr(version, text_field, getattr(data, text_field).strip())
    version.decision_date = data.decision_date
    version.full_clean(exclude=["procedure"])
    version.save()
    version.channels.all().delete()
    version.papers.all().delete()
    version.process_steps.all().delete()
    ChannelOption.objects.bulk_create(
        ChannelOption(version=version, **dataclasses.asdict(c)) for c in data.channels
    )
    RequiredPaper.objects.bulk_create(
        RequiredPaper(version=version, **{k: v for k, v in dataclasses.asdict(p).items() if k != "template"})
        for p in data.papers
    )
    ProcessStep.objects.bulk_create(
        ProcessStep(version=version, **dataclasses.asdict(s)) for s in data.process
    )


@transaction.atomic
def procedure_save_draft(*, data: ProcedureData, by: Actor | None) -> ProcedureVersion:
    """Create or update the procedure's draft (a published version is never changed in place)."""
    problems = validate(data)
    if problems:
        raise CatalogError(problems)
    procedure, created = Procedure.objects.select_for_update().get_or_create(
        code=data.code.strip(), defaults={"is_example_code": data.is_example_code}
    )
    if not created and procedure.is_example_code != data.is_example_code:
        Procedure.objects.filter(pk=procedure.pk).update(is_example_code=data.is_example_code)
    field = _field_for(data)
    draft = procedure.versions.filter(status=VersionStatus.DRAFT).first()
    before = version_to_data(draft).as_json() if draft else None
    if draft is None:
        number = (procedure.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        draft = ProcedureVersion(procedure=procedure, number=number, status=VersionStatus.DRAFT)
    _write_content(draft, data, field)
    audit_record(
        event=AuditEvent.PROCEDURE_DRAFT_SAVED,
        actor=by,
        target=draft,
        before=before,
        after=version_to_data(draft).as_json(),
    )
    return draft


@transaction.atomic
def procedure_publish(
    *, version: ProcedureVersion, decision_number: str, decision_date: dt.date, by: Actor | None
) -> ProcedureVersion:
    """Publish a draft against its decision; the previously published version is superseded."""
    from django.utils.translation import gettext as _

    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise CatalogError([Problem("procedure", "status", _("only a draft can be published"))])
    if not decision_number.strip():
        raise CatalogError([Problem("procedure", "decision_number", _("must not be empty"))])
    data = version_to_data(version)
    problems = validate(data, for_publishing=True)
    if problems:
        raise CatalogError(problems)
    previous = ProcedureVersion.objects.filter(procedure=version.procedure, status=VersionStatus.PUBLISHED)
    superseded = list(previous.values_list("number", flat=True))
    previous.update(status=VersionStatus.SUPERSEDED)
    version.status = VersionStatus.PUBLISHED
    version.decision_number = decision_number.strip()
    version.decision_date = decision_date
    version.published_at = timezone.now()
    version.save(update_fields=["status", "decision_number", "decision_date", "published_at", "updated_at"])
    audit_record(
        event=AuditEvent.PROCEDURE_PUBLISHED,
        actor=by,
        target=version,
        after={
            "version": version.number,
            "decision_number": version.decision_number,
            "decision_date": decision_date.isoformat(),
            "superseded": superseded,
        },
    )
    return version


@transaction.atomic
def procedure_withdraw(*, procedure: Procedure, on: dt.date, reason: str, by: Actor) -> ProcedureVersion:
    """Withdraw the published version from ``on``; dossiers already received keep it."""
    from django.utils.translation import gettext as _

    version = (
        ProcedureVersion.objects.select_for_update()
        .filter(procedure=procedure, status=VersionStatus.PUBLISHED)
        .first()
    )
    if version is None:
        raise CatalogError([Problem("procedure", "status", _("the procedure has no published version"))])
    version.status = VersionStatus.WITHDRAWN
    version.withdrawn_from = on
    version.save(update_fields=["status", "withdrawn_from", "updated_at"])
    audit_record(
        event=AuditEvent.PROCEDURE_WITHDRAWN,
        actor=by,
        target=version,
        after={"version": version.number, "withdrawn_from": on.isoformat(), "reason": reason},
    )
    return version


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int
    published: int


def _normalised(data: ProcedureData) -> dict[str, Any]:
    raw = data.as_json()
    raw["channels"] = sorted(raw["channels"], key=lambda c: c["channel"])
    raw["papers"] = sorted(raw["papers"], key=lambda p: p["order"])
    raw["process"] = sorted(raw["process"], key=lambda s: (s["level"], s["order"]))
    return raw


@transaction.atomic
def catalog_import(
    *, parsed: ParsedCatalogue, by: Actor | None, progress: Callable[[int, int], None] | None = None
) -> ImportReport:
    """Apply a validated catalogue: unchanged procedures are skipped, changed ones get a new
    version (published when the row carries its decision). All or nothing."""
    for code, name in parsed.fields.items():
        Field.objects.update_or_create(code=code, defaults={"name": name})
    created = updated = unchanged = published = 0
    total = len(parsed.procedures)
    for index, data in enumerate(parsed.procedures, start=1):
        current = (
            ProcedureVersion.objects.filter(procedure__code=data.code, status=VersionStatus.PUBLISHED)
            .select_related("procedure", "field")
            .first()
        )
        if current is not None and _normalised(version_to_data(current)) == _normalised(data):
            unchanged += 1
        else:
            exists = Procedure.objects.filter(code=data.code).exists()
            draft = procedure_save_draft(data=data, by=by)
            created, updated = (created, updated + 1) if exists else (created + 1, updated)
            if data.decision_number and data.decision_date:
                procedure_publish(
                    version=draft,
                    decision_number=data.decision_number,
                    decision_date=data.decision_date,
                    by=by,
                )
                published += 1
        if progress is not None:
            progress(index, total)
    report = ImportReport(created=created, updated=updated, unchanged=unchanged, published=published)
    audit_record(event=AuditEvent.CATALOGUE_IMPORTED, actor=by, after=dataclasses.asdict(report))
    return report
