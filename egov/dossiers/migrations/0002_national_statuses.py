"""Seed the mapping to the national portal's status codes (TrangThaiHoSo). Editable data."""

from django.db import migrations

MAPPING = [
    ("registered", 1, "Mới đăng ký"),
    ("refused", 3, "Không được tiếp nhận"),
    ("processing", 4, "Đang xử lý"),
    ("consultation", 4, "Đang xử lý"),
    ("supplement", 5, "Yêu cầu bổ sung giấy tờ"),
    ("obligation", 6, "Yêu cầu thực hiện nghĩa vụ tài chính"),
    ("withdrawn", 7, "Công dân yêu cầu rút hồ sơ"),
    ("stopped", 8, "Dừng xử lý"),
    ("resolved", 9, "Đã xử lý xong"),
    ("returned", 10, "Đã trả kết quả"),
]


def seed(apps, schema_editor):
    NationalStatus = apps.get_model("dossiers", "NationalStatus")
    for state, code, name in MAPPING:
        NationalStatus.objects.update_or_create(state=state, defaults={"code": code, "name": name})


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
