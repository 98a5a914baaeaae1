"""The fictional demo commune, dated relative to today. Running it twice changes nothing.

The contract's logins are restored to their documented state on every run (a demo
password changed by someone trying the portal is put back), so the printed logins
always work.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Family, User
from children.models import Child, School
from messaging.models import FormDocument, News
from portail.lib.pdf import render_pdf


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str


MARTIN = DemoLogin("martin", "Famille-2026", "parent (famille MARTIN), prêt à l'emploi")
DURAND = DemoLogin(
    "durand", "Courrier-2026", "parent (famille DURAND), 1re connexion : changer le mot de passe"
)
AGENT = DemoLogin("agent", "Mairie-2026", "agent (Comptabilité + Enfance Jeunesse), /admin/")
ADMIN = DemoLogin("admin", "Admin-2026", "superutilisateur, /admin/")
LOGINS = [MARTIN, DURAND, AGENT, ADMIN]


def school_year_start(today: date) -> int:
    """The calendar year in which the current school year began (September)."""
    return today.year if today.month >= 9 else today.year - 1


def _family(name: str, **fields) -> Family:
    family, _ = Family.objects.get_or_create(name=name, defaults=fields)
    return family


def _login(
    demo: DemoLogin, *, family=None, temporary=False, staff=False, superuser=False, **fields
) -> User:
    user, _ = User.objects.get_or_create(username=demo.username, defaults=fields)
    changed = []
    for attr, value in {
        "family": family,
        "is_staff": staff or superuser,
        "is_superuser": superuser,
        "is_active": True,
    }.items():
        if getattr(user, attr) != value:
            setattr(user, attr, value)
            changed.append(attr)
    expired = user.temporary_password_expired()
    if not user.check_password(demo.password) or user.must_change_password != temporary or expired:
        if temporary:
            user.set_temporary_password(demo.password)
        else:
            user.set_chosen_password(demo.password)
        changed += ["password", "must_change_password", "temporary_password_expires_at"]
    if changed:
        user.save()
    return user


def _child(
    family: Family, first_name: str, last_name: str, birth_date: date, school, klass
) -> Child:
    child, _ = Child.objects.get_or_create(
        family=family,
        first_name=first_name,
        defaults={
            "last_name": last_name,
            "birth_date": birth_date,
            "school": school,
            "school_class": klass,
        },
    )
    return child


@transaction.atomic
def seed_demo(today: date | None = None) -> list[DemoLogin]:
    today = today or timezone.localdate()
    year = school_year_start(today)

    elementary, _ = School.objects.get_or_create(
        name="École élémentaire Jules-Ferry", defaults={"address": "3 rue des Écoles"}
    )
    nursery, _ = School.objects.get_or_create(
        name="École maternelle Les Coquelicots", defaults={"address": "8 allée des Tilleuls"}
    )

    martin = _family(
        "MARTIN",
        address_line1="12 rue des Tilleuls",
        postal_code="45000",
        city="Valmont-sur-Loire",
        phone="06 12 34 56 78",
        email="claire.martin@example.org",
    )
    durand = _family(
        "DURAND",
        address_line1="5 chemin du Moulin",
        postal_code="45000",
        city="Valmont-sur-Loire",
        phone="06 98 76 54 32",
        email="famille.durand@example.org",
    )

    _login(
        MARTIN,
        family=martin,
        first_name="Claire",
        last_name="MARTIN",
        email="claire.martin@example.org",
    )
    # The second guardian of the family has a login of their own, whose letter is not printed yet.
    second, created = User.objects.get_or_create(
        username="paul.martin",
        defaults={
            "family": martin,
            "first_name": "Paul",
            "last_name": "MARTIN",
            "email": "paul.martin@example.org",
        },
    )
    if created:
        second.set_unusable_password()
        second.save(update_fields=["password"])
    _login(
        DURAND,
        family=durand,
        temporary=True,
        first_name="Sophie",
        last_name="DURAND",
        email="famille.durand@example.org",
    )

    agent = _login(
        AGENT,
        staff=True,
        first_name="Agnès",
        last_name="Lefèvre",
        email="enfance@valmont-sur-loire.example.org",
    )
    agent.groups.add(*Group.objects.filter(name__in=["Comptabilité", "Enfance Jeunesse"]))
    _login(ADMIN, superuser=True, email="admin@valmont-sur-loire.example.org")

    _child(martin, "Léa", "MARTIN", date(year - 8, 3, 14), elementary, "CE2")
    _child(martin, "Hugo", "MARTIN", date(year - 5, 10, 2), nursery, "GS")
    _child(durand, "Inès", "DURAND", date(year - 9, 6, 21), elementary, "CM1")
    _child(durand, "Tom", "DURAND", date(year - 6, 1, 9), elementary, "CP")
    _publications(today, year)
    return LOGINS


def _publications(today: date, year: int) -> None:
    """One news item and one form, so that « Infos./Documents » shows what it is for."""
    News.objects.get_or_create(
        title="Inscriptions ALSH vacances d'hiver",
        defaults={
            "body": (
                "Les inscriptions à l'accueil de loisirs pour les vacances d'hiver sont "
                "ouvertes sur le portail, onglet Réservations, jusqu'à quinze jours avant "
                "le début des vacances.\nLe programme des activités est affiché à l'accueil "
                "de loisirs et en mairie."
            ),
            "publish_from": today,
        },
    )
    form, created = FormDocument.objects.get_or_create(
        title="Règlement intérieur de la restauration scolaire",
        defaults={
            "description": "À lire, signer et rapporter à la mairie lors de l'inscription.",
            "file_name": "reglement-restauration-scolaire.pdf",
            "content_type": "application/pdf",
            "publish_from": today,
        },
    )
    if created or not form.file or not form.file.storage.exists(form.file.name):
        pdf = render_pdf(
            "messaging/demo/reglement_restauration.html",
            {"commune_name": settings.COMMUNE_NAME, "year": year},
        )
        form.file.save(form.file_name, ContentFile(pdf))
