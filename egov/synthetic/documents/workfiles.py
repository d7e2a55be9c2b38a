"""Each agency's yearly file plan and work files, opened the first time a document is filed in
them: files of past years are closed (and, a year later, transferred to the archive); this
year's are open."""

from __future__ import annotations

import datetime as dt

from egov.documents.models import WorkFile, WorkFileItem, WorkFileState
from egov.synthetic.documents import vocab
from egov.synthetic.documents.agencies import AgencyInfo
from egov.synthetic.documents.tables import Batch


class WorkFiles:
    def __init__(self, *, next_ids: dict[str, int], end: dt.datetime) -> None:
        self.next_ids = next_ids
        self.end = end
        self.today = end.date()
        self.files: dict[tuple[int, int, str], list[int]] = {}  # key → [id, last order, owner]
        for pk, unit, year, code in WorkFile.objects.values_list("pk", "unit_id", "year", "code"):
            last = (
                WorkFileItem.objects.filter(work_file_id=pk)
                .order_by("-order")
                .values_list("order", flat=True)
            )
            self.files[(unit, year, code.rsplit(".", 1)[-1])] = [pk, next(iter(last), 0), 0]

    def _id(self, table: str) -> int:
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    def _open(self, batch: Batch, agency: AgencyInfo, year: int, code: str) -> list[int]:
        title, retention = next((t, r) for c, t, r in vocab.FILE_PLAN if c == code)
        title = title.format(y=year)
        owner = agency.people["clerk" if code == "04" else "specialist"][0]
        plan = self._id("plans")
        batch.add("plans", (plan, agency.pk, year, code, title, retention, owner))
        opened = max(dt.date(year, 1, 1), agency.valid_from or dt.date(year, 1, 1))
        last_day = dt.date(year, 12, 31)
        if agency.valid_to is not None:
            last_day = min(last_day, agency.valid_to - dt.timedelta(days=1))
        state, closed, transfer_due = WorkFileState.OPEN, None, None
        if last_day < self.today:
            closed, transfer_due = last_day, last_day.replace(year=last_day.year + 1)
            state = WorkFileState.TRANSFERRED if transfer_due < self.today else WorkFileState.CLOSED
        pk = self._id("workfiles")
        file_code = f"{agency.code or agency.pk}.{year}.{agency.abbreviation}.{code}"[:40]
        batch.add("workfiles", (
            pk, agency.pk, plan, year, file_code, title, retention, owner, "vi", "", state, opened, closed,
            transfer_due, None, False, self.end,
        ))  # fmt: skip
        return [pk, 0, owner]

    def add(self, batch: Batch, agency: AgencyInfo, document: int, at: dt.datetime, code: str) -> None:
        year = at.astimezone(self.end.tzinfo).year
        key = (agency.pk, year, code)
        if key not in self.files:
            self.files[key] = self._open(batch, agency, year, code)
        record = self.files[key]
        record[1] += 1
        batch.add("items", (record[0], document, record[1], record[2] or agency.people["clerk"][0], at))
