from datetime import date

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Family
from portail.lib.phones import validate_phone


class Sex(models.TextChoices):
    GIRL = "F", _("Fille")
    BOY = "M", _("Garçon")


class School(models.Model):
    name = models.CharField(_("nom"), max_length=150, unique=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("école")
        verbose_name_plural = _("écoles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ChildQuerySet(models.QuerySet):
    def for_family(self, family: Family) -> "ChildQuerySet":
        return self.filter(family=family)


class Child(models.Model):
    family = models.ForeignKey(
        Family, verbose_name=_("famille"), on_delete=models.PROTECT, related_name="children"
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    birth_date = models.DateField(_("date de naissance"))
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices, blank=True)
    birth_place = models.CharField(_("lieu de naissance"), max_length=100, blank=True)
    school = models.ForeignKey(
        School,
        verbose_name=_("école"),
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
    )
    school_class = models.CharField(_("classe"), max_length=50, blank=True)

    objects = ChildQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enfant")
        verbose_name_plural = _("enfants")
        ordering = ["family", "birth_date", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        today = timezone.localdate()
        if self.birth_date and self.birth_date > today:
            raise ValidationError({"birth_date": _("La date de naissance est dans le futur.")})
        if self.birth_date and self.birth_date.year < today.year - 25:
            raise ValidationError(
                {"birth_date": _("Vérifiez l'année de naissance : l'enfant aurait plus de 25 ans.")}
            )

    def age(self, on: date | None = None) -> int:
        on = on or timezone.localdate()
        before_birthday = (on.month, on.day) < (self.birth_date.month, self.birth_date.day)
        return on.year - self.birth_date.year - before_birthday


class Diet(models.TextChoices):
    """Diets, never religions: the kitchen cooks for what a child eats."""

    NO_PORK = "no_pork", _("Sans porc")
    NO_MEAT = "no_meat", _("Sans viande")
    VEGETARIAN = "vegetarian", _("Végétarien (ni viande ni poisson)")
    NO_FISH = "no_fish", _("Sans poisson")
    GLUTEN_FREE = "gluten_free", _("Sans gluten")
    LACTOSE_FREE = "lactose_free", _("Sans lactose")


class Health(models.Model):
    """A child's health data: visible to staff with the dedicated permission only."""

    child = models.OneToOneField(
        Child, verbose_name=_("enfant"), on_delete=models.CASCADE, related_name="health"
    )
    allergies = models.TextField(_("allergies"), blank=True)
    diets = ArrayField(
        models.CharField(max_length=20, choices=Diet.choices),
        verbose_name=_("régimes alimentaires"),
        default=list,
        blank=True,
    )
    pai = models.BooleanField(_("PAI (projet d'accueil individualisé)"), default=False)
    pai_details = models.TextField(_("précisions sur le PAI"), blank=True)
    pai_document = models.ForeignKey(
        "messaging.FamilyDocument",
        verbose_name=_("document PAI"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    vaccinations_up_to_date = models.BooleanField(_("vaccins à jour"), default=False)
    last_vaccination_date = models.DateField(_("date du dernier rappel"), null=True, blank=True)
    doctor_name = models.CharField(_("médecin traitant"), max_length=150, blank=True)
    doctor_phone = models.CharField(
        _("téléphone du médecin"), max_length=30, blank=True, validators=[validate_phone]
    )
    treatments = models.TextField(_("traitements en cours"), blank=True)
    medical_notes = models.TextField(_("recommandations médicales"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("données de santé")
        verbose_name_plural = _("données de santé")

    def __str__(self) -> str:
        return f"Santé de {self.child}"

    def clean(self) -> None:
        if self.last_vaccination_date and self.last_vaccination_date > timezone.localdate():
            raise ValidationError(
                {"last_vaccination_date": _("La date du dernier rappel est dans le futur.")}
            )

    @property
    def diet_labels(self) -> list[str]:
        return [Diet(value).label for value in self.diets]


class HealthAccess(models.Model):
    """Each time a staff member sees or prints a child's health data.

    A medical justificatif of a family is logged once for each child it may concern (the
    child of its PAI, or every child of the family), with the document; a family without
    children yet gets one row without a child.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("consultation")
        CHANGE = "change", _("modification")
        PRINT = "print", _("fiche sanitaire")
        EXPORT = "export", _("export")
        REQUEST = "request", _("consultation d'une demande de modification")
        DOCUMENT = "document", _("téléchargement d'un justificatif médical")

    staff = models.ForeignKey(
        "accounts.User", verbose_name=_("agent"), on_delete=models.PROTECT, related_name="+"
    )
    child = models.ForeignKey(
        Child,
        verbose_name=_("enfant"),
        on_delete=models.CASCADE,
        related_name="health_accesses",
        null=True,
        blank=True,
    )
    document = models.ForeignKey(
        "messaging.FamilyDocument",
        verbose_name=_("justificatif"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        verbose_name = _("accès aux données de santé")
        verbose_name_plural = _("accès aux données de santé")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.staff} — {self.get_action_display()} — {self.child or '—'}"


class AuthorisedPerson(models.Model):
    child = models.ForeignKey(
        Child, verbose_name=_("enfant"), on_delete=models.CASCADE, related_name="authorised_persons"
    )
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    relationship = models.CharField(_("lien avec l'enfant"), max_length=100)
    phone = models.CharField(_("téléphone"), max_length=30, validators=[validate_phone])
    can_pick_up = models.BooleanField(_("peut venir chercher l'enfant"), default=True)
    emergency_contact = models.BooleanField(_("à appeler en cas d'urgence"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("personne autorisée")
        verbose_name_plural = _("personnes autorisées")
        ordering = ["child", "last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        if not (self.can_pick_up or self.emergency_contact):
            raise ValidationError(
                _("Cochez au moins un rôle : venir chercher l'enfant ou être appelé en urgence.")
            )


class Consents(models.Model):
    child = models.OneToOneField(
        Child, verbose_name=_("enfant"), on_delete=models.CASCADE, related_name="consents"
    )
    image_rights = models.BooleanField(_("droit à l'image (photos, films)"), default=False)
    outings = models.BooleanField(_("sorties hors de l'établissement"), default=False)
    transport = models.BooleanField(_("transport en car ou minibus"), default=False)
    emergency_care = models.BooleanField(_("soins et hospitalisation d'urgence"), default=False)
    leave_alone = models.BooleanField(_("rentrer seul après l'accueil"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("autorisations")
        verbose_name_plural = _("autorisations")

    def __str__(self) -> str:
        return f"Autorisations de {self.child}"
