"""Outgoing documents of the demo that go through the real signing flow, so each journey has
something to do: per agency (the provincial People's Committee and the Department of Health),
one document issued with both signatures, one signed by the leader and waiting for the clerk to
issue it with the agency's seal, and one approved and waiting for the leader's signature."""

from __future__ import annotations

from html import escape
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from egov.accounts.models import Role, RoleAssignment, User
from egov.audit.models import AuditEvent
from egov.documents import services
from egov.documents.models import Document, DraftState, FileRole, Register, RegisterKind, ReviewState
from egov.documents.permissions import agency_of
from egov.documents.services.common import audit, document_file_store
from egov.documents.signing_state import competent_person_id
from egov.orgs.models import Unit, UnitKind
from egov.signatures import layout
from egov.signatures.appearance import person_appearance, seal_appearance
from egov.signatures.keys import signer_for
from egov.signatures.models import SignatureKind
from egov.signatures.services import signing_record_add
from egov.signatures.signing import Level, sign_pdf

STAGES = (
    ("issued", "Quyết định phê duyệt Kế hoạch chuyển đổi số năm 2027 (bản điện tử có chữ ký số)"),
    ("signed", "Quyết định thành lập Tổ công tác triển khai chữ ký số chuyên dùng (chờ văn thư phát hành)"),
    ("approved", "Quyết định ban hành Quy chế quản lý văn bản điện tử (chờ lãnh đạo ký số)"),
)


def _held(unit: Unit, role: str) -> User | None:
    """A demo person holding ``role`` in ``unit`` (clerks and leaders) or a unit below it."""
    here = role in (Role.AGENCY_LEADER, Role.CLERK)
    row = (
        RoleAssignment.objects.active()
        .filter(
            role=role,
            user__is_demo=True,
            **({"unit": unit} if here else {"unit__path__startswith": unit.path}),
        )
        .select_related("user", "unit")
        .order_by("unit__path", "user__username")
        .first()
    )
    return row.user if row is not None else None


def _name(user: User) -> str:
    return user.full_name.split(" — ")[0].removesuffix(" (demo)").strip()


def decision_pdf(*, agency: Unit, subject: str, position: str, signer: str) -> bytes:
    """A two-page decision in the Decree 30 layout, ending in the signature block."""
    from weasyprint import HTML

    today = timezone.localdate()
    articles = "".join(
        f"<p><b>Điều {i}.</b> {text}</p>"
        for i, text in enumerate(
            [
                "Phê duyệt nội dung kèm theo Quyết định này.",
                "Giao các cơ quan, đơn vị liên quan tổ chức thực hiện theo chức năng, nhiệm vụ.",
                "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, Thủ trưởng các cơ quan "
                "và cá nhân có liên quan chịu trách nhiệm thi hành.",
            ],
            start=1,
        )
    )
    grounds = "".join(
        f"<p><i>Căn cứ {text};</i></p>"
        for text in [
            "Luật Tổ chức chính quyền địa phương",
            "Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư",
            "Nghị định số 68/2024/NĐ-CP ngày 25 tháng 6 năm 2024 của Chính phủ quy định về chữ ký số chuyên dùng công vụ",
        ]
    )
    html = f"""<style>@page{{size:A4;margin:20mm 15mm 20mm 30mm}}
    body{{font-family:'Noto Serif';font-size:13pt;line-height:1.35}}
    table{{width:100%;border-collapse:collapse}} td{{vertical-align:top;text-align:center}}
    .sig{{margin-left:50%;text-align:center}} .gap{{height:32mm}} p{{text-align:justify;margin:0 0 6pt}}
    </style>
    <table><tr><td style="width:40%"><b>{escape(agency.name.upper())}</b><br>———<br>Số: &nbsp;&nbsp;&nbsp;&nbsp;/QĐ</td>
    <td><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b><br>———<br>
    <i>ngày &nbsp;&nbsp; tháng &nbsp;&nbsp; năm {today.year}</i></td></tr></table>
    <p style="text-align:center;margin-top:14pt"><b>QUYẾT ĐỊNH</b><br><b>{escape(subject.split(" (")[0].removeprefix("Quyết định "))}</b></p>
    {grounds}<p style="page-break-after:always"><i>Theo đề nghị của Chánh Văn phòng.</i></p>
    <p style="text-align:center"><b>QUYẾT ĐỊNH:</b></p>{articles}
    <div class=sig><b>{escape(position).replace(chr(10), "<br>")}</b><div class=gap></div><b>{escape(signer)}</b></div>"""
    return bytes(HTML(string=html).write_pdf())


def _approve_all(document: Document) -> None:
    """Every pending review, by a demo person holding the reviewing role in the reviewing unit."""
    while True:
        document.refresh_from_db()
        if document.state != DraftState.IN_REVIEW:
            return
        review = document.reviews.filter(state=ReviewState.PENDING).order_by("round", "order").first()
        if review is None:
            return
        reviewer = _held(review.unit, review.role)
        if reviewer is None:
            return
        services.review_approve(document=document, by=reviewer, comment="Đồng ý")


def _agencies() -> list[Unit]:
    """The current demo People's Committee of the province and Department of Health that have a
    signing key (egov.demo.signatures registered them)."""
    from egov.signatures.models import SigningKey

    keyed = SigningKey.objects.filter(is_active=True, unit__isnull=False).values_list("unit_id", flat=True)
    return list(
        Unit.objects.filter(
            pk__in=keyed,
            valid_to__isnull=True,
            kind__in=[UnitKind.PEOPLES_COMMITTEE, UnitKind.DEPARTMENT],
            level="province",
        ).order_by("kind", "path")
    )


def _drafter(agency: Unit) -> RoleAssignment | None:
    """A demo specialist in a division of ``agency`` (documents are issued by the drafting
    unit's agency)."""
    for held in (
        RoleAssignment.objects.active()
        .filter(role=Role.SPECIALIST, user__is_demo=True, unit__path__startswith=agency.path)
        .select_related("unit", "user")
        .order_by("unit__path", "user__username")
    ):
        if agency_of(held.unit).pk == agency.pk:
            return held
    return None


def sign_demo_documents() -> int:
    """The three documents per agency through the real services; what is there already is kept."""
    made = 0
    for agency in _agencies():
        leader, clerk, drafter = (
            _held(agency, Role.AGENCY_LEADER),
            _held(agency, Role.CLERK),
            _drafter(agency),
        )
        register = (
            Register.objects.filter(
                agency=agency, kind=RegisterKind.OUTGOING, is_active=True, is_secret=False
            )
            .order_by("pk")
            .first()
        )
        if leader is None or clerk is None or drafter is None or register is None:
            continue
        position = "CHỦ TỊCH" if agency.kind == UnitKind.PEOPLES_COMMITTEE else "GIÁM ĐỐC"
        for stage, subject in STAGES:
            if Document.objects.filter(issuer_unit=agency, subject=subject).exists():
                continue
            document = services.draft_create(
                drafting_unit=drafter.unit,
                doc_type="QD",
                subject=subject,
                recipients=[],
                signer_position=position,
                signer_name=_name(leader),
                by=drafter.user,
            )
            pdf = decision_pdf(agency=agency, subject=subject, position=position, signer=_name(leader))
            upload = ContentFile(pdf, name="du-thao-quyet-dinh.pdf")
            services.draft_version_add(document=document, upload=upload, by=drafter.user)
            services.draft_submit_review(document=document, by=drafter.user)
            _approve_all(document)
            document.refresh_from_db()
            competent = competent_person_id(document)
            signer = User.objects.filter(pk=competent).first() if competent else None
            if document.state != DraftState.APPROVED or signer is None:
                continue
            if stage in ("signed", "issued"):
                services.document_sign(document=document, by=signer)
            if stage == "issued":
                services.document_issue(document=document, register=register, by=clerk)
            made += 1
    return made


# --- the synthetic history -----------------------------------------------------------------------
# The demo's years of documents are generated before the demo PKI exists, so their issued texts
# carry no signature. The worker signs them afterwards, newest first, in batches: the agency's
# leader (their image where the signature block is, else the default place) then the agency with
# its seal — so that every issued document of the demo is signed and checks as valid. Demo only:
# a real installation never re-signs what it issued.

HISTORY_BATCH = 50


def _history_signers(agency: Unit) -> tuple[Any, Any, User] | None:
    from egov.documents.signing_state import agency_key, person_key

    leader = _held(agency, Role.AGENCY_LEADER)
    agency_signing = agency_key(agency)
    person_signing = person_key(leader) if leader is not None else None
    if leader is None or agency_signing is None or person_signing is None:
        return None
    return person_signing, agency_signing, leader


def _sign_history_one(main: Any, person_signing: Any, agency_signing: Any, leader: User) -> None:
    """One issued text of the history: the leader's signature, then the agency's with its seal,
    stored as a new main-text version with its signing records and audit row."""
    document = main.document
    agency = document.issuer_unit
    with main.file.open("rb") as handle:
        data = bytes(handle.read())
    image = person_appearance(leader)
    box = layout.person_box(
        data,
        signer_name=document.signer_name,
        signer_position=document.signer_position,
        image_px=image.px,
        width_mm=image.image.width_mm,
    )
    once = sign_pdf(
        data=data, signer=signer_for(person_signing), field_name=f"person-{leader.pk}", box=box,
        appearance=image.appearance, reason=f"{document.signer_position} {document.signer_name}".strip(),
        level=Level.B_B,
    )  # fmt: skip
    seal = seal_appearance(agency)
    twice = sign_pdf(
        data=once, signer=signer_for(agency_signing), field_name="agency",
        box=layout.seal_box(box, image_px=seal.px, width_mm=seal.image.width_mm),
        appearance=seal.appearance, reason=f"Số {document.number_notation}", location=agency.name, level=Level.B_B,
    )  # fmt: skip
    with transaction.atomic():
        record = document_file_store(
            document=document,
            upload=ContentFile(twice, name=main.name),
            role=FileRole.MAIN,
            by=None,
            comment="Bản ký số (dữ liệu demo)",
            derived_from=main,
        )
        signing_record_add(
            kind=SignatureKind.PERSON,
            key=person_signing,
            by=leader,
            target=document,
            source=data,
            result=once,
        )
        signing_record_add(
            kind=SignatureKind.AGENCY,
            key=agency_signing,
            by=None,
            target=document,
            source=once,
            result=twice,
        )
        audit(AuditEvent.DOCUMENT_SIGNED, by=None, target=document, scope=agency, kind="demo-history", file=record.pk, sha256=record.sha256)  # fmt: skip


def sign_history_batch(*, batch: int = HISTORY_BATCH) -> int:
    """Sign up to ``batch`` issued documents of the history whose newest main text is unsigned;
    return how many were signed (0: nothing left)."""

    from egov.documents.models import DocumentFile, FileRole
    from egov.signatures.models import SignatureKind, SigningRecord

    signers: dict[int, tuple[Any, Any, User] | None] = {}
    done = 0
    signed_sources = SigningRecord.objects.filter(kind=SignatureKind.AGENCY).values("result_sha256")
    candidates = (
        DocumentFile.objects.filter(role=FileRole.MAIN, document__state=DraftState.ISSUED, content_type="application/pdf")
        .exclude(sha256__in=signed_sources)
        .exclude(derivatives__role=FileRole.MAIN)
        .select_related("document", "document__issuer_unit")
        .order_by("-document__issued_at", "-pk")
    )  # fmt: skip
    for main in candidates[: batch * 4]:
        if done >= batch:
            break
        document = main.document
        agency = document.issuer_unit
        if agency is None:
            continue
        if agency.pk not in signers:
            signers[agency.pk] = _history_signers(agency)
        found = signers[agency.pk]
        if found is None:
            continue
        _sign_history_one(main, *found)
        done += 1
    return done
