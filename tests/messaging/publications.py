"""News and forms for the « Infos./Documents » tests."""

from datetime import date

from django.core.files.base import ContentFile

from messaging.models import FormDocument, News
from tests.messaging.files import pdf_bytes

START = date(2026, 11, 1)


def news(title: str, *, kind="all", value="", start=START, end=None, **fields) -> News:
    return News.objects.create(
        title=title,
        body=fields.pop("body", f"Texte de « {title} »."),
        audience_kind=kind,
        audience_value=value,
        publish_from=start,
        publish_until=end,
        **fields,
    )


def form(title: str, *, kind="all", value="", start=START, end=None, content=None) -> FormDocument:
    document = FormDocument(
        title=title,
        description=f"Description de « {title} ».",
        file_name="formulaire.pdf",
        content_type="application/pdf",
        audience_kind=kind,
        audience_value=value,
        publish_from=start,
        publish_until=end,
    )
    document.file.save("formulaire.pdf", ContentFile(content or pdf_bytes()), save=False)
    document.save()
    return document
