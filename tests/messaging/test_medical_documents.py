"""Medical justificatifs (certificat médical, document PAI) are health data in the admin:
reserved to « Données de santé », each look and download logged; other kinds as before."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Family
from children.models import Health, HealthAccess
from messaging.files import CheckedFile
from messaging.models import DocumentKind, DocumentStatus, FamilyDocument, Message, OutgoingEmail
from messaging.upload_services import deposit_document
from tests import staff
from tests.helpers import page_text as raw_page_text
from tests.messaging import files

pytestmark = pytest.mark.django_db
health_agent, health_agent_client = staff.health_agent, staff.health_agent_client  # fixtures

ADMIN = "/admin/messaging/familydocument/"
FILE_NAME = "asthme-severe-SENTINELLE.pdf"
DESCRIPTION = "DESCRIPTION-EPILEPSIE-SENTINELLE"
NOTE = "NOTE-DIAGNOSTIC-SENTINELLE"
SENTINELS = ("SENTINELLE", "asthme", "EPILEPSIE")
QUERIES = 10  # 9 today, whatever the number of documents: an N+1 adds 6


def page_text(response) -> str:
    return raw_page_text(response).replace("\xa0", " ")


def assert_no_sentinel(text: str) -> None:
    for sentinel in SENTINELS:
        assert sentinel not in text


def deposit(family, parent, kind=DocumentKind.MEDICAL, name=FILE_NAME) -> FamilyDocument:
    upload = SimpleUploadedFile(name, files.pdf_bytes(), content_type="application/pdf")
    return deposit_document(
        family=family,
        kind=kind,
        description=DESCRIPTION if kind != DocumentKind.OTHER else "",
        upload=upload,
        checked=files_checked(name),
        by=parent,
    )


def files_checked(name) -> CheckedFile:
    return CheckedFile(name=name, content_type="application/pdf", size=len(files.pdf_bytes()))


def download(client, document):
    return client.get(f"{ADMIN}{document.pk}/telecharger/")


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def certificate(family, parent) -> FamilyDocument:
    return deposit(family, parent)


# --- a clerk without « Données de santé » -------------------------------------------------


def test_a_clerk_gets_a_french_403_and_no_byte_of_a_medical_document(agent_client, certificate):
    response = download(agent_client, certificate)

    assert response.status_code == 403
    assert not response.streaming
    assert "Content-Disposition" not in response
    text = page_text(response)
    assert "réservé au groupe « Données de santé »" in text
    assert "Aucun fichier n'a été envoyé" in text
    assert b"%PDF" not in response.content
    assert_no_sentinel(text)
    assert not HealthAccess.objects.exists()


@pytest.mark.parametrize("kind", [DocumentKind.MEDICAL, DocumentKind.PAI])
def test_a_clerk_sees_that_it_exists_under_a_neutral_label(agent_client, family, parent, kind):
    document = deposit(family, parent, kind=kind)

    listing = agent_client.get(ADMIN)
    page = agent_client.get(f"{ADMIN}{document.pk}/change/")
    history = agent_client.get(f"{ADMIN}{document.pk}/history/")

    for response in (listing, page, history):
        assert response.status_code == 200
        assert_no_sentinel(page_text(response))
    assert f"{document.get_kind_display()} n° {document.pk}" in page_text(listing)
    assert "MARTIN" in page_text(listing)
    assert "réservé au groupe « Données de santé »" in page_text(page)
    assert not HealthAccess.objects.exists()


def test_a_clerks_search_never_matches_a_medical_file_name(agent_client, certificate):
    response = agent_client.get(ADMIN, {"q": "asthme"})
    assert list(response.context["cl"].result_list) == []


def test_a_clerk_cannot_decide_on_a_medical_document(agent_client, certificate, family):
    refused = agent_client.post(
        f"{ADMIN}{certificate.pk}/change/", {"status": "accepted", "staff_note": ""}
    )
    bulk = agent_client.post(
        ADMIN, {"action": "accept", "_selected_action": [certificate.pk]}, follow=True
    )

    assert refused.status_code == 403
    assert "réservé(s) au groupe « Données de santé »" in page_text(bulk)
    certificate.refresh_from_db()
    assert certificate.status == DocumentStatus.RECEIVED
    assert not Message.objects.filter(recipient=family).exists()


def test_a_non_medical_document_stays_downloadable_by_the_clerk(agent_client, family, parent):
    insurance = deposit(family, parent, kind=DocumentKind.INSURANCE, name="assurance-2026.pdf")

    response = download(agent_client, insurance)

    assert response.status_code == 200
    assert body(response).startswith(b"%PDF")
    assert "assurance-2026.pdf" in page_text(agent_client.get(ADMIN))
    assert not HealthAccess.objects.exists()


# --- the health agent ---------------------------------------------------------------------


def test_the_health_agent_downloads_it_and_it_is_logged_for_each_child(
    health_agent_client, health_agent, certificate, family
):
    response = download(health_agent_client, certificate)

    assert response.status_code == 200
    assert body(response).startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    accesses = HealthAccess.objects.order_by("child__first_name")
    assert [(a.staff, a.child.first_name, a.action, a.document) for a in accesses] == [
        (health_agent, "Hugo", "document", certificate),
        (health_agent, "Léa", "document", certificate),
    ]


def test_a_pai_document_is_logged_against_the_child_of_the_pai(health_agent_client, family, parent):
    document = deposit(family, parent, kind=DocumentKind.PAI)
    lea = family.children.get(first_name="Léa")
    Health.objects.create(child=lea, pai=True, pai_document=document)

    assert download(health_agent_client, document).status_code == 200

    assert list(HealthAccess.objects.values_list("child", flat=True)) == [lea.pk]


def test_a_family_without_children_yet_still_leaves_a_trace(
    health_agent_client, health_agent, parent
):
    newcomers = Family.objects.create(name="NOUVEAU", city="Valmont")
    document = deposit(newcomers, parent)

    assert download(health_agent_client, document).status_code == 200

    access = HealthAccess.objects.get()
    assert (access.staff, access.child, access.document) == (health_agent, None, document)


def test_the_health_agent_reads_its_page_and_that_look_is_logged(health_agent_client, certificate):
    page = page_text(health_agent_client.get(f"{ADMIN}{certificate.pk}/change/"))

    assert FILE_NAME in page and DESCRIPTION in page
    assert set(HealthAccess.objects.values_list("action", flat=True)) == {"view"}
    assert HealthAccess.objects.filter(document=certificate).count() == 2  # Léa and Hugo


def test_refusing_it_tells_the_family_without_file_name_nor_note(
    health_agent_client, certificate, family, parent, parent_client
):
    response = health_agent_client.post(
        f"{ADMIN}{certificate.pk}/change/", {"status": "refused", "staff_note": NOTE}
    )

    assert response.status_code == 302
    message = Message.objects.get(recipient=family)
    assert message.subject == "Justificatif refusé"
    assert "« Certificat médical »" in message.body
    assert "Le motif est indiqué dans « Mes justificatifs »" in message.body
    assert_no_sentinel(message.body)
    emails = OutgoingEmail.objects.filter(message=message)
    assert emails.filter(to=parent.email).exists()
    for email in emails:
        assert_no_sentinel(email.subject + email.body_text + email.body_html)
    # The family reads the note, and downloads its own document, on its own pages.
    assert NOTE in page_text(parent_client.get("/compte/justificatifs/"))
    own = parent_client.get(f"/compte/justificatifs/{certificate.pk}/")
    assert own.status_code == 200 and body(own).startswith(b"%PDF")


@pytest.mark.parametrize("persona", ["agent_client", "health_agent_client"])
def test_the_list_runs_a_constant_number_of_queries(
    request, persona, family, other_family, parent, django_assert_max_num_queries
):
    client = request.getfixturevalue(persona)
    for owner in (family, other_family):
        for kind in (DocumentKind.MEDICAL, DocumentKind.PAI, DocumentKind.CAF):
            deposit(owner, parent, kind=kind, name=f"{kind}.pdf")
    client.get(ADMIN)
    with django_assert_max_num_queries(QUERIES):
        assert client.get(ADMIN).status_code == 200
