"""Small, hand-written catalogue data for tests."""

from __future__ import annotations

import datetime as dt

from egov.catalog.data import ChannelData, PaperData, ProcedureData, StepData


def birth_registration(**changes: object) -> ProcedureData:
    data = ProcedureData(
        code="1.001193",
        name="Đăng ký khai sinh",
        field_code="HT",
        field_name="Hộ tịch",
        published_code="1.001193.000.00.00.H33",
        levels=["commune"],
        implementing_agency="Ủy ban nhân dân cấp xã",
        applicant_types=["citizen"],
        online_level="full",
        legacy_level=4,
        cutoff=dt.time(15, 0),
        channels=[
            ChannelData(
                "direct", 1, "working_days", "charge", 0, "exempt", "Miễn lệ phí khi đăng ký đúng hạn"
            ),
            ChannelData("online", 1, "working_days", "charge", 0, "exempt"),
        ],
        papers=[
            PaperData(1, "Tờ khai đăng ký khai sinh", originals=1),
            PaperData(2, "Giấy chứng sinh", originals=1),
        ],
        process=[
            StepData("commune", 1, "Tiếp nhận hồ sơ", "one_stop_officer", "one_stop", 1, "working_hours"),
            StepData("commune", 2, "Thẩm định, trình ký", "specialist", "division", 4, "working_hours"),
            StepData("commune", 3, "Ký giấy khai sinh", "agency_leader", "committee", 2, "working_hours"),
            StepData("commune", 4, "Trả kết quả", "one_stop_officer", "one_stop", 1, "working_hours"),
        ],
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def judicial_record(**changes: object) -> ProcedureData:
    data = ProcedureData(
        code="2.000488",
        name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        field_code="LLTP",
        field_name="Lý lịch tư pháp",
        levels=["province"],
        implementing_agency="Sở Tư pháp",
        applicant_types=["citizen"],
        online_level="partial",
        legacy_level=3,
        channels=[
            ChannelData("direct", 10, "working_days", "charge", 200000, "before"),
            ChannelData("online", 10, "working_days", "charge", 200000, "before"),
        ],
        papers=[PaperData(1, "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", originals=1)],
        process=[
            StepData("province", 1, "Tiếp nhận", "one_stop_officer", "one_stop", 4, "working_hours"),
            StepData("province", 2, "Tra cứu, xác minh", "specialist", "division", 8, "working_days"),
            StepData("province", 3, "Ký phiếu", "agency_leader", "department", 1, "working_days"),
        ],
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data
