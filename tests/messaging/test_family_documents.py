import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from messaging.models import DocumentStatus, FamilyDocument, Message, OutgoingEmail
from tests.helpers import page_text
from tests.messaging import files

pytestmark = pytest.mark.django_db

URL = "/compte/justificatifs/"


def upload(client, file, kind="caf", description=""):
    return client.post(URL, {"kind": kind, "description": description, "file": file})


@pytest.mark.parametrize("make", [files.pdf, files.jpeg, files.png])
def test_a_parent_uploads_a_pdf_jpeg_or_png(parent_client, parent, make):
    response = upload(parent_client, make(), description="Attestation 2026")
    assert response.status_code == 302
    document = FamilyDocument.objects.get()
    assert document.family == parent.family
    assert document.uploaded_by == parent
    assert document.status == DocumentStatus.RECEIVED
    page = parent_client.get(URL).content.decode()
    assert document.name in page
    assert "Reçu, en attente de vérification" in page


def test_the_stored_name_says_what_the_file_really_is(parent_client):
    upload(parent_client, SimpleUploadedFile("scan.pdf", files.image_bytes("PNG")))
    document = FamilyDocument.objects.get()
    assert document.name == "scan.png"
    assert document.content_type == "image/png"


def test_a_renamed_executable_is_refused_and_nothing_is_saved(parent_client):
    response = upload(parent_client, files.renamed_executable())
    assert response.status_code == 400
    assert "n'est pas un document PDF, JPEG ou PNG valide" in page_text(response)
    assert not FamilyDocument.objects.exists()


def test_a_truncated_image_is_refused(parent_client):
    broken = SimpleUploadedFile("photo.jpg", files.image_bytes("JPEG")[:40])
    response = upload(parent_client, broken)
    assert "n'est pas un document PDF, JPEG ou PNG valide" in page_text(response)
    assert not FamilyDocument.objects.exists()


def test_a_file_too_big_is_refused(parent_client, settings):
    settings.UPLOAD_MAX_BYTES = 100
    response = upload(parent_client, files.jpeg())
    assert "dépasse la taille maximale" in response.content.decode()
    assert not FamilyDocument.objects.exists()


def test_an_empty_form_says_what_is_missing(parent_client):
    response = parent_client.post(URL, {"kind": "caf"})
    assert "Choisissez le fichier à envoyer." in response.content.decode()
    response = parent_client.post(URL, {"kind": "poison", "file": files.pdf()})
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not FamilyDocument.objects.exists()


def test_a_document_is_served_to_its_family_only(
    parent_client, client, second_guardian, other_parent
):
    upload(parent_client, files.pdf())
    document = FamilyDocument.objects.get()
    response = parent_client.get(f"{URL}{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.pdf_bytes()
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(second_guardian)  # the other guardian of the family sees it too
    assert client.get(f"{URL}{document.pk}/").status_code == 200
    client.force_login(other_parent)
    assert client.get(f"{URL}{document.pk}/").status_code == 404
    assert document.name not in client.get(URL).content.decode()


def test_the_file_is_not_under_the_public_media_path(parent_client, settings):
    upload(parent_client, files.pdf())
    document = FamilyDocument.objects.get()
    assert not document.file.path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018 — a private file has no public address


def test_a_pending_document_can_be_withdrawn_by_its_family_only(
    parent_client, client, other_parent
):
    upload(parent_client, files.pdf())
    document = FamilyDocument.objects.get()
    client.force_login(other_parent)
    assert client.post(f"{URL}{document.pk}/retirer/").status_code == 404
    assert parent_client.get(f"{URL}{document.pk}/retirer/").status_code == 405
    assert FamilyDocument.objects.exists()
    response = parent_client.post(f"{URL}{document.pk}/retirer/", follow=True)
    assert "est retiré" in response.content.decode()
    assert not FamilyDocument.objects.exists()


def test_a_checked_document_can_no_longer_be_withdrawn(parent_client):
    upload(parent_client, files.pdf())
    FamilyDocument.objects.update(status=DocumentStatus.ACCEPTED)
    response = parent_client.post(f"{URL}{FamilyDocument.objects.get().pk}/retirer/", follow=True)
    assert "déjà été vérifié" in response.content.decode()
    assert FamilyDocument.objects.exists()


def test_anonymous_visitors_are_sent_to_login(client):
    assert client.get(URL).url.startswith("/connexion/")
    assert client.get(f"{URL}1/").url.startswith("/connexion/")


def test_staff_refuse_with_a_reason_that_reaches_the_family(parent_client, agent, parent):
    from django.test import Client

    upload(parent_client, files.pdf())
    document = FamilyDocument.objects.get()
    staff = Client()
    staff.force_login(agent)
    change = f"/admin/messaging/familydocument/{document.pk}/change/"
    response = staff.post(change, {"status": "refused", "staff_note": ""})
    assert response.status_code == 200
    assert "Indiquez le motif du refus" in response.content.decode()
    document.refresh_from_db()
    assert document.status == DocumentStatus.RECEIVED
    response = staff.post(change, {"status": "refused", "staff_note": "Attestation de 2023"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.REFUSED
    message = Message.objects.get()
    assert message.subject == "Justificatif refusé"
    assert "Motif : Attestation de 2023" in message.body
    assert OutgoingEmail.objects.filter(message=message, to=parent.email).exists()
    download = staff.get(f"/admin/messaging/familydocument/{document.pk}/telecharger/")
    assert download.status_code == 200


def test_staff_accept_in_bulk_and_each_family_is_told_once(parent_client, agent_client):
    upload(parent_client, files.pdf())
    upload(parent_client, files.png())
    ids = list(FamilyDocument.objects.values_list("pk", flat=True))
    agent_client.post(
        "/admin/messaging/familydocument/", {"action": "accept", "_selected_action": ids}
    )
    assert set(FamilyDocument.objects.values_list("status", flat=True)) == {"accepted"}
    assert Message.objects.filter(subject="Justificatif accepté").count() == 2
    agent_client.post(
        "/admin/messaging/familydocument/", {"action": "accept", "_selected_action": ids}
    )
    assert Message.objects.filter(subject="Justificatif accepté").count() == 2


def test_a_parent_cannot_reach_the_staff_download(parent_client):
    upload(parent_client, files.pdf())
    document = FamilyDocument.objects.get()
    response = parent_client.get(f"/admin/messaging/familydocument/{document.pk}/telecharger/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_the_page_runs_a_constant_number_of_queries(
    parent_client, parent, django_assert_max_num_queries
):
    for _ in range(6):
        upload(parent_client, files.pdf())
    parent_client.get(URL)
    with django_assert_max_num_queries(5):
        parent_client.get(URL)
