"""A small town hall with one row of every model the admin shows, for the tests that open
every admin page (tests/portail/test_permission_matrix.py, test_admin_malformed_input.py).

Health data carries sentinel values, so that a page showing one to staff without the
« Données de santé » permission can be caught by looking for the sentinel in its HTML. The
records that usually carry health values around (a health change request, the notice of
an accepted one, a medical certificate, a thread about an allergy) are made through the
services that make them in real life.
"""

import re
from datetime import date, time, timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts import change_requests as cr
from accounts.forms import QueuedPasswordResetForm
from accounts.models import Family, SecurityEvent, SecurityEventKind, User
from accounts.views import PasswordResetView
from billing.models import (
    Method,
    OnlineTransaction,
    Regie,
    RegieActivity,
    Tariff,
    TariffBracket,
    TariffMode,
    TransactionState,
)
from children.health_access import record_access
from children.models import (
    AuthorisedPerson,
    Child,
    Consents,
    Diet,
    Health,
    HealthAccess,
)
from messaging.broadcasts import send_broadcast
from messaging.contact import start_thread
from messaging.files import check_upload
from messaging.models import DocumentKind, OutgoingEmail, Service
from messaging.services import Attachment, notify
from messaging.upload_services import deposit_document
from reservations.models import (
    Activity,
    Booking,
    Closure,
    DayCount,
    DeadlineRule,
    Enrolment,
    EnrolmentStatus,
    MedicalAbsence,
    Pattern,
    RuleKind,
    SchoolYear,
    Status,
    Unit,
)
from tests.billing.ledger import invoice, payment
from tests.messaging.files import pdf, pdf_bytes
from tests.messaging.publications import form, news
from tests.records import make_guardian

# What no page may show to staff without the health permission. Each is a health value
# of the child « Léa » (see build): allergies, treatments, PAI, doctor, medical notes, and
# the new allergy a pending change request asks for, and a medical absence's comment.
HEALTH_SENTINELS = (
    "ALLERGIE-SENTINELLE-ARACHIDE",
    "TRAITEMENT-SENTINELLE-VENTOLINE",
    "PAI-SENTINELLE-PROTOCOLE",
    "MEDECIN-SENTINELLE-DUPUIS",
    "NOTE-SENTINELLE-ASTHME",
    "ALLERGIE-SENTINELLE-KIWI",
    "ALLERGIE-SENTINELLE-POLLEN",
    "ABSENCE-SENTINELLE-GRIPPE",
    str(Diet.GLUTEN_FREE.label),  # Léa's diet, the kitchen's list shows it to health staff
)


def health_values(response_text: str) -> list[str]:
    """The sentinel health values a page shows."""
    return [value for value in HEALTH_SENTINELS if value in response_text]


RESET_LINK = re.compile(r"/connexion/reinitialiser/[^/\s]+/([^/\s]+)/")


def secrets() -> list[str]:
    """The one-time tokens of the queued reset e-mails (see _reset_link): no staff page
    may show one."""
    bodies = OutgoingEmail.objects.filter(contains_secret=True).values_list("body_text", flat=True)
    return [token for body in bodies for token in RESET_LINK.findall(body)]


def build(*, family: Family, parent: User, by: User) -> None:
    """One row (at least) of every model registered in the admin; `by` is a staff member."""
    lea, hugo = family.children.order_by("birth_date")
    school = lea.school
    _health(lea, parent=parent, family=family, by=by)
    make_guardian(family, can_be_billed=True)
    AuthorisedPerson.objects.create(
        child=lea,
        first_name="Jeanne",
        last_name="ROUX",
        relationship="grand-mère",
        phone="06 11 22 33 44",
    )
    Consents.objects.create(child=lea, image_rights=True)
    _messaging(family=family, parent=parent, by=by)
    year, canteen, meal = _reservations(lea=lea, hugo=hugo, school=school, parent=parent, by=by)
    _billing(family=family, canteen=canteen, meal=meal, by=by)
    SecurityEvent.objects.create(kind=SecurityEventKind.LOGIN, actor=by, username=by.username)
    _axes(parent)
    _second_factor(by)
    _reset_link(by)
    assert Group.objects.exists()


def _health(lea: Child, *, parent: User, family: Family, by: User) -> None:
    # The first document (the one the admin pages open) is no health data.
    deposit(family, parent, DocumentKind.CAF, "attestation-caf.pdf")
    certificate = deposit(family, parent, DocumentKind.PAI, "protocole-pai-lea.pdf")
    Health.objects.create(
        child=lea,
        allergies="ALLERGIE-SENTINELLE-ARACHIDE",
        diets=[Diet.GLUTEN_FREE],
        pai=True,
        pai_details="PAI-SENTINELLE-PROTOCOLE",
        pai_document=certificate,
        doctor_name="MEDECIN-SENTINELLE-DUPUIS",
        treatments="TRAITEMENT-SENTINELLE-VENTOLINE",
        medical_notes="NOTE-SENTINELLE-ASTHME",
    )
    record_access(staff=by, child_ids=[lea.pk], action=HealthAccess.Action.VIEW)
    health = lea.health
    # The first request (the one the admin pages open) is no health data; then one health
    # request accepted (its notice goes to the inbox and the outbox), one pending.
    cr.submit(
        family=family,
        section="famille-coordonnees",
        label="Coordonnées",
        by=parent,
        data={"city": "Valmont-le-Haut"},
        instance=family,
    )
    accepted = cr.submit(
        family=family,
        section="enfant-sante",
        label="Enfant : Santé — Léa",
        by=parent,
        data={"allergies": "ALLERGIE-SENTINELLE-POLLEN"},
        instance=health,
        page_url=f"/enfants/{lea.pk}/sante/",
    )
    cr.approve(change_request=accepted, by=by)
    health.refresh_from_db()
    cr.submit(
        family=family,
        section="enfant-sante",
        label="Enfant : Santé — Léa",
        by=parent,
        data={"allergies": "ALLERGIE-SENTINELLE-KIWI", "treatments": "Aucun"},
        instance=health,
        page_url=f"/enfants/{lea.pk}/sante/",
    )


def deposit(family: Family, parent: User, kind: str, name: str):
    upload = pdf(name)
    return deposit_document(
        family=family,
        kind=kind,
        description="",
        upload=upload,
        checked=check_upload(upload),
        by=parent,
    )


def _messaging(*, family: Family, parent: User, by: User) -> None:
    enfance = Service.objects.get(name="Enfance Jeunesse")
    start_thread(
        family=family,
        service=enfance,
        subject="Inscription au centre de loisirs",
        body="Bonjour, pouvez-vous inscrire Hugo ?",
        files=[pdf("livret-de-famille.pdf")],
        author=parent,
    )
    notify(
        family,
        "info",
        "Votre attestation",
        "Voici l'attestation demandée.",
        attachments=[Attachment(name="attestation.pdf", content=pdf_bytes())],
    )
    news("Fermeture du centre le 11 novembre")
    form("Dossier d'inscription", start=timezone.localdate() - timedelta(days=1))
    send_broadcast(
        subject="Sortie au musée",
        body="Les enfants iront au musée jeudi.",
        audience_kind="all",
        audience_value="",
        sender="La mairie",
        by=by,
    )


def _reservations(*, lea: Child, hugo: Child, school, parent: User, by: User):
    year = SchoolYear.objects.create(
        name="2026-2027", start=date(2026, 9, 1), end=date(2027, 8, 31)
    )
    rule = DeadlineRule.objects.create(
        name="J-2 avant 10h", kind=RuleKind.DAYS_BEFORE, days=2, time=time(10, 0)
    )
    canteen = Activity.objects.create(
        name="Restauration scolaire",
        pattern=Pattern.SCHOOL_DAYS,
        booking_rule=rule,
        cancel_rule=rule,
    )
    canteen.schools.add(school)
    meal = Unit.objects.create(activity=canteen, name="Repas", includes_meal=True, capacity=50)
    Closure.objects.create(
        activity=canteen, start=date(2026, 11, 11), end=date(2026, 11, 11), reason="Férié"
    )
    Enrolment.objects.create(
        child=lea, activity=canteen, school_year=year, status=EnrolmentStatus.VALIDATED
    )
    Enrolment.objects.create(
        child=hugo,
        activity=canteen,
        school_year=year,
        status=EnrolmentStatus.REQUESTED,
        requested_by=parent,
    )
    day = date(2026, 12, 3)
    Booking.objects.create(
        child=lea,
        activity=canteen,
        unit=meal,
        day=day,
        status=Status.BOOKED,
        created_by=parent,
    )
    DayCount.objects.create(unit=meal, day=day, booked=1)
    certificate = deposit(lea.family, parent, DocumentKind.MEDICAL, "certificat-medical.pdf")
    MedicalAbsence.objects.create(
        child=lea,
        start=day,
        end=day,
        certificate=certificate,
        requested_by=parent,
        comment="ABSENCE-SENTINELLE-GRIPPE",
    )
    return year, canteen, meal


def _billing(*, family: Family, canteen: Activity, meal: Unit, by: User) -> None:
    regie = Regie.objects.create(name="Régie périscolaire", code="F", payee="Régie de Valmont")
    RegieActivity.objects.create(regie=regie, activity=canteen)
    tariff = Tariff.objects.create(unit=meal, valid_from=date(2026, 9, 1), mode=TariffMode.BRACKETS)
    TariffBracket.objects.create(tariff=tariff, qf_max=None, price=Decimal("3.40"))
    made = invoice(
        family,
        regie,
        period=date(2026, 10, 1),
        total="23.50",
        lines=[("Léa MARTIN", "Restauration scolaire", 10, "2.35")],
    )
    payment(
        family,
        regie,
        amount="10.00",
        received=date(2026, 11, 5),
        method=Method.CHEQUE,
        settles=made,
    )
    OnlineTransaction.objects.create(
        regie=regie,
        family=family,
        invoice=made,
        amount=Decimal("13.50"),
        email="claire@example.org",
        numcli="123456",
        saisie="T",
        exer="2026",
        refdet=made.number,
        idop="IDOP-ADMIN-DATA",
        state=TransactionState.ABANDONED,
        started_by=family.logins.first(),
    )


def _axes(parent: User) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    now = timezone.now()
    common = {
        "user_agent": "Firefox",
        "ip_address": "192.0.2.10",
        "username": parent.username,
        "http_accept": "text/html",
        "path_info": "/connexion/",
    }
    AccessAttempt.objects.create(
        **common, attempt_time=now, get_data="", post_data="", failures_since_start=1
    )
    AccessLog.objects.create(**common, attempt_time=now)
    AccessFailureLog.objects.create(**common, attempt_time=now, locked_out=False)


def _second_factor(user: User) -> None:
    """The staff member's authenticator app and recovery codes (django-otp's devices)."""
    if apps.is_installed("django_otp.plugins.otp_totp"):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    if apps.is_installed("django_otp.plugins.otp_static"):
        from django_otp.plugins.otp_static.models import StaticDevice

        device = StaticDevice.objects.create(user=user, name="Codes de secours", confirmed=True)
        device.token_set.create(token="SECOURS1")


def _reset_link(user: User) -> None:
    """« Mot de passe oublié » asked for a staff account: its link waits in the outbox."""
    form = QueuedPasswordResetForm({"email": user.email})
    assert form.is_valid()
    view = PasswordResetView
    form.save(
        domain_override="portail.example.fr",
        use_https=True,
        subject_template_name=view.subject_template_name,
        email_template_name=view.email_template_name,
        html_email_template_name=view.html_email_template_name,
    )
    assert secrets(), "le courriel de réinitialisation devrait contenir son lien"
