"""Files families send: PDF, JPEG or PNG only, recognised by their content (never by
their name), within a size limit, PDFs without code or automatic actions (pdf_safety);
and served back only to those allowed to see them."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpResponse

from .pdf_safety import PdfVerdict, inspect_pdf

ACCEPTED = "PDF, JPEG ou PNG"
EXTENSIONS = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    size: int


def sniff(head: bytes) -> str | None:
    """The content type told by the first bytes of a file, among those we accept."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    return None


def _is_whole_image(upload: UploadedFile) -> bool:
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
    finally:
        upload.seek(0)
    return True


def _is_whole_pdf(upload: UploadedFile) -> bool:
    upload.seek(max(upload.size - 2048, 0))
    tail = upload.read()
    upload.seek(0)
    return b"%%EOF" in tail


def _refuse_unsafe_pdf(upload: UploadedFile) -> None:
    upload.seek(0)
    try:
        verdict = inspect_pdf(upload)
    finally:
        upload.seek(0)
    if verdict == PdfVerdict.UNREADABLE:
        raise ValidationError(
            "Le fichier « %(name)s » n'est pas un document %(accepted)s valide.",
            params={"name": upload.name, "accepted": ACCEPTED},
        )
    if verdict == PdfVerdict.ACTIVE:
        raise ValidationError(
            "Le fichier « %(name)s » contient du code (JavaScript), des actions automatiques "
            "ou des fichiers joints : enregistrez-le à nouveau sans (par exemple « Imprimer », "
            "puis « Enregistrer au format PDF ») et renvoyez-le.",
            params={"name": upload.name},
        )
    if verdict == PdfVerdict.PROTECTED:
        raise ValidationError(
            "Le fichier « %(name)s » est protégé par un mot de passe : enregistrez-le sans "
            "protection et renvoyez-le.",
            params={"name": upload.name},
        )


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Refuse anything but a real PDF, JPEG or PNG under the size limit, in French."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size == 0:
        raise ValidationError("Le fichier « %(name)s » est vide.", params={"name": upload.name})
    if upload.size > limit:
        raise ValidationError(
            "Le fichier « %(name)s » dépasse la taille maximale de %(max)s Mo.",
            params={"name": upload.name, "max": limit // (1024 * 1024)},
        )
    upload.seek(0)
    content_type = sniff(upload.read(16))
    upload.seek(0)
    whole = {
        "application/pdf": _is_whole_pdf,
        "image/jpeg": _is_whole_image,
        "image/png": _is_whole_image,
    }.get(content_type)
    if whole is None or not whole(upload):
        raise ValidationError(
            "Le fichier « %(name)s » n'est pas un document %(accepted)s valide.",
            params={"name": upload.name, "accepted": ACCEPTED},
        )
    if content_type == "application/pdf":
        _refuse_unsafe_pdf(upload)
    return CheckedFile(
        name=safe_name(upload.name, content_type), content_type=content_type, size=upload.size
    )


def safe_name(name: str, content_type: str) -> str:
    """The file's own name, cleaned, with the extension of what it really is."""
    stem = (name or "document").rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0]
    stem = "".join(c if c.isalnum() or c in "-_ " else "_" for c in stem).strip()[:80]
    return f"{stem or 'document'}{EXTENSIONS[content_type]}"


def private_download(response: HttpResponse) -> HttpResponse:
    """A family's file on its way out: no browser, proxy or shared-computer cache keeps a
    copy, and no browser guesses another type than the one sent."""
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def serve_private(file_field, *, name: str, content_type: str) -> FileResponse:
    """Send a private file as a download (the caller has checked who asks)."""
    return private_download(
        FileResponse(
            file_field.open("rb"), as_attachment=True, filename=name, content_type=content_type
        )
    )
