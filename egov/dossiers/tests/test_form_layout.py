"""Forms 01–07 as printed: Decree 30's header block never wraps inside the motto or a place name,
the date line carries the place name, signature blocks carry the signer (issue #13)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import Province
from egov.dossiers import pdf, services
from egov.dossiers.models import Dossier
from egov.orgs.models import Unit, UnitKind

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"


def _lines(pdf_bytes: bytes) -> list[str]:
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf_bytes)).pages[0].extract_text()
    return [re.sub(r"\s+", " ", line).strip() for line in text.splitlines() if line.strip()]


@pytest.fixture
def long_names(province: Province) -> Province:
    """Real-length names: the short test names would fit on any line and prove nothing."""
    district, commune = province.district_a, province.commune_a1
    Unit.objects.filter(pk=district.pk).update(name="Thành phố Rạch Giá", unit_type="Thành phố")
    Unit.objects.filter(pk=commune.pk).update(name="Phường Vĩnh Thanh Vân", unit_type="Phường")
    Unit.objects.filter(parent=commune, kind=UnitKind.PEOPLES_COMMITTEE).update(
        name="Ủy ban nhân dân phường Vĩnh Thanh Vân"
    )
    Unit.objects.filter(pk=province.one_stop_a1.pk).update(name="Bộ phận Một cửa phường Vĩnh Thanh Vân")
    return province


def _dossiers(receive: Any, personas: dict[str, Any], commune_staff: dict[str, Any]) -> dict[str, Dossier]:
    officer = personas["officer_a1"]
    received = receive()
    supplement = receive()
    services.dossier_pause(
        dossier=supplement,
        kind="supplement",
        reason="Thiếu giấy",
        items="Giấy chứng sinh bản chính",
        by=officer,
    )
    extended = receive(received_at=timezone.now() - dt.timedelta(days=10))
    services.dossier_extend(
        dossier=extended, new_due_at=timezone.now() + dt.timedelta(days=5), reason="Chờ xác minh", by=officer
    )
    stopped = receive()
    services.dossier_stop(
        dossier=stopped, reason="Người nộp không bổ sung", by=commune_staff["agency_leader"]
    )
    stepped = receive()
    services.step_forward(dossier=stepped, by=commune_staff["specialist"])
    made = {"01": received, "02": supplement, "04": extended, "05": stopped, "06": stepped}
    return {no: Dossier.objects.get(pk=d.pk) for no, d in made.items()}


def _refused(province: Province, procedure: Any, personas: dict[str, Any]) -> Dossier:
    from conftest import APPLICANT

    return services.dossier_refuse_intake(
        unit=province.one_stop_a1,
        version=procedure,
        applicant=APPLICANT,
        reason="Không thuộc thẩm quyền",
        by=personas["officer_a1"],
    )


def _check_header(lines: list[str], form_no: str) -> None:
    joined = "\n".join(lines)
    assert any(MOTTO in line for line in lines), f"form {form_no}: motto wrapped\n{joined}"
    assert any(MOTTO_2 in line for line in lines), f"form {form_no}: motto line 2 wrapped\n{joined}"
    assert any("VĨNH THANH VÂN" in line for line in lines), f"form {form_no}: agency name split\n{joined}"
    assert not any(line.endswith(("VĨNH", "VIỆT")) for line in lines), f"form {form_no}\n{joined}"
    assert not any(line.startswith(("THANH VÂN", "NAM ")) or line == "NAM" for line in lines), joined


@pytest.mark.slow
def test_forms_01_to_06_follow_decree_30(
    long_names: Province,
    receive: Any,
    procedure: Any,
    personas: dict[str, Any],
    commune_staff: dict[str, Any],
) -> None:
    dossiers = _dossiers(receive, personas, commune_staff)
    dossiers["03"] = _refused(long_names, procedure, personas)
    png_dir = os.environ.get("EGOV_FORM_PNG_DIR")
    for form_no, dossier in sorted(dossiers.items()):
        assert form_no in pdf.forms_available(dossier)
        html = pdf.render_form_html(dossier, form_no)
        lines = _lines(pdf.html_to_pdf(html))
        _check_header(lines, form_no)
        assert any(re.search(r"Vĩnh Thanh Vân, ngày \d\d tháng \d\d năm \d{4}", line) for line in lines), (
            lines
        )
        if form_no in pdf.SIGNER_EVENTS or form_no == "01":
            signer = pdf.form_signer(dossier, form_no)
            assert signer is not None and signer.full_name in "\n".join(lines), (form_no, lines)
        if png_dir:
            Path(png_dir, f"form_{form_no}.pdf").write_bytes(pdf.html_to_pdf(html))
    html_06 = pdf.render_form_html(dossiers["06"], "06")
    assert "Đang xử lý" in html_06 and "đang xử lý" not in html_06


def test_form_07_register_header(
    client: Client, long_names: Province, receive: Any, login_as: Callable[[str], Any]
) -> None:
    receive()
    login_as("officer_a1")
    today = timezone.localdate().strftime("%d/%m/%Y")
    response = client.get("/dossiers/register/", {"start": today, "end": today, "format": "pdf"})
    lines = _lines(response.content)
    _check_header(lines, "07")
    if png_dir := os.environ.get("EGOV_FORM_PNG_DIR"):
        Path(png_dir, "form_07.pdf").write_bytes(response.content)


def test_place_name_is_derived_from_the_area(long_names: Province) -> None:
    assert pdf.place_name(long_names.one_stop_a1) == "Vĩnh Thanh Vân"
    assert pdf.place_name(Unit.objects.get(pk=long_names.district_a.pk)) == "Rạch Giá"
    Unit.objects.filter(pk=long_names.commune_a1.pk).update(name="Phường 5", unit_type="")
    assert pdf.place_name(Unit.objects.get(pk=long_names.one_stop_a1.pk)) == "Phường 5"
    assert pdf.agency_line(Unit.objects.get(pk=long_names.district_a.pk)) == ("Thành phố Rạch Giá", "")


def test_a_form_converts_to_png(
    tmp_path: Path, long_names: Province, receive: Any, personas: dict[str, Any]
) -> None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    source = tmp_path / "form.pdf"
    source.write_bytes(pdf.html_to_pdf(pdf.render_form_html(receive(), "01")))
    subprocess.run(  # noqa: S603 - our own file in a temporary directory
        [pdftoppm, "-png", "-r", "50", "-f", "1", "-l", "1", str(source), str(tmp_path / "p")], check=True
    )
    assert list(tmp_path.glob("p*.png"))
