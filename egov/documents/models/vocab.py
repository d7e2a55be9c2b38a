"""The closed vocabularies of office work (Decree 30/2020): document types and their
abbreviations, urgency, secrecy, and the states documents pass through."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentType(models.TextChoices):
    """Types of administrative documents (Decree 30, Annex III). The value is a stable ASCII key
    for the API; :data:`TYPE_ABBREVIATIONS` gives the abbreviation printed in the notation."""

    NGHI_QUYET = "NQ", _("Resolution")
    QUYET_DINH = "QD", _("Decision")
    CHI_THI = "CT", _("Directive")
    QUY_CHE = "QC", _("Regulation (quy chế)")
    QUY_DINH = "QYD", _("Rules (quy định)")
    THONG_CAO = "TC", _("Communiqué")
    THONG_BAO = "TB", _("Notice")
    HUONG_DAN = "HD", _("Guidance")
    CHUONG_TRINH = "CTR", _("Programme")
    KE_HOACH = "KH", _("Plan")
    PHUONG_AN = "PA", _("Option paper")
    DE_AN = "DEA", _("Scheme")
    DU_AN = "DA", _("Project")
    BAO_CAO = "BC", _("Report")
    BIEN_BAN = "BB", _("Minutes")
    TO_TRINH = "TTR", _("Submission")
    HOP_DONG = "HDG", _("Contract")
    CONG_VAN = "CV", _("Official letter")
    CONG_DIEN = "CD", _("Official telegram")
    BAN_GHI_NHO = "BGN", _("Memorandum")
    BAN_THOA_THUAN = "BTT", _("Agreement")
    GIAY_UY_QUYEN = "GUQ", _("Letter of authorisation")
    GIAY_MOI = "GM", _("Invitation")
    GIAY_GIOI_THIEU = "GGT", _("Letter of introduction")
    GIAY_NGHI_PHEP = "GNP", _("Leave permit")
    PHIEU_GUI = "PG", _("Dispatch slip")
    PHIEU_CHUYEN = "PC", _("Transfer slip")
    PHIEU_BAO = "PB", _("Notification slip")


# As printed in the notation (Decree 30, Annex III). An official letter has none: "45/UBND-VP".
TYPE_ABBREVIATIONS: dict[str, str] = {
    DocumentType.NGHI_QUYET: "NQ",
    DocumentType.QUYET_DINH: "QĐ",
    DocumentType.CHI_THI: "CT",
    DocumentType.QUY_CHE: "QC",
    DocumentType.QUY_DINH: "QyĐ",
    DocumentType.THONG_CAO: "TC",
    DocumentType.THONG_BAO: "TB",
    DocumentType.HUONG_DAN: "HD",
    DocumentType.CHUONG_TRINH: "CTr",
    DocumentType.KE_HOACH: "KH",
    DocumentType.PHUONG_AN: "PA",
    DocumentType.DE_AN: "ĐA",
    DocumentType.DU_AN: "DA",
    DocumentType.BAO_CAO: "BC",
    DocumentType.BIEN_BAN: "BB",
    DocumentType.TO_TRINH: "TTr",
    DocumentType.HOP_DONG: "HĐ",
    DocumentType.CONG_VAN: "",
    DocumentType.CONG_DIEN: "CĐ",
    DocumentType.BAN_GHI_NHO: "BGN",
    DocumentType.BAN_THOA_THUAN: "BTT",
    DocumentType.GIAY_UY_QUYEN: "GUQ",
    DocumentType.GIAY_MOI: "GM",
    DocumentType.GIAY_GIOI_THIEU: "GGT",
    DocumentType.GIAY_NGHI_PHEP: "GNP",
    DocumentType.PHIEU_GUI: "PG",
    DocumentType.PHIEU_CHUYEN: "PC",
    DocumentType.PHIEU_BAO: "PB",
}


class Urgency(models.TextChoices):
    """Độ khẩn; the edXML priority is :data:`URGENCY_PRIORITY`."""

    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent (khẩn)")
    VERY_URGENT = "very_urgent", _("Very urgent (thượng khẩn)")
    IMMEDIATE = "immediate", _("Immediate (hỏa tốc)")


URGENCY_PRIORITY = {Urgency.NORMAL: 0, Urgency.URGENT: 1, Urgency.VERY_URGENT: 2, Urgency.IMMEDIATE: 3}


class Secrecy(models.TextChoices):
    """Độ mật. Secret documents stay out of the electronic flow and its statistics."""

    NONE = "none", _("Not secret")
    SECRET = "secret", _("Secret (mật)")
    TOP_SECRET = "top_secret", _("Top secret (tối mật)")
    ABSOLUTE = "absolute", _("Absolutely secret (tuyệt mật)")


class RegisterKind(models.TextChoices):
    INCOMING = "incoming", _("Incoming documents register")
    OUTGOING = "outgoing", _("Outgoing documents register")


class Medium(models.TextChoices):
    """How a document reached (or left) the agency."""

    PAPER = "paper", _("On paper")
    ELECTRONIC = "electronic", _("Electronic file")
    INTERNAL = "internal", _("Within egov")
    EXCHANGE = "exchange", _("Document exchange (axis)")


class DraftState(models.TextChoices):
    """The life of an outgoing document (văn bản đi) from the draft to its issue."""

    DRAFT = "draft", _("Drafting")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved, waiting to be issued")
    ISSUED = "issued", _("Issued")
    RECALLED = "recalled", _("Recalled")
    REPLACED = "replaced", _("Replaced")
    ABANDONED = "abandoned", _("Abandoned")


class EntryState(models.TextChoices):
    """The life of a document in the agency that received it (văn bản đến)."""

    REGISTERED = "registered", _("Registered, not yet submitted")
    SUBMITTED = "submitted", _("Waiting for the leader's direction")
    IN_PROGRESS = "in_progress", _("Being handled")
    DONE = "done", _("Done")
    FILED = "filed", _("For information, filed")
    RETURNED = "returned", _("Returned to the sender")
    FROZEN = "frozen", _("Recalled by the sender")


OPEN_ENTRY_STATES = frozenset({EntryState.REGISTERED, EntryState.SUBMITTED, EntryState.IN_PROGRESS})


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead handler (chủ trì)")
    CO = "co", _("Co-handler (phối hợp)")
    INFORM = "inform", _("For information (để biết)")


class AssignmentState(models.TextChoices):
    PENDING = "pending", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Reported done")
    ACCEPTED = "accepted", _("Done, accepted")
    FORWARDED = "forwarded", _("Forwarded")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_ASSIGNMENT_STATES = frozenset({AssignmentState.PENDING, AssignmentState.IN_PROGRESS})


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class FileRole(models.TextChoices):
    MAIN = "main", _("Main text")
    ATTACHMENT = "attachment", _("Attachment")
    DRAFT = "draft", _("Draft version")
    SCAN = "scan", _("Scan of the paper original")
    WORKING = "working", _("Working file")
    COPY = "copy", _("Electronic copy")


class TextState(models.TextChoices):
    PENDING = "pending", _("Waiting for text extraction")
    DONE = "done", _("Text extracted")
    EMPTY = "empty", _("No text found")
    FAILED = "failed", _("Extraction failed")


class Retention(models.TextChoices):
    """Thời hạn bảo quản of a work file: a number of years, or permanent."""

    Y5 = "5", _("5 years")
    Y10 = "10", _("10 years")
    Y20 = "20", _("20 years")
    Y50 = "50", _("50 years")
    Y70 = "70", _("70 years")
    PERMANENT = "permanent", _("Permanent")


class WorkFileState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    TRANSFERRED = "transferred", _("Transferred to the archive")


class AccessKind(models.TextChoices):
    VIEW = "view", _("Viewed")
    DOWNLOAD = "download", _("Downloaded")
    PRINT = "print", _("Printed")
    EXPORT = "export", _("Exported")
