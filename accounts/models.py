"""Families and the logins that reach them.

A family (foyer) may have several logins: each guardian gets their own identifier and
password, none is shared. Staff accounts have no family.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Family(models.Model):
    name = models.CharField(_("nom de la famille"), max_length=150)
    address_line1 = models.CharField(_("adresse"), max_length=200, blank=True)
    address_line2 = models.CharField(_("complément d'adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    email_notifications = models.BooleanField(
        _("recevoir les messages aussi par e-mail"),
        default=True,
        help_text=_("Les messages arrivent toujours dans la boîte de réception du portail."),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        verbose_name = _("famille")
        verbose_name_plural = _("familles")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    # What notification_emails() reads: a sender that loads many families prefetches it.
    notification_prefetch = ("logins",)

    def notification_emails(self, kind: str) -> list[str]:
        """Where the inbox messages of this family are also e-mailed (none if they opted out)."""
        if not self.email_notifications:
            return []
        addresses = [self.email] if self.email else []
        logins = sorted(self.logins.all(), key=lambda login: login.pk)  # prefetched, or 1 query
        addresses += [login.email for login in logins if login.is_active and login.email]
        return list(dict.fromkeys(address.lower() for address in addresses))

    @property
    def address_lines(self) -> list[str]:
        town = " ".join(part for part in (self.postal_code, self.city) if part)
        return [line for line in (self.address_line1, self.address_line2, town) if line]


class CaseInsensitiveUserManager(UserManager):
    """Parents type their identifier as they like: « Martin » reaches « martin »."""

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(username__iexact=username)


class User(AbstractUser):
    family = models.ForeignKey(
        Family,
        verbose_name=_("famille"),
        on_delete=models.PROTECT,
        related_name="logins",
        null=True,
        blank=True,
    )
    must_change_password = models.BooleanField(
        _("doit changer son mot de passe"),
        default=False,
        help_text=_("Vrai tant que l'identifiant n'a qu'un mot de passe provisoire."),
    )
    temporary_password_expires_at = models.DateTimeField(
        _("expiration du mot de passe provisoire"), null=True, blank=True
    )

    objects = CaseInsensitiveUserManager()

    class Meta:
        verbose_name = _("identifiant")
        verbose_name_plural = _("identifiants")
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
        ]

    @property
    def is_parent(self) -> bool:
        return self.family_id is not None

    def temporary_password_expired(self, at: datetime | None = None) -> bool:
        if not self.must_change_password or self.temporary_password_expires_at is None:
            return False
        return (at or timezone.now()) >= self.temporary_password_expires_at

    def set_temporary_password(self, raw_password: str, *, at: datetime | None = None) -> None:
        """Give a temporary password (printed on a letter) that must be changed at first login."""
        self.set_password(raw_password)
        self.must_change_password = True
        self.temporary_password_expires_at = (at or timezone.now()) + timedelta(
            days=settings.TEMPORARY_PASSWORD_DAYS
        )

    def set_chosen_password(self, raw_password: str) -> None:
        """The password the person chose: the temporary one, if any, is over."""
        self.set_password(raw_password)
        self.must_change_password = False
        self.temporary_password_expires_at = None
