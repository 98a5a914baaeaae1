"""Builders for the family and child record tests: guardians, documents, decisions."""

import re
from html import unescape

from accounts import change_requests as cr
from accounts.models import ChangeRequest, Family, Guardian
from messaging.models import FamilyDocument


def make_guardian(family: Family, first_name: str = "Claire", **fields) -> Guardian:
    values = {
        "last_name": family.name,
        "relationship": "mother",
        "mobile_phone": "06 12 34 56 78",
        **fields,
    }
    return Guardian.objects.create(family=family, first_name=first_name, **values)


def make_document(family: Family, kind: str, name: str = "attestation.pdf") -> FamilyDocument:
    return FamilyDocument.objects.create(
        family=family,
        kind=kind,
        name=name,
        file=f"justificatifs/{family.pk}/{name}",
        content_type="application/pdf",
        size=100,
    )


def the_request() -> ChangeRequest:
    """The one change request the test expects to exist."""
    return ChangeRequest.objects.get()


def approve(agent):
    return cr.approve(change_request=the_request(), by=agent)


def reject(agent, reason: str) -> None:
    cr.reject(change_request=the_request(), by=agent, reason=reason)


def visible_text(response) -> str:
    """The words on the page as seen on screen: no tags, no screen-reader-only text."""
    html = response.content.decode()
    html = re.sub(r'<span class="visually-hidden">.*?</span>', "", html, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", html)).replace("\xa0", " ")
    return re.sub(r"\s+", " ", text)
