from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import Province
from egov.orgs.models import Unit


def _csv(text: str, name: str = "units.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_bad_upload_lists_each_line_in_vietnamese_and_imports_nothing(
    client: Client, province: Province, login_as: Callable[[str], Any]
) -> None:
    login_as("system_admin")
    before = Unit.objects.count()
    bad = "gso_code,name,unit_type,level,parent_gso_code\n50,Xã Mới,Xã,hamlet,10\n51,,Xã,commune,999\n"
    response = client.post("/units/import/", {"units_file": _csv(bad)})
    assert response.status_code == 422
    body = response.content.decode()
    assert "dòng 2" in body and "dòng 3" in body
    assert "Chưa có dữ liệu nào được nhập" in body
    assert Unit.objects.count() == before


def test_upload_refuses_files_that_are_not_csv_text(
    client: Client, province: Province, login_as: Callable[[str], Any]
) -> None:
    login_as("system_admin")
    binary = SimpleUploadedFile("units.csv", b"\x00\x01PK\x03\x04", content_type="text/csv")
    assert client.post("/units/import/", {"units_file": binary}).status_code == 422
    assert client.post("/units/import/", {"units_file": _csv("a,b", name="units.xlsx")}).status_code == 422


def test_good_upload_adds_the_communes(
    client: Client, province: Province, login_as: Callable[[str], Any]
) -> None:
    login_as("system_admin")
    good = "gso_code,name,unit_type,level,parent_gso_code\n13,Xã A3,Xã,commune,10\n"
    response = client.post("/units/import/", {"units_file": _csv(good), "valid_from": "01/07/2024"})
    assert response.status_code == 302
    commune = Unit.objects.get(gso_code="13")
    assert commune.parent == province.district_a
    assert str(commune.valid_from) == "2024-07-01"


def test_reorganisation_needs_the_replaced_unit_and_date(
    client: Client, province: Province, login_as: Callable[[str], Any]
) -> None:
    login_as("system_admin")
    units = "gso_code,name,unit_type,level,parent_gso_code\n1,Tỉnh Thử Nghiệm,Tỉnh,province,\n30,Xã Gộp,Xã,commune,1\n"
    mapping = "old_gso_code,old_name,new_gso_code,new_name,split\n11,Xã A1,30,Xã Gộp,no\n"
    response = client.post(
        "/units/import/", {"units_file": _csv(units), "mapping_file": _csv(mapping, "map.csv")}
    )
    assert response.status_code == 422
    assert Unit.objects.filter(valid_to__isnull=False).count() == 0
    response = client.post(
        "/units/import/",
        {
            "units_file": _csv(units),
            "mapping_file": _csv(mapping, "map.csv"),
            "replaces": province.province.pk,
            "valid_from": "01/07/2025",
        },
    )
    assert response.status_code == 302
    merged = Unit.objects.get(gso_code="30")
    assert [s.predecessor.name for s in merged.predecessions.all()] == ["Xã A1"]
