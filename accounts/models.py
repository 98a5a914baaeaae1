"""Families and the logins that reach them.

A family (foyer) may have several logins: each guardian gets their own identifier and
password, none is shared. Staff accounts have no family.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.models import HistoricalRecords

from portail.lib.decisions import Decision, DecisionQuerySet
from portail.lib.phones import validate_phone


class Regime(models.TextChoices):
    CAF = "caf", _("CAF")
    MSA = "msa", _("MSA")
    OTHER = "other", _("Autre régime")
    NONE = "none", _("Non allocataire")


class Family(models.Model):
    name = models.CharField(_("nom de la famille"), max_length=150)
    address_line1 = models.CharField(_("adresse"), max_length=200, blank=True)
    address_line2 = models.CharField(_("complément d'adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("code postal"), max_length=10, blank=True)
    city = models.CharField(_("commune"), max_length=100, blank=True)
    phone = models.CharField(
        _("téléphone du foyer"), max_length=30, blank=True, validators=[validate_phone]
    )
    email = models.EmailField(_("e-mail du foyer"), blank=True)
    out_of_commune = models.BooleanField(
        _("hors commune"), default=False, help_text=_("Le tarif « hors commune » s'applique.")
    )
    regime = models.CharField(
        _("régime d'allocations"), max_length=10, choices=Regime.choices, default=Regime.CAF
    )
    allocataire_number = models.CharField(_("n° d'allocataire CAF/MSA"), max_length=20, blank=True)
    quotient = models.DecimalField(
        _("quotient familial"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    quotient_valid_from = models.DateField(_("QF valable du"), null=True, blank=True)
    quotient_valid_until = models.DateField(_("QF valable jusqu'au"), null=True, blank=True)
    quotient_document = models.ForeignKey(
        "messaging.FamilyDocument",
        verbose_name=_("attestation du quotient familial"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    billing_guardian = models.ForeignKey(
        "accounts.Guardian",
        verbose_name=_("responsable facturé"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Le nom qui figure sur les factures."),
    )
    email_notifications = models.BooleanField(
        _("recevoir les messages aussi par e-mail"),
        default=True,
        help_text=_("Les messages arrivent toujours dans la boîte de réception du portail."),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("famille")
        verbose_name_plural = _("familles")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quotient__isnull=True) | models.Q(quotient__gte=0),
                name="family_quotient_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(quotient_valid_until__isnull=True)
                | models.Q(quotient_valid_from__isnull=True)
                | models.Q(quotient_valid_until__gte=models.F("quotient_valid_from")),
                name="family_quotient_dates_in_order",
            ),
        ]

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

    def quotient_on(self, day: date) -> Decimal | None:
        """The quotient familial valid on that day; None (top tariff) if missing or expired."""
        if self.quotient is None:
            return None
        if self.quotient_valid_from and day < self.quotient_valid_from:
            return None
        if self.quotient_valid_until and day > self.quotient_valid_until:
            return None
        return self.quotient

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (
            self.quotient_valid_from
            and self.quotient_valid_until
            and self.quotient_valid_until < self.quotient_valid_from
        ):
            raise ValidationError(
                {"quotient_valid_until": _("La fin de validité précède son début.")}
            )

    @property
    def address_lines(self) -> list[str]:
        town = " ".join(part for part in (self.postal_code, self.city) if part)
        return [line for line in (self.address_line1, self.address_line2, town) if line]


class Relationship(models.TextChoices):
    MOTHER = "mother", _("Mère")
    FATHER = "father", _("Père")
    TUTOR = "tutor", _("Tuteur ou tutrice")
    OTHER = "other", _("Autre")


class Guardian(models.Model):
    """A responsable légal of the family's children."""

    family = models.ForeignKey(
        Family, verbose_name=_("famille"), on_delete=models.CASCADE, related_name="guardians"
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    relationship = models.CharField(
        _("lien avec les enfants"), max_length=10, choices=Relationship.choices
    )
    mobile_phone = models.CharField(
        _("téléphone portable"), max_length=30, blank=True, validators=[validate_phone]
    )
    home_phone = models.CharField(
        _("téléphone fixe"), max_length=30, blank=True, validators=[validate_phone]
    )
    work_phone = models.CharField(
        _("téléphone professionnel"), max_length=30, blank=True, validators=[validate_phone]
    )
    email = models.EmailField(_("e-mail"), blank=True)
    employer = models.CharField(_("employeur"), max_length=150, blank=True)
    can_be_billed = models.BooleanField(_("peut être facturé"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsable légal")
        verbose_name_plural = _("responsables légaux")
        ordering = ["family", "pk"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if not (self.mobile_phone or self.home_phone or self.work_phone):
            raise ValidationError(_("Indiquez au moins un numéro de téléphone."))


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


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("En attente de validation")
    APPROVED = "approved", _("Acceptée")
    REJECTED = "rejected", _("Refusée")
    WITHDRAWN = "withdrawn", _("Retirée par la famille")


class ChangeRequestQuerySet(DecisionQuerySet):
    def for_family(self, family_id: int | None) -> "ChangeRequestQuerySet":
        return self.filter(family_id=family_id)


class ChangeRequest(Decision):
    """What a parent asked to change in their family's or a child's record.

    `changes` holds, per field, the value when the request was made and the value asked
    for ({"phone": {"old": "06…", "new": "07…"}}); nothing is applied before a staff
    member approves it. A request with no object_id asks to create a record (a child, an
    authorised person), `fixed` holding the fields the parent does not choose (its child).
    """

    PENDING, APPROVED, REFUSED = ChangeStatus.PENDING, ChangeStatus.APPROVED, ChangeStatus.REJECTED

    family = models.ForeignKey(
        Family, verbose_name=_("famille"), on_delete=models.CASCADE, related_name="change_requests"
    )
    section = models.CharField(_("rubrique"), max_length=40)
    label = models.CharField(_("objet de la demande"), max_length=200)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("type de fiche"), on_delete=models.PROTECT
    )
    object_id = models.PositiveBigIntegerField(_("fiche"), null=True, blank=True)
    changes = models.JSONField(_("modifications"), encoder=DjangoJSONEncoder)
    fixed = models.JSONField(_("valeurs imposées"), encoder=DjangoJSONEncoder, default=dict)
    page_url = models.CharField(_("page de la famille"), max_length=200, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande de modification")
        verbose_name_plural = _("demandes de modification")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One pending request per record and section: the family withdraws it to ask again.
            models.UniqueConstraint(
                fields=["family", "section", "content_type", "object_id"],
                condition=models.Q(status="pending"),
                name="change_request_one_pending_per_section",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_creation(self) -> bool:
        return self.object_id is None


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("Connexion du personnel")
    LOGIN_FAILED = "login_failed", _("Échec de connexion")
    LOCKOUT = "lockout", _("Blocage après échecs")
    SECOND_FACTOR_FAILED = "otp_failed", _("Code de double authentification refusé")
    SECOND_FACTOR_ENROLLED = "otp_enrolled", _("Double authentification activée")
    SECOND_FACTOR_RESET = "otp_reset", _("Double authentification réinitialisée")
    SECOND_FACTOR_PASSED = "otp_passed", _("Double authentification réussie")
    LOGOUT = "logout", _("Déconnexion du personnel")
    PRIVILEGE_CHANGE = "privilege_change", _("Changement de droits")
    PASSWORD_RESET_REQUESTED = "password_reset", _("Demande de mot de passe oublié")


class SecurityEvent(models.Model):
    """One line of the security log: staff logins, failures, lockouts, privilege changes.

    Written by `accounts.security_log.record`, read in the admin by superusers only;
    it never holds a password, a token or a link.
    """

    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    kind = models.CharField(_("événement"), max_length=32, choices=SecurityEventKind.choices)
    # Who acted (None for an anonymous failed login) and whom it concerns.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("compte concerné"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    username = models.CharField(_("identifiant saisi"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    detail = models.TextField(_("détail"), blank=True)

    class Meta:
        verbose_name = _("événement de sécurité")
        verbose_name_plural = _("journal de sécurité")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["kind", "-at"], name="securityevent_kind_at"),
            # Throttles count recent events of one address or one identifier.
            models.Index(fields=["ip_address", "-at"], name="securityevent_ip_at"),
            models.Index(fields=["username", "-at"], name="securityevent_username_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.username or self.target or ''}"


# The admin shows logins in two places that never meet: clerks manage the parents' logins
# (no privilege, no password), superusers alone manage the staff accounts.


class ParentLoginManager(CaseInsensitiveUserManager):
    """Only a family's logins: a staff account or a superuser is never one of them."""

    def get_queryset(self) -> models.QuerySet:
        return (
            super().get_queryset().filter(family__isnull=False, is_staff=False, is_superuser=False)
        )


class ParentLogin(User):
    """A family's login as the town-hall clerks see it (« Identifiant famille »)."""

    objects = ParentLoginManager()

    class Meta:
        proxy = True
        verbose_name = _("identifiant famille")
        verbose_name_plural = _("identifiants famille")


class StaffAccountManager(CaseInsensitiveUserManager):
    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().filter(models.Q(is_staff=True) | models.Q(is_superuser=True))


class StaffAccount(User):
    """A town-hall staff account, with its groups and permissions: superusers only."""

    objects = StaffAccountManager()

    class Meta:
        proxy = True
        verbose_name = _("compte du personnel")
        verbose_name_plural = _("comptes du personnel")


class StaffSecondFactor(TOTPDevice):
    """A staff member's authenticator app (django-otp's TOTP device), as superusers see it in
    the admin to reset it (a lost phone); its key is never shown."""

    class Meta:
        proxy = True
        verbose_name = _("double authentification")
        verbose_name_plural = _("double authentification du personnel")
