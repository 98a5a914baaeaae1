"""The fictional demo commune, dated relative to today. Running it twice changes nothing.

The contract's logins are restored to their documented state on every run (a demo
password changed by someone trying the portal is put back), so the printed logins
always work.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Family, Guardian, Relationship, User
from accounts.two_factor import grouped, set_demo_device
from billing.demo import seed_billing
from children.models import AuthorisedPerson, Child, Consents, Diet, Health, School
from messaging.models import FormDocument, News
from portail.lib.pdf import render_pdf
from reservations.demo import seed_reservations


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str


MARTIN = DemoLogin("martin", "Famille-2026", "parent (famille MARTIN), prêt à l'emploi")
DURAND = DemoLogin(
    "durand", "Courrier-2026", "parent (famille DURAND), 1re connexion : changer le mot de passe"
)
AGENT = DemoLogin(
    "agent", "Mairie-2026", "agent (Comptabilité + Enfance Jeunesse + Données de santé), /admin/"
)
ADMIN = DemoLogin("admin", "Admin-2026", "superutilisateur, /admin/")
LOGINS = [MARTIN, DURAND, AGENT, ADMIN]

# The demo staff's authenticator secrets (base32), fixed and printed so that a tester adds
# them to an app (or computes codes: `oathtool --totp -b <clé>`) when STAFF_TWO_FACTOR is on.
# A demo secret is public: never keep these devices on a real server's accounts.
DEMO_TOTP_SECRETS = {
    AGENT.username: "VALMONTSURLOIREAGENTDEMOPORTAIL2",
    ADMIN.username: "VALMONTSURLOIREADMINDEMOPORTAIL2",
}


def two_factor_lines() -> list[str]:
    """What seed_demo prints about the demo staff's second factor."""
    state = "activée" if settings.STAFF_TWO_FACTOR else "désactivée ici : mot de passe seul"
    lines = [
        f"Double authentification (si STAFF_TWO_FACTOR=true ; {state}) : "
        "clé à ajouter dans une application TOTP (6 chiffres, 30 secondes)"
    ]
    for username, secret in DEMO_TOTP_SECRETS.items():
        lines.append(f"  {username:<8} clé {grouped(secret)}")
    return lines


DEMO_FAMILIES = ("MARTIN", "DURAND")
DEMO_USERNAMES = (*(login.username for login in LOGINS), "paul.martin")


def foreign_data() -> list[str]:
    """What the database holds that the demo did not make: a real commune's families and
    staff. The demo resets `admin`'s and `agent`'s passwords to public ones, makes `admin` a
    superuser and gives both a published second-factor key, so it never runs over them."""
    found = []
    if families := Family.objects.exclude(name__in=DEMO_FAMILIES).count():
        found.append(f"{families} famille(s) hors démonstration")
    if users := User.objects.exclude(username__in=DEMO_USERNAMES).count():
        found.append(f"{users} identifiant(s) hors démonstration")
    return found


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
    agent.groups.add(
        *Group.objects.filter(name__in=["Comptabilité", "Enfance Jeunesse", "Données de santé"])
    )
    admin = _login(ADMIN, superuser=True, email="admin@valmont-sur-loire.example.org")
    for user in (agent, admin):
        set_demo_device(user=user, secret_base32=DEMO_TOTP_SECRETS[user.username])

    lea = _child(martin, "Léa", "MARTIN", date(year - 8, 3, 14), elementary, "CE2")
    hugo = _child(martin, "Hugo", "MARTIN", date(year - 5, 10, 2), nursery, "GS")
    ines = _child(durand, "Inès", "DURAND", date(year - 9, 6, 21), elementary, "CM1")
    tom = _child(durand, "Tom", "DURAND", date(year - 6, 1, 9), elementary, "CP")
    _records(martin, durand, year, lea=lea, hugo=hugo, ines=ines, tom=tom)
    _publications(today, year)
    seed_reservations(today)
    seed_billing(today)
    return LOGINS


def _guardian(family: Family, first_name: str, **fields) -> Guardian:
    guardian, _ = Guardian.objects.get_or_create(
        family=family, first_name=first_name, defaults=fields
    )
    return guardian


def _set_once(instance, **fields) -> None:
    """Fill the fields still empty: a value staff or a parent changed is left alone."""
    missing = [name for name, value in fields.items() if getattr(instance, name) in (None, "")]
    for name in missing:
        setattr(instance, name, fields[name])
    if missing:
        instance.save(update_fields=missing)


def _records(martin: Family, durand: Family, year: int, *, lea, hugo, ines, tom) -> None:
    """Guardians, quotient familial, health data, authorised persons and consents."""
    claire = _guardian(
        martin,
        "Claire",
        last_name="MARTIN",
        relationship=Relationship.MOTHER,
        mobile_phone="06 12 34 56 78",
        email="claire.martin@example.org",
        employer="Centre hospitalier de Valmont",
    )
    _guardian(
        martin,
        "Paul",
        last_name="MARTIN",
        relationship=Relationship.FATHER,
        mobile_phone="06 23 45 67 89",
        work_phone="02 38 11 22 33",
        email="paul.martin@example.org",
    )
    sophie = _guardian(
        durand,
        "Sophie",
        last_name="DURAND",
        relationship=Relationship.MOTHER,
        mobile_phone="06 98 76 54 32",
        home_phone="02 38 44 55 66",
        email="famille.durand@example.org",
    )
    # MARTIN gave their CAF quotient for the school year; DURAND did not (top tariff).
    _set_once(
        martin,
        allocataire_number="1234567",
        quotient=Decimal("612.50"),
        quotient_valid_from=date(year, 9, 1),
        quotient_valid_until=date(year + 1, 8, 31),
        billing_guardian=claire,
    )
    _set_once(durand, billing_guardian=sophie)

    Health.objects.get_or_create(
        child=lea,
        defaults={
            "allergies": "Arachide et fruits à coque (réaction sévère)",
            "pai": True,
            "pai_details": (
                "Trousse d'urgence avec stylo d'adrénaline dans le cartable et à l'office "
                "de restauration. Panier-repas fourni par la famille."
            ),
            "vaccinations_up_to_date": True,
            "last_vaccination_date": date(year - 1, 11, 5),
            "doctor_name": "Dr Anne Lemoine",
            "doctor_phone": "02 38 12 12 12",
        },
    )
    Health.objects.get_or_create(
        child=hugo,
        defaults={"vaccinations_up_to_date": True, "doctor_name": "Dr Anne Lemoine"},
    )
    Health.objects.get_or_create(
        child=ines,
        defaults={
            "diets": [Diet.NO_PORK],
            "vaccinations_up_to_date": True,
            "doctor_name": "Dr Karim Benali",
            "doctor_phone": "02 38 34 34 34",
            "treatments": "Ventoline en cas de crise d'asthme (dans le sac de l'enfant).",
        },
    )
    Health.objects.get_or_create(child=tom, defaults={"vaccinations_up_to_date": True})

    for child in (lea, hugo):
        AuthorisedPerson.objects.get_or_create(
            child=child,
            first_name="Jeanne",
            last_name="PETIT",
            defaults={
                "relationship": "Grand-mère",
                "phone": "06 45 45 45 45",
                "can_pick_up": True,
                "emergency_contact": True,
            },
        )
    for child in (ines, tom):
        AuthorisedPerson.objects.get_or_create(
            child=child,
            first_name="Marc",
            last_name="DURAND",
            defaults={
                "relationship": "Oncle",
                "phone": "06 56 56 56 56",
                "can_pick_up": True,
                "emergency_contact": False,
            },
        )
    everything = {
        "image_rights": True,
        "outings": True,
        "transport": True,
        "emergency_care": True,
    }
    Consents.objects.get_or_create(child=lea, defaults=everything)
    Consents.objects.get_or_create(child=hugo, defaults=everything)
    Consents.objects.get_or_create(child=ines, defaults={**everything, "leave_alone": True})
    Consents.objects.get_or_create(child=tom, defaults={**everything, "image_rights": False})


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
