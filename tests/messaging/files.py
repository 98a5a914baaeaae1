"""Small real files for upload tests, made here rather than shipped."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.messaging import pdfs


def pdf_bytes() -> bytes:
    """A real one-page PDF: uploads are parsed, and a PDF that does not parse is refused."""
    return pdfs.by_hand([pdfs.CATALOG % b"", pdfs.PAGES, pdfs.PAGE % b""])


def image_bytes(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "navy").save(buffer, format=fmt)
    return buffer.getvalue()


def pdf(name: str = "attestation.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("JPEG"), content_type="image/jpeg")


def png(name: str = "scan.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes("PNG"), content_type="image/png")


def renamed_executable(name: str = "certificat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, content_type="application/pdf"
    )
