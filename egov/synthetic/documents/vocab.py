"""The small vocabulary synthetic documents are made of: types in their usual shares, subjects,
outside issuers, directions and work-file titles. Real-looking, not real."""

from __future__ import annotations

from egov.documents.models import DocumentType as T

# (type, weight) of documents an agency receives from outside and issues itself.
INCOMING_TYPES = (
    (T.CONG_VAN, 44), (T.QUYET_DINH, 12), (T.KE_HOACH, 8), (T.THONG_BAO, 10), (T.BAO_CAO, 7),
    (T.GIAY_MOI, 10), (T.HUONG_DAN, 4), (T.CHI_THI, 2), (T.TO_TRINH, 2), (T.NGHI_QUYET, 1),
)  # fmt: skip
OUTGOING_TYPES = (
    (T.CONG_VAN, 46), (T.QUYET_DINH, 16), (T.KE_HOACH, 7), (T.THONG_BAO, 9), (T.BAO_CAO, 9),
    (T.GIAY_MOI, 6), (T.TO_TRINH, 5), (T.HUONG_DAN, 2),
)  # fmt: skip

# Subjects: "<opening> <matter>"; the opening depends on the type.
OPENINGS = {
    T.CONG_VAN: ("V/v", "V/v triển khai", "V/v báo cáo", "V/v góp ý dự thảo về", "V/v đôn đốc thực hiện"),
    T.QUYET_DINH: ("Quyết định phê duyệt", "Quyết định ban hành quy chế về", "Quyết định thành lập Tổ công tác về",
                   "Quyết định giao chỉ tiêu"),
    T.KE_HOACH: ("Kế hoạch triển khai", "Kế hoạch thực hiện", "Kế hoạch kiểm tra"),
    T.THONG_BAO: ("Thông báo kết luận của lãnh đạo về", "Thông báo lịch làm việc về", "Thông báo kết quả"),
    T.BAO_CAO: ("Báo cáo kết quả thực hiện", "Báo cáo tình hình", "Báo cáo sơ kết"),
    T.GIAY_MOI: ("Mời dự họp về", "Mời dự hội nghị triển khai", "Mời dự buổi làm việc về"),
    T.HUONG_DAN: ("Hướng dẫn thực hiện", "Hướng dẫn nghiệp vụ về"),
    T.CHI_THI: ("Chỉ thị về tăng cường", "Chỉ thị về việc chấn chỉnh"),
    T.TO_TRINH: ("Tờ trình đề nghị phê duyệt", "Tờ trình về việc bổ sung kinh phí cho"),
    T.NGHI_QUYET: ("Nghị quyết về", "Nghị quyết thông qua"),
}  # fmt: skip
MATTERS = (
    "chuyển đổi số năm {y}", "cải cách hành chính năm {y}", "dịch vụ công trực tuyến toàn trình",
    "công tác phòng, chống thiên tai mùa mưa bão năm {y}", "phòng, chống sốt xuất huyết",
    "tiêm chủng mở rộng năm {y}", "an toàn thực phẩm dịp Tết Nguyên đán", "quản lý đất đai và cấp giấy chứng nhận",
    "giải phóng mặt bằng dự án đường ven biển", "thu ngân sách nhà nước 6 tháng đầu năm {y}",
    "kế hoạch đầu tư công trung hạn", "chương trình mục tiêu quốc gia xây dựng nông thôn mới",
    "giảm nghèo bền vững", "công tác thi đua, khen thưởng năm {y}", "tuyển dụng công chức năm {y}",
    "sắp xếp đơn vị hành chính", "bảo vệ môi trường và xử lý rác thải sinh hoạt",
    "phòng cháy, chữa cháy tại khu dân cư", "an toàn giao thông dịp lễ", "khai thác, nuôi trồng thủy sản",
    "chống khai thác hải sản bất hợp pháp (IUU)", "công tác tiếp công dân và giải quyết khiếu nại",
    "quản lý trật tự xây dựng", "hồ sơ bệnh án điện tử", "bảo hiểm y tế học sinh năm học {y}-{y1}",
    "tuyển sinh đầu cấp năm học {y}-{y1}", "chi trả trợ cấp cho đối tượng bảo trợ xã hội",
    "Đề án 06 về dữ liệu dân cư", "thực hành tiết kiệm, chống lãng phí năm {y}", "kiểm tra công tác văn thư, lưu trữ",
)  # fmt: skip
# Outside bodies that write to the province's agencies: (name, abbreviation used in notations).
OUTSIDE_ISSUERS = (
    ("Văn phòng Chính phủ", "VPCP"), ("Bộ Nội vụ", "BNV"), ("Bộ Tài chính", "BTC"), ("Bộ Y tế", "BYT"),
    ("Bộ Tài nguyên và Môi trường", "BTNMT"), ("Bộ Giáo dục và Đào tạo", "BGDĐT"), ("Bộ Công an", "BCA"),
    ("Bộ Nông nghiệp và Phát triển nông thôn", "BNN"), ("Bộ Thông tin và Truyền thông", "BTTTT"),
    ("Tỉnh ủy", "TU"), ("Hội đồng nhân dân tỉnh", "HĐND"), ("Bảo hiểm xã hội tỉnh", "BHXH"),
    ("Kho bạc Nhà nước tỉnh", "KBNN"), ("Công an tỉnh", "CAT"), ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "MTTQ"),
)  # fmt: skip
OUTSIDE_DIVISIONS = ("VP", "TH", "KT", "KHTC", "PC", "CCHC")
DIRECTIONS = (
    "Giao {lead} chủ trì, tham mưu xử lý; báo cáo kết quả trước hạn.",
    "Giao {lead} nghiên cứu, đề xuất; các đơn vị liên quan phối hợp.",
    "Giao {lead} chủ trì triển khai thực hiện theo quy định.",
    "Chuyển {lead} xử lý, dự thảo văn bản trả lời.",
)
INFORM_DIRECTIONS = ("Để biết.", "Lưu, theo dõi.", "Chuyển các đơn vị để biết, thực hiện.")
DONE_NOTES = (
    "Đã tham mưu văn bản trả lời, trình lãnh đạo ký ban hành.",
    "Đã triển khai thực hiện, báo cáo kết quả.",
    "Đã xử lý xong theo chỉ đạo.",
)
# Yearly file plan of every agency: (code, title, retention).
FILE_PLAN = (
    ("01", "Hồ sơ chỉ đạo, điều hành năm {y}", "permanent"),
    ("02", "Hồ sơ triển khai các chương trình, kế hoạch năm {y}", "20"),
    ("03", "Hồ sơ trả lời, giải quyết kiến nghị năm {y}", "10"),
    ("04", "Tập lưu văn bản đi năm {y}", "permanent"),
)
BODY = (
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư; "
    "thực hiện chỉ đạo của cấp trên, cơ quan đề nghị các đơn vị khẩn trương triển khai thực hiện, "
    "báo cáo kết quả đúng thời hạn quy định. (Văn bản tổng hợp dùng cho thử nghiệm, không có giá trị pháp lý.)"
)
