"""Signing outgoing documents: the competent person's signature in the signature block, the
agency's seal over its left third at issue, text stamps on attachments and copies — checked on
rendered pixels, with validation, the audit and the signing log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from egov.audit.models import AuditEntry, AuditEvent
from egov.documents import services
from egov.documents.errors import DocumentError, WrongState
from egov.documents.models import DocumentFile, DraftState, ElectronicCopy, FileRole, RegisterCounter
from egov.documents.services.signing import SignOnDevice, person_appearance_box
from egov.documents.tests.conftest import Office, pdf_upload
from egov.documents.tests.signing_helpers import (
    NAME,
    POSITION,
    add_image,
    add_key,
    approved_with_block,
    attachment_pdf,
    decree30_pdf,
    equip,
    is_blue,
    is_dark,
    is_red,
    pdffonts,
    pixels,
    png_signature,
    render,
)
from egov.documents.workflow import Action, available_actions
from egov.signatures import layout
from egov.signatures.models import ImageKind, KeyBackend, SignatureKind, SigningKey, SigningRecord, Verdict
from egov.signatures.testing import TestPki
from egov.signatures.validation import validate_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """The refusals below are matched on their English source text."""
    from django.utils import translation

    with translation.override("en"):
        yield


def read(record: DocumentFile) -> bytes:
    with record.file.open("rb") as handle:
        return bytes(handle.read())


def test_layout_finds_the_signature_block_and_falls_back() -> None:
    data = decree30_pdf()
    block = layout.find_signature_block(data, signer_name=NAME, signer_position=POSITION)
    assert block.page == 1 and block.name is not None and block.title is not None
    assert block.title.text == "PHÓ CHỦ TỊCH" and block.title.y > block.name.y
    box = layout.person_box(
        data, signer_name=NAME, signer_position=POSITION, image_px=(400, 200), width_mm=40
    )
    assert box.page == 1
    assert block.name.y + block.name.size * 0.8 <= box.y1 < box.y2 <= block.title.y
    assert abs((box.x1 + box.x2) / 2 - block.name.centre_x) < 1
    # A name that is not on the page: the right half of the last page, 70 mm up.
    fallback = layout.person_box(
        data, signer_name="Không Có Tên", signer_position="", image_px=(400, 200), width_mm=40
    )
    assert fallback.page == 1 and fallback.x1 > block.page_width / 2
    assert abs((fallback.y1 + fallback.y2) / 2 - layout.DEFAULT_CENTRE_Y) < 1
    seal = layout.seal_box(box, image_px=(400, 400), width_mm=36)
    assert abs(seal.x2 - (box.x1 + (box.x2 - box.x1) / 3)) < 0.01
    assert abs((seal.y1 + seal.y2) / 2 - (box.y1 + box.y2) / 2) < 0.01


def test_leader_signs_clerk_issues_two_valid_signatures_placed_as_decree_30(
    office: Office, trusted: TestPki, tmp_path: Path
) -> None:
    c = office.committee
    equip(office, trusted)
    document = approved_with_block(office)
    unsigned = document.files.get(role=FileRole.DRAFT)
    # The clerk cannot issue before the leader signs: refused with the reason, nothing changes.
    assert Action.ISSUE not in available_actions(c.clerk, document)
    with pytest.raises(WrongState, match="competent person has not signed"):
        services.document_issue(document=document, register=c.outgoing, by=c.clerk)
    document.refresh_from_db()
    assert document.state == DraftState.APPROVED and not document.number
    assert not RegisterCounter.objects.filter(register=c.outgoing, last__gt=0).exists()

    # Only the competent person (the leader who approved last) may sign.
    assert available_actions(c.head, document).count(Action.SIGN) == 0
    assert Action.SIGN in available_actions(c.leader, document)
    signed = services.document_sign(document=document, by=c.leader)
    assert signed.role == FileRole.DRAFT and signed.derived_from_id == unsigned.pk
    assert DocumentFile.objects.filter(pk=unsigned.pk, sha256=unsigned.sha256).exists()  # kept
    assert Action.SIGN not in available_actions(c.leader, document)

    issued = services.document_issue(document=document, register=c.outgoing, by=c.clerk)
    main = issued.files.get(role=FileRole.MAIN)
    assert main.derived_from_id == signed.pk
    data = read(main)
    assert data.startswith(read(signed))  # incremental: the person's signature untouched
    result = validate_pdf(data)
    assert result.verdict == Verdict.VALID, result.summary
    assert [s.signer for s in result.signatures] == ["Nguyễn Văn An", "Ủy ban nhân dân tỉnh Thử Nghiệm"]
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    sigs = PdfFileReader(io.BytesIO(data)).embedded_signatures
    reason = str(sigs[1].sig_object["/Reason"])
    assert reason == f"Số {issued.number}/{issued.notation}, ngày {issued.issued_on:%d/%m/%Y}"

    # Logged and audited: who, which key, which version, the resulting SHA-256.
    records = SigningRecord.objects.order_by("pk")
    assert [r.kind for r in records] == [SignatureKind.PERSON, SignatureKind.AGENCY]
    assert records[1].result_sha256 == main.sha256 and records[0].signed_by == c.leader
    audits = AuditEntry.objects.filter(event=AuditEvent.DOCUMENT_SIGNED).order_by("pk")
    assert [a.after["sha256"] for a in audits] == [signed.sha256, main.sha256]
    assert audits[0].after["key"] == SigningKey.objects.get(user=c.leader).pk

    # Pixels: blue inside the person's box (between the title line and the name), the red seal
    # over its left third, centred on it vertically.
    person = person_appearance_box(data)
    image = render(data, tmp_path, page=2)
    height = image.size[1]
    blue = pixels(image, is_blue)
    red = pixels(image, is_red)
    assert len(blue) > 200 and len(red) > 200

    def in_box(x: int, y: int, slack: float = 2) -> bool:
        return (
            person.x1 - slack <= x <= person.x2 + slack
            and person.y1 - slack <= height - y <= person.y2 + slack
        )

    assert all(in_box(x, y) for x, y in blue)
    block = layout.find_signature_block(data, signer_name=NAME, signer_position=POSITION)
    assert block.name is not None and block.title is not None
    assert all(block.name.y < height - y < block.title.y for _x, y in blue)
    # Centred on the printed name as drawn (its dark pixels), not only on the estimate.
    name_row = [
        x
        for x, y in pixels(image, is_dark)
        if block.name.y - 4 < height - y < block.name.y + block.name.size * 0.7 and x > image.size[0] / 2 - 40
    ]
    blue_xs = [x for x, _y in blue]
    name_centre = (min(name_row) + max(name_row)) / 2
    assert abs((min(blue_xs) + max(blue_xs)) / 2 - name_centre) < 10
    third = person.x1 + (person.x2 - person.x1) / 3
    red_xs = [x for x, _y in red]
    red_ys = [height - y for _x, y in red]
    assert min(red_xs) < person.x1 < max(red_xs)  # it overlaps the image's left edge
    assert abs(max(red_xs) - third) < 4  # and reaches about one third into it
    assert abs((min(red_ys) + max(red_ys)) / 2 - (person.y1 + person.y2) / 2) < 4


def test_signing_twice_signs_once_and_never_on_get(office: Office, trusted: TestPki) -> None:
    from django.test import Client

    from conftest import sign_in

    c = office.committee
    client = Client()
    equip(office, trusted, agency=False)
    document = approved_with_block(office)
    sign_in(client, c.leader)
    page = client.get(f"/documents/{document.pk}/")
    assert page.status_code == 200 and f"/documents/{document.pk}/act/sign/" in page.content.decode()
    assert client.get(f"/documents/{document.pk}/act/sign/").status_code == 405
    assert not SigningRecord.objects.exists()
    first = client.post(f"/documents/{document.pk}/act/sign/")
    again = client.post(f"/documents/{document.pk}/act/sign/")
    assert first.status_code == 302 and again.status_code == 302
    once = services.document_sign(document=document, by=c.leader)
    assert SigningRecord.objects.filter(kind=SignatureKind.PERSON).count() == 1
    assert document.files.filter(role=FileRole.DRAFT).count() == 2
    assert once == document.files.get(role=FileRole.DRAFT, version=2)
    # Without an agency key, issuing goes on as before (the person's signed text is the main text).
    issued = services.document_issue(document=document, register=c.outgoing, by=c.clerk)
    assert issued.files.get(role=FileRole.MAIN).sha256 == once.sha256


def test_expired_or_missing_key_or_image_is_refused_and_nothing_changes(
    office: Office, trusted: TestPki
) -> None:
    c = office.committee
    document = approved_with_block(office)
    with pytest.raises(DocumentError, match="no signing key"):
        services.document_sign(document=document, by=c.leader)
    add_key(trusted, "expired", user=c.leader)
    add_image(kind=ImageKind.SIGNATURE, data=png_signature(), width_mm="40", user=c.leader)
    with pytest.raises(DocumentError, match="expired"):
        services.document_sign(document=document, by=c.leader)
    SigningKey.objects.update(is_active=False)
    add_key(trusted, "person", user=c.leader)
    from egov.signatures.models import SignatureImage

    SignatureImage.objects.update(is_active=False)
    with pytest.raises(DocumentError, match="handwritten signature"):
        services.document_sign(document=document, by=c.leader)
    assert document.files.count() == 1 and not SigningRecord.objects.exists()
    # A key on the signer's own device: the page sends them to sign there (the lead's hook).
    SigningKey.objects.update(is_active=False)
    SigningKey.objects.create(user=c.leader, label="Token", backend=KeyBackend.CLIENT)
    with pytest.raises(SignOnDevice) as caught:
        services.document_sign(document=document, by=c.leader)
    assert caught.value.key.label == "Token"
    assert document.files.count() == 1


def test_not_a_pdf_or_an_encrypted_pdf_is_refused_clearly(office: Office, trusted: TestPki) -> None:
    import io

    import pypdf

    c = office.committee
    equip(office, trusted, agency=False)
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(decree30_pdf(pages=1))))
    writer.encrypt(user_password="", owner_password="chu")
    locked = io.BytesIO()
    writer.write(locked)
    document = approved_with_block(office, content=locked.getvalue())
    with pytest.raises(DocumentError, match="encrypted"):
        services.document_sign(document=document, by=c.leader)
    from egov.documents.tests.drafting_helpers import draft

    docx = draft(office, recipients=[], signer_position=POSITION, signer_name=NAME)
    from django.core.files.uploadedfile import SimpleUploadedFile

    services.draft_version_add(
        document=docx,
        upload=SimpleUploadedFile("du-thao.png", png_signature(), content_type="image/png"),
        by=c.specialist,
    )
    services.draft_submit_review(document=docx, by=c.specialist)
    services.review_approve(document=docx, by=c.head)
    services.review_approve(document=docx, by=c.leader)
    with pytest.raises(DocumentError, match="PDF"):
        services.document_sign(document=docx, by=c.leader)
    assert not SigningRecord.objects.exists()


def test_attachment_and_electronic_copy_get_the_agency_text_stamp(
    office: Office, trusted: TestPki, tmp_path: Path
) -> None:
    c = office.committee
    equip(office, trusted)
    document = approved_with_block(office)
    services.document_file_store(
        document=document,
        upload=pdf_upload("phu-luc.pdf", attachment_pdf()),
        role=FileRole.ATTACHMENT,
        by=c.specialist,
    )
    services.document_sign(document=document, by=c.leader)
    issued = services.document_issue(document=document, register=c.outgoing, by=c.clerk)
    signed_attachment = issued.files.get(role=FileRole.ATTACHMENT, derived_from__isnull=False)
    data = read(signed_attachment)
    assert validate_pdf(data).verdict == Verdict.VALID
    assert "Noto" in pdffonts(data, tmp_path)
    image = render(data, tmp_path)
    width, _height = image.size
    dark = pixels(image, is_dark)
    stamp = [(x, y) for x, y in dark if y < layout.STAMP_TOP + 56]
    assert len(stamp) > 100
    assert all(width / 2 < x <= width - layout.RIGHT_MARGIN + 1 for x, _y in stamp)
    assert max(x for x, _y in stamp) > width - layout.RIGHT_MARGIN - 30  # it ends at the margin
    # 10 pt, not scaled down to fit: the time line is as wide as the font says at 10 pt.
    time_line = [x for x, y in stamp if y > layout.STAMP_TOP + 23]
    drawn = max(time_line) - min(time_line)
    assert abs(drawn - layout.text_width("2026-12-08T09:30:15+07:00")) < 6, drawn
    # The attachment's own heading (25 mm down) is not under the stamp.
    assert all(y > layout.STAMP_TOP - 2 for _x, y in stamp)

    # The clerk makes an electronic copy: SAO Y, numbered per agency and year.
    assert Action.COPY in available_actions(c.clerk, issued)
    assert Action.COPY not in available_actions(c.leader, issued)
    copy = services.document_copy(document=issued, by=c.clerk)
    second = services.document_copy(document=issued, by=c.clerk)
    assert (copy.number, second.number) == (1, 2) and copy.notation == "SY-UBND"
    assert copy.file.role == FileRole.COPY and copy.file.derived_from == issued.files.get(role=FileRole.MAIN)
    copied = read(copy.file)
    result = validate_pdf(copied)
    assert result.verdict == Verdict.VALID and len(result.signatures) == 3
    assert "SAO Y" in copy.file.comment and "01/SY-UBND" in copy.file.comment
    first_page = render(copied, tmp_path)
    top_right = [(x, y) for x, y in pixels(first_page, is_dark) if y < layout.STAMP_TOP + 56]
    assert len(top_right) > 100 and all(x > width / 2 for x, _y in top_right)
    assert max(x for x, _y in top_right) > width - layout.RIGHT_MARGIN - 30
    assert ElectronicCopy.objects.count() == 2


def test_copy_needs_an_agency_key(office: Office, trusted: TestPki) -> None:
    c = office.committee
    equip(office, trusted, agency=False)
    document = approved_with_block(office)
    services.document_sign(document=document, by=c.leader)
    issued = services.document_issue(document=document, register=c.outgoing, by=c.clerk)
    with pytest.raises(DocumentError, match="no signing key"):
        services.document_copy(document=issued, by=c.clerk)
    assert not ElectronicCopy.objects.exists()


def test_filing_into_a_long_term_work_file_gives_b_lta(
    office: Office,
    trusted: TestPki,
    django_capture_on_commit_callbacks,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    c = office.committee
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }
    equip(office, trusted)
    document = approved_with_block(office)
    services.document_sign(document=document, by=c.leader)
    issued = services.document_issue(document=document, register=c.outgoing, by=c.clerk)
    signed_main = issued.files.get(role=FileRole.MAIN)
    short = services.work_file_open(
        unit=c.unit, title="Hồ sơ ngắn hạn", notation="HS", retention="5", by=c.clerk
    )
    long = services.work_file_open(
        unit=c.unit, title="Hồ sơ vĩnh viễn", notation="VV", retention="permanent", by=c.clerk
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.work_file_add_document(work_file=short, document=issued, by=c.clerk)
    assert issued.files.filter(role=FileRole.MAIN).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        services.work_file_add_document(work_file=long, document=issued, by=c.clerk)
    archived = issued.files.filter(role=FileRole.MAIN).order_by("-version").first()
    assert archived is not None and archived.derived_from == signed_main
    data = read(archived)
    assert data.startswith(read(signed_main)) and b"/DSS" in data and b"/DocTimeStamp" in data
    # Both signatures validate from what the file carries alone (PAdES-LTA: no network, no cache).
    import io

    from asn1crypto import x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    reader = PdfFileReader(io.BytesIO(data))
    sigs = reader.embedded_signatures
    assert [s.sig_object_type for s in sigs] == ["/Sig", "/Sig", "/DocTimeStamp"]
    root = x509.Certificate.load(trusted.certificate("root"))
    offline = DocumentSecurityStore.read_dss(reader).as_validation_context(
        {"trust_roots": [root], "allow_fetching": False, "revocation_mode": "hard-fail"}
    )
    for sig in sigs[:2]:
        status = validate_pdf_signature(sig, offline)
        assert status.bottom_line, status.pretty_print_details()
    assert validate_pdf_timestamp(sigs[2], offline).valid
    # egov's own check says the same, the archive timestamp listed as such.
    from egov.signatures.models import RevocationData, Verdict
    from egov.signatures.validation import validate_pdf

    RevocationData.objects.all().delete()  # nothing cached: the file carries what is needed
    result = validate_pdf(data)
    assert result.verdict == Verdict.VALID, result.summary
    assert [s.is_document_timestamp for s in result.signatures] == [False, False, True]
    assert SigningRecord.objects.filter(kind=SignatureKind.ARCHIVE).count() == 1
    # Filing again (another long-term file) adds nothing: the newest main text already has it.
    from egov.documents.services.signing_archive import document_archive_signature

    assert document_archive_signature(document_id=issued.pk) is None


def test_pages_show_the_signing_status_and_the_agency_signature_to_come(
    office: Office, trusted: TestPki
) -> None:
    from django.test import Client

    from conftest import sign_in

    c = office.committee
    equip(office, trusted)
    document = approved_with_block(office)
    clerk = Client()
    sign_in(clerk, c.clerk)
    page = clerk.get(f"/documents/{document.pk}/").content.decode()
    assert "/act/sign/" not in page and f"/documents/{document.pk}/issue/" not in page
    assert "competent person" in page or "người có thẩm quyền" in page
    # The issue form is not reachable before the leader signs; afterwards it names the agency key.
    assert clerk.get(f"/documents/{document.pk}/issue/").status_code == 302
    services.document_sign(document=document, by=c.leader)
    form = clerk.get(f"/documents/{document.pk}/issue/")
    assert form.status_code == 200 and SigningKey.objects.get(unit=c.unit).label in form.content.decode()
    page = clerk.get(f"/documents/{document.pk}/").content.decode()
    assert c.leader.full_name in page and f"/documents/{document.pk}/issue/" in page


def test_api_sign_then_the_action_is_gone(office: Office, trusted: TestPki) -> None:
    from django.test import Client

    from conftest import sign_in

    c = office.committee
    equip(office, trusted, agency=False)
    document = approved_with_block(office)
    client = Client()
    sign_in(client, c.leader)
    url = f"/api/v1/documents/drafts/{document.pk}/sign"
    assert client.get(url).status_code == 405
    first = client.post(url, content_type="application/json")
    assert first.status_code == 200 and "sign" not in first.json()["actions"]
    again = client.post(url, content_type="application/json")
    assert again.status_code == 200  # a repeated request finds it signed
    assert SigningRecord.objects.filter(kind=SignatureKind.PERSON).count() == 1
    clerk = Client()
    sign_in(clerk, c.clerk)
    refused = clerk.post(
        f"/api/v1/documents/drafts/{document.pk}/copies", {"form": "x"}, content_type="application/json"
    )
    assert refused.status_code == 422  # approved, not issued: nothing to copy yet
