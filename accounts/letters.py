"""The access letter a town hall mails to a family: identifier and temporary password.

The temporary password exists in clear only in memory and in the PDF; the database
keeps its hash. Issuing a letter replaces the login's current password. Only a family's
login gets one: a staff account's password is never reset by a letter.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from portail.lib.pdf import render_pdf

from .models import Family, ParentLogin, User

# No look-alike characters (0/O, 1/l/I): the password is read on paper and typed by hand.
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_LOWER = "abcdefghijkmnpqrstuvwxyz"
_DIGITS = "23456789"


def generate_temporary_password() -> str:
    """Three groups of four characters, e.g. « Kp7m-Xa3q-Tr9v », meeting the password rule."""
    alphabet = _UPPER + _LOWER + _DIGITS
    while True:
        chars = [secrets.choice(alphabet) for _ in range(12)]
        if (
            any(c in _UPPER for c in chars)
            and any(c in _LOWER for c in chars)
            and any(c in _DIGITS for c in chars)
        ):
            return "-".join("".join(chars[i : i + 4]) for i in range(0, 12, 4))


@dataclass(frozen=True)
class LetterPage:
    family: Family
    login: User
    temporary_password: str
    expires_at: datetime


def letter_logins(logins) -> models.QuerySet:
    """The logins of a selection that would get a letter: active family logins only."""
    return (
        ParentLogin.objects.filter(pk__in=logins.values("pk"), is_active=True)
        .select_related("family")
        .order_by("family__name", "family_id", "username")
    )


@transaction.atomic
def issue_access_letters(*, logins, by: User, portal_url: str) -> tuple[bytes, int]:
    """Give each active family login of `logins` a new temporary password; return the letters.

    `logins` is a queryset of users (e.g. `User.objects.filter(family__in=families)`);
    staff accounts and inactive logins in it are skipped. Returns the PDF (one page per
    login) and the number of logins. Nothing is changed if the PDF cannot be made.
    """
    now = timezone.now()
    logins = letter_logins(logins).select_for_update(of=("self",))
    pages = []
    for login in logins:
        password = generate_temporary_password()
        login.set_temporary_password(password, at=now)
        login.save(
            update_fields=["password", "must_change_password", "temporary_password_expires_at"]
        )
        pages.append(LetterPage(login.family, login, password, login.temporary_password_expires_at))
    if not pages:
        return b"", 0
    # Traced on the « Identifiant famille » page's history, where clerks look.
    user_type = ContentType.objects.get_for_model(ParentLogin, for_concrete_model=False)
    LogEntry.objects.bulk_create(
        LogEntry(
            user_id=by.pk,
            content_type=user_type,
            object_id=str(page.login.pk),
            object_repr=page.login.username[:200],
            action_flag=CHANGE,
            change_message="Courrier d'accès édité : nouveau mot de passe provisoire.",
        )
        for page in pages
    )
    pdf = render_pdf(
        "accounts/access_letter.html",
        {
            "pages": pages,
            "commune_name": settings.COMMUNE_NAME,
            "commune_address": settings.COMMUNE_ADDRESS,
            "commune_phone": settings.COMMUNE_PHONE,
            "portal_url": portal_url,
            "today": now,
        },
    )
    return pdf, len(pages)
