"""A medical justificatif's file name is health data: staff pages name it neutrally, except
the health staff's own (logged) pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from children.models import Health, HealthAccess
from messaging.files import CheckedFile
from messaging.models import DocumentKind
from messaging.upload_services import deposit_document
from tests.helpers import page_text
from tests.messaging import files

pytestmark = pytest.mark.django_db

FILE_NAME = "pai-allergie-SENTINELLE.pdf"


@pytest.fixture
def pai_document(family, parent):
    content = files.pdf_bytes()
    return deposit_document(
        family=family,
        kind=DocumentKind.PAI,
        description="",
        upload=SimpleUploadedFile(FILE_NAME, content, content_type="application/pdf"),
        checked=CheckedFile(name=FILE_NAME, content_type="application/pdf", size=len(content)),
        by=parent,
    )


@pytest.fixture
def lea(family, pai_document):
    child = family.children.get(first_name="Léa")
    Health.objects.create(child=child, pai=True, pai_document=pai_document)
    return child


def test_the_health_staff_pick_the_pai_document_by_its_file_name(
    health_agent_client, health_agent, lea
):
    page = page_text(health_agent_client.get(f"/admin/children/child/{lea.pk}/change/"))

    assert FILE_NAME in page
    assert HealthAccess.objects.filter(staff=health_agent, child=lea, action="view").exists()


def test_a_clerks_family_page_names_a_medical_document_neutrally(
    agent_client, family, pai_document
):
    page = page_text(agent_client.get(f"/admin/accounts/family/{family.pk}/change/"))

    assert "SENTINELLE" not in page
    assert f"Document PAI n° {pai_document.pk}" in page  # the quotient's document choices


def test_the_family_still_reads_its_own_file_name(parent_client, lea):
    assert FILE_NAME in page_text(parent_client.get(f"/enfants/{lea.pk}/"))
