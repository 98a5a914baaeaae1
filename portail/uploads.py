"""Uploads are read no further than the limits: a file stops at UPLOAD_MAX_BYTES, a
request at REQUEST_BODY_MAX_BYTES, whatever the Content-Length said (or did not say)."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class UploadTooLarge(RequestDataTooBig):
    """Turned into the 413 page by portail.errors.bad_request; nothing of the request is kept."""

    def __init__(self, message: str, *, file_name: str | None = None):
        super().__init__(message)
        self.file_name = file_name


class SizeLimitUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts the bytes and passes them on to the handlers
    that store them, and stops the parsing (the rest of the body is never read) as soon as
    one file or the whole request is over its limit."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if start + len(raw_data) > settings.UPLOAD_MAX_BYTES:
            raise UploadTooLarge("Fichier au-delà de UPLOAD_MAX_BYTES", file_name=self.file_name)
        if self.received > settings.REQUEST_BODY_MAX_BYTES:
            raise UploadTooLarge("Fichiers au-delà de REQUEST_BODY_MAX_BYTES")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler (memory or temporary file) makes the file
