"""A PDF sent as a justificatif (or an attachment) may not carry code, automatic actions,
launch actions or attached files, however it hides them; nor be a PDF that does not parse."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from messaging.models import FamilyDocument
from messaging.pdf_safety import PdfVerdict, inspect_pdf
from tests.helpers import page_text
from tests.messaging import files, pdfs

URL = "/compte/justificatifs/"
REFUSED = (
    "contient du code (JavaScript), des actions automatiques ou des fichiers joints : "
    "enregistrez-le à nouveau sans"
)


def upload(client, data: bytes, name: str = "attestation.pdf"):
    file = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post(URL, {"kind": "caf", "description": "", "file": file})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make",
    [
        pdfs.with_open_action_javascript,
        pdfs.with_page_open_javascript,
        pdfs.with_launch_link,
        pdfs.with_attachment,
        pdfs.escaped_open_action_javascript,
    ],
)
def test_a_pdf_with_code_or_automatic_actions_is_refused_in_french(parent_client, make):
    response = upload(parent_client, make(), name="attestation caf.pdf")
    assert response.status_code == 400  # the form again, with the reason
    assert f"Le fichier « attestation caf.pdf » {REFUSED}" in page_text(response)
    assert not FamilyDocument.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make", [pdfs.plain, pdfs.with_link_to_a_web_page, pdfs.opening_on_its_first_page]
)
def test_a_plain_pdf_is_accepted(parent_client, parent, make):
    response = upload(parent_client, make())
    assert response.status_code == 302
    assert FamilyDocument.objects.get().family == parent.family


def test_hex_escaped_names_do_not_hide_the_javascript():
    data = pdfs.escaped_open_action_javascript()
    assert b"JavaScript" not in data and b"OpenAction" not in data and b"/JS" not in data
    assert inspect_pdf(io.BytesIO(data)) == PdfVerdict.ACTIVE


def test_a_compressed_object_stream_does_not_hide_the_javascript():
    data = pdfs.in_an_object_stream(b"<</S/JavaScript/JS(app.alert\\(1\\))>>")
    assert b"JavaScript" not in data and b"OpenAction" not in data
    assert inspect_pdf(io.BytesIO(data)) == PdfVerdict.ACTIVE
    # The same file opening on its page is read through, and is fine.
    harmless = pdfs.in_an_object_stream(b"<</S/GoTo/D[3 0 R/Fit]>>")
    assert inspect_pdf(io.BytesIO(harmless)) == PdfVerdict.SAFE


def test_a_launch_action_hidden_in_an_object_stream_is_found():
    data = pdfs.in_an_object_stream(b"<</S/Launch/F(cmd.exe)>>")
    assert inspect_pdf(io.BytesIO(data)) == PdfVerdict.ACTIVE


@pytest.mark.django_db
def test_a_pdf_that_does_not_parse_is_refused(parent_client):
    broken = b"%PDF-1.7\n1 0 obj <</Type/Catalog/Pages 2 0 R>>\nendobj\ntrailer <<>>\n%%EOF\n"
    response = upload(parent_client, broken)
    assert "n'est pas un document PDF, JPEG ou PNG valide" in page_text(response)
    assert not FamilyDocument.objects.exists()


@pytest.mark.django_db
def test_a_pdf_locked_by_a_password_is_refused_with_what_to_do(parent_client):
    writer = pdfs.one_page()
    writer.encrypt(user_password="secret", owner_password="secret", algorithm="RC4-128")
    response = upload(parent_client, pdfs.written(writer))
    assert "est protégé par un mot de passe : enregistrez-le sans protection" in page_text(response)
    assert not FamilyDocument.objects.exists()


@pytest.mark.django_db
def test_a_pdf_encrypted_with_an_empty_password_opens_and_is_accepted(parent_client):
    writer = pdfs.one_page()
    writer.encrypt(user_password="", owner_password="proprietaire", algorithm="RC4-128")
    assert upload(parent_client, pdfs.written(writer)).status_code == 302


def test_the_upload_helpers_pdf_is_a_real_one():
    assert inspect_pdf(io.BytesIO(files.pdf_bytes())) == PdfVerdict.SAFE
