"""Pure random data: who applies, from where, and the reasons written in the dossiers."""

from __future__ import annotations

import random

from egov.catalog.text import fold
from egov.synthetic.generate.data import UnitInfo, VersionInfo

FAMILY_NAMES = (
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9.5),
    ("Phạm", 7),
    ("Huỳnh", 5),
    ("Hoàng", 3),
    ("Phan", 4.5),
    ("Võ", 4),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1),
    ("Lý", 0.8),
)
MIDDLE_MALE = ("Văn", "Văn", "Hữu", "Minh", "Thanh", "Quốc", "Đức", "Công", "Hoàng")
MIDDLE_FEMALE = ("Thị", "Thị", "Ngọc", "Thanh", "Thu", "Kim", "Mỹ", "Minh")
GIVEN_MALE = (
    "An", "Bình", "Cường", "Dũng", "Hùng", "Nam", "Phúc", "Quang", "Tuấn", "Hải", "Khang", "Long", "Sơn",
    "Thắng", "Tài", "Hiếu", "Lộc", "Phong", "Trung", "Vinh",
)  # fmt: skip
GIVEN_FEMALE = (
    "Hà", "Hạnh", "Lan", "Linh", "Ngọc", "Thảo", "Trang", "Vy", "Mai", "Hương", "Nhung", "Yến", "Thúy",
    "Diễm", "Nhi", "Trinh", "Phương", "Tuyết",
)  # fmt: skip
TRADE_NAMES = (
    "Phú Quốc Xanh", "Hải Sản Kiên Hải", "Thương mại Rạch Giá", "Xây dựng Hà Tiên", "Vận tải Minh Phát",
    "Nông sản Tân Hiệp", "Du lịch Biển Ngọc", "Dược phẩm Kiên Giang", "Thủy sản Sông Cái", "Cơ khí Hòn Đất",
)  # fmt: skip
ORGANISATIONS = (
    "Hợp tác xã Nông nghiệp {t}", "Trường Tiểu học {t}", "Hội Nông dân {t}", "Chi hội Chữ thập đỏ {t}",
)  # fmt: skip
HAMLETS = ("Tân Điền", "Phước Lợi", "Hòa Bình", "Thạnh An", "Kinh Tư", "Ba Hòn", "Tràm Chẹt", "Vàm Răng")

REFUSE_REASONS = (
    "Hồ sơ không đủ thành phần theo quy định (thiếu giấy tờ tùy thân của người yêu cầu).",
    "Yêu cầu không thuộc thẩm quyền giải quyết của cơ quan; đã hướng dẫn nộp tại cơ quan có thẩm quyền.",
    "Giấy tờ nộp kèm là bản chụp không có bản chính để đối chiếu.",
    "Tờ khai chưa ghi đầy đủ thông tin theo mẫu; đã hướng dẫn người nộp hoàn thiện.",
)
DECISION_REFUSALS = (
    "Không đủ điều kiện theo quy định; đã có văn bản trả lời nêu rõ lý do.",
    "Kết quả xác minh không phù hợp với nội dung đề nghị.",
)
SUPPLEMENT_REASON = "Hồ sơ chưa đầy đủ, đề nghị bổ sung, hoàn thiện theo Phiếu yêu cầu bổ sung (Mẫu 02)."
EXTENSION_REASONS = (
    "Cần xác minh thêm thông tin với cơ quan liên quan.",
    "Hồ sơ phức tạp, cần thêm thời gian thẩm định.",
    "Chờ ý kiến phối hợp của cơ quan chuyên môn.",
)
WITHDRAW_REASONS = (
    "Người nộp hồ sơ xin rút hồ sơ.",
    "Người yêu cầu không còn nhu cầu giải quyết.",
    "Người nộp xin rút để nộp lại hồ sơ đầy đủ sau.",
)
STOP_REASON = "Người nộp không bổ sung hồ sơ trong thời hạn theo Phiếu yêu cầu bổ sung (Mẫu 05)."


# ---------------------------------------------------------------- applicants


def _person(rng: random.Random) -> tuple[str, bool]:
    """A full name and whether it is a woman's (the ID number's gender digit follows it)."""
    family = rng.choices([n for n, _w in FAMILY_NAMES], weights=[w for _n, w in FAMILY_NAMES])[0]
    if rng.random() < 0.5:
        return f"{family} {rng.choice(MIDDLE_MALE)} {rng.choice(GIVEN_MALE)}", False
    return f"{family} {rng.choice(MIDDLE_FEMALE)} {rng.choice(GIVEN_FEMALE)}", True


# Kiên Giang's code: the demo's people registered their births in the province the demo portrays
# (egov.core.idnumbers.PROVINCE_CODES).
BIRTH_PROVINCE = "091"
# Adults on any day of the history (it starts in 2021; `egov generate --years` reaches back a few more).
BORN_FROM, BORN_TO = 1945, 2000


def _cccd(rng: random.Random, *, female: bool) -> str:
    """A 12-digit citizen identity number that ``egov.core.idnumbers`` accepts: birth province,
    gender and century digit, year of birth, 6 random digits."""
    born = rng.randint(BORN_FROM, BORN_TO)
    century_digit = (0 if born < 2000 else 2) + int(female)
    return f"{BIRTH_PROVINCE}{century_digit}{born % 100:02d}{_digits(rng, 6)}"


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _email(rng: random.Random, name: str) -> str:
    local = "".join(fold(name).split()[-2:]).lower()
    return f"{local}{rng.randint(70, 2005)}@gmail.com"


def _applicant(rng: random.Random, version: VersionInfo, unit: UnitInfo) -> dict[str, str]:
    types = [t for t in version.applicant_types if t] or ["citizen"]
    if "citizen" in types and (len(types) == 1 or rng.random() < 0.85):
        kind = "citizen"
    else:
        others = [t for t in types if t != "citizen"]
        kind = rng.choice(others)
    person, female = _person(rng)
    commune, district = rng.choice(unit.areas) if unit.areas else ("", "")
    if commune.startswith(("Phường", "Thị trấn")):
        street = f"Số {rng.randint(1, 250)}, khu phố {rng.randint(1, 9)}"
    else:
        street = f"Ấp {rng.choice(HAMLETS)}"
    address = ", ".join(p for p in (street, commune, district) if p)
    if kind == "business":
        name = f"Công ty TNHH {rng.choice(TRADE_NAMES)}"
        id_number = "17" + _digits(rng, 8)
    elif kind == "household_business":
        name = f"Hộ kinh doanh {person}"
        id_number = _cccd(rng, female=female)
    elif kind == "organisation":
        name = rng.choice(ORGANISATIONS).format(t=commune.split(" ", 1)[-1] if commune else "Kiên Giang")
        id_number = "17" + _digits(rng, 8)
    else:
        name = person
        id_number = _cccd(rng, female=female)
    return {
        "kind": kind,
        "name": name,
        "person": person,
        "id_number": id_number,
        "address": address,
        "phone": "09" + _digits(rng, 8),
    }
