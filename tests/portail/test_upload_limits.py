"""Uploads are read no further than the limits: a too-big request is refused before its
body is read, a too-big file as soon as it passes the limit; nothing is kept."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from messaging.models import FamilyDocument
from portail.uploads import SizeLimitUploadHandler, UploadTooLarge
from tests.helpers import page_text
from tests.messaging import files

pytestmark = pytest.mark.django_db

URL = "/compte/justificatifs/"
MB = 1024 * 1024


class CountingStream(io.RawIOBase):
    """The request's body as the server hands it over, counting what the application reads
    (and failing loudly instead of reading on forever)."""

    def __init__(self, data: bytes = b"", *, endless: bool = False):
        self.data, self.endless, self.read_bytes = data, endless, 0

    def read(self, size: int = -1) -> bytes:
        if self.endless:
            assert self.read_bytes < 2 * MB, "the application reads an endless body"
            size = 64 * 1024 if size is None or size < 0 else size
            chunk = b"x" * size
        else:
            start = self.read_bytes
            chunk = (
                self.data[start:] if size is None or size < 0 else self.data[start : start + size]
            )
        self.read_bytes += len(chunk)
        return chunk

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def justificatif(file_bytes: bytes) -> bytes:
    return encode_multipart(
        BOUNDARY,
        {"kind": "caf", "description": "", "file": io.BytesIO(file_bytes)},
    )


def test_a_request_announcing_a_body_over_the_cap_is_refused_unread(parent_client, settings):
    settings.REQUEST_BODY_MAX_BYTES = 20 * MB
    body = CountingStream(endless=True)
    response = parent_client.generic(
        "POST",
        URL,
        b"",
        content_type=MULTIPART_CONTENT,
        **{"wsgi.input": body, "CONTENT_LENGTH": str(50 * MB)},
    )
    assert response.status_code == 413
    page = page_text(response)
    assert "Envoi trop volumineux" in page
    assert "5\u00a0Mo par fichier, 20\u00a0Mo en tout" in page
    assert "rien n'a été enregistré" in page
    assert body.read_bytes == 0
    assert not FamilyDocument.objects.exists()


def test_a_file_over_the_limit_stops_the_reading_as_soon_as_it_passes_it(parent_client, settings):
    settings.UPLOAD_MAX_BYTES = 100 * 1024
    data = justificatif(files.pdf_bytes() + b" " * (3 * MB))
    body = CountingStream(data)
    response = parent_client.generic(
        "POST", URL, data, content_type=MULTIPART_CONTENT, **{"wsgi.input": body}
    )
    assert response.status_code == 413
    assert "dépasse la taille maximale de 0\u00a0Mo" in page_text(response)
    assert body.read_bytes < 512 * 1024  # not the 3 MB sent
    assert not FamilyDocument.objects.exists()


def test_the_413_page_names_the_file(parent_client, settings):
    settings.UPLOAD_MAX_BYTES = 2 * MB
    big = io.BytesIO(files.pdf_bytes() + b" " * (3 * MB))
    big.name = "scan du livret.pdf"
    response = parent_client.post(URL, {"kind": "caf", "file": big})
    assert response.status_code == 413
    assert "Le fichier « scan du livret.pdf » dépasse la taille maximale de 2\u00a0Mo" in page_text(
        response
    )


def test_a_body_without_content_length_is_not_read(parent_client):
    body = CountingStream(endless=True)
    response = parent_client.generic(
        "POST",
        URL,
        b"",
        content_type=MULTIPART_CONTENT,
        **{"wsgi.input": body, "HTTP_TRANSFER_ENCODING": "chunked"},
    )
    assert response.status_code == 200  # the form again, empty
    assert body.read_bytes == 0
    assert not FamilyDocument.objects.exists()


def test_a_file_under_the_limits_goes_through(parent_client, parent):
    data = justificatif(files.pdf_bytes())
    response = parent_client.generic("POST", URL, data, content_type=MULTIPART_CONTENT)
    assert response.status_code == 302
    assert FamilyDocument.objects.get().family == parent.family


def test_the_handler_stops_when_all_files_together_pass_the_request_cap(settings):
    settings.UPLOAD_MAX_BYTES = 3 * 1024
    settings.REQUEST_BODY_MAX_BYTES = 5 * 1024
    handler = SizeLimitUploadHandler()
    handler.new_file("attachments", "a.pdf", "application/pdf", None)
    handler.receive_data_chunk(b"x" * 3 * 1024, 0)
    handler.new_file("attachments", "b.pdf", "application/pdf", None)
    handler.receive_data_chunk(b"x" * 2 * 1024, 0)
    handler.new_file("attachments", "c.pdf", "application/pdf", None)
    with pytest.raises(UploadTooLarge) as refused:
        handler.receive_data_chunk(b"x", 0)
    assert refused.value.file_name is None  # no one file is to blame


def test_a_browser_with_its_csrf_token_gets_the_413_page_too(parent, settings):
    # A real browser's POST is read first by the CSRF check, before the view.
    settings.UPLOAD_MAX_BYTES = 100 * 1024
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    browser.force_login(parent)
    browser.get(URL)
    token = browser.cookies["csrftoken"].value
    data = encode_multipart(
        BOUNDARY,
        {
            "csrfmiddlewaretoken": token,
            "kind": "caf",
            "file": SimpleUploadedFile("scan.pdf", files.pdf_bytes() + b" " * MB),
        },
    )
    response = browser.generic("POST", URL, data, content_type=MULTIPART_CONTENT)
    assert response.status_code == 413
    assert "Le fichier « scan.pdf » dépasse la taille maximale" in page_text(response)
    assert not FamilyDocument.objects.exists()


def test_a_form_over_django_s_field_limit_gets_the_413_page(parent_client):
    response = parent_client.post(URL, {"kind": "caf", "description": "x" * (3 * MB)})
    assert response.status_code == 413
    assert "Envoi trop volumineux" in page_text(response)
    assert not FamilyDocument.objects.exists()
