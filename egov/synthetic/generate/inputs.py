"""Reading the generator's inputs from the database."""

from __future__ import annotations

from collections.abc import Callable

from egov.accounts.models import Role, RoleAssignment
from egov.catalog.models import ProcedureVersion, VersionStatus
from egov.dossiers.services import DossierError, agency_code_for
from egov.orgs.models import Unit, UnitKind
from egov.synthetic.generate.data import ChannelInfo, PaperTemplate, StepTemplate, UnitInfo, VersionInfo
from egov.workcal import Calendar
from egov.workcal.models import WorkCalendar
from egov.workcal.selectors import calendar_from_record

STAFFED_WEIGHT = 6.0  # one-stops where someone holds the one-stop officer role


# ---------------------------------------------------------------- reading the inputs


def load_inputs() -> tuple[list[UnitInfo], list[VersionInfo]]:
    """The current one-stop departments and published procedure versions, as plain data."""
    return _units(), _versions()


def _calendar_finder() -> Callable[[str], Calendar]:
    """The working calendar of the unit at a path: the nearest stored one above it, or the default."""
    records = {c.unit_id: c for c in WorkCalendar.objects.prefetch_related("overrides")}
    calendars: dict[int | None, Calendar] = {}

    def calendar_for(path: str) -> Calendar:
        ids = [int(p) for p in path.strip("/").split("/") if p]
        record_id = next((i for i in reversed(ids) if i in records), None)
        if record_id not in calendars:
            calendars[record_id] = calendar_from_record(records[record_id]) if record_id else Calendar()
        return calendars[record_id]

    return calendar_for


def _units() -> list[UnitInfo]:
    calendar_for = _calendar_finder()
    communes = list(
        Unit.objects.filter(kind=UnitKind.COMMUNE, valid_to__isnull=True)
        .select_related("parent")
        .order_by("path")
    )
    # One-stops with an officer on the system are where the demo logs in: give them a busy counter.
    staffed = set(
        RoleAssignment.objects.active().filter(role=Role.ONE_STOP_OFFICER).values_list("unit_id", flat=True)
    )
    units = []
    for unit in (
        Unit.objects.filter(kind=UnitKind.ONE_STOP, valid_to__isnull=True)
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
    return units


def _versions() -> list[VersionInfo]:
    return [
        _version_info(version)
        for version in ProcedureVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("procedure")
        .prefetch_related("channels", "process_steps", "papers")
        .order_by("procedure__code")
    ]


def _version_info(version: ProcedureVersion) -> VersionInfo:
    steps: dict[str, list[StepTemplate]] = {}
    for s in sorted(version.process_steps.all(), key=lambda s: (s.level, s.order)):
        steps.setdefault(s.level, []).append(
            StepTemplate(s.order, s.name, s.role, s.budget_amount, s.budget_unit)
        )
    return VersionInfo(
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
    )  # fmt: skip
