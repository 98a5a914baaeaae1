"""« Identifiants famille »: clerks manage family logins, never a password nor a privilege."""

import io
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from pypdf import PdfReader

from accounts.models import User
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/parentlogin/"


def change_url(login) -> str:
    return f"{CHANGELIST}{login.pk}/change/"


def login_data(login, **changes) -> dict:
    return {
        "username": login.username,
        "first_name": login.first_name,
        "last_name": login.last_name,
        "email": login.email,
        "is_active": "on",
        "family": str(login.family_id),
        **changes,
    }


def test_the_list_shows_the_families_logins_and_no_staff_account(
    clerk_client,
    parent,
    second_guardian,
    other_parent,
    agent,
    superuser,
    django_assert_max_num_queries,
):
    with django_assert_max_num_queries(12):
        response = clerk_client.get(CHANGELIST)
    assert response.status_code == 200
    listed = {login.username for login in response.context["cl"].result_list}
    assert listed == {"claire", "paul", "sophie"}
    page = page_text(response)
    assert "Identifiants famille" in page
    assert "Imprimer un nouveau courrier d'accès" in page


def test_the_page_has_no_password_nor_privilege_field(clerk_client, parent):
    response = clerk_client.get(change_url(parent))
    assert response.status_code == 200
    fields = set(response.context["adminform"].form.fields)
    assert fields == {"username", "first_name", "last_name", "email", "is_active", "family"}
    page = page_text(response)
    for hidden in ("password", "is_staff", "is_superuser", "user_permissions", "groups"):
        assert f'name="{hidden}"' not in page
    assert "/password/" not in page
    assert parent.password not in page
    assert clerk_client.get(f"{CHANGELIST}{parent.pk}/password/").status_code in (302, 404)


def test_a_clerk_corrects_a_login_and_posted_privileges_are_ignored(clerk_client, parent, family):
    password = parent.password
    response = clerk_client.post(
        change_url(parent),
        login_data(
            parent,
            email="claire.martin@example.org",
            is_staff="on",
            is_superuser="on",
            password="Choisi-Par-Le-Guichet-1",
            groups=["1", "2"],
        ),
    )
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.email == "claire.martin@example.org"
    assert (parent.is_staff, parent.is_superuser, parent.password) == (False, False, password)
    assert not parent.groups.exists()


def test_a_new_login_needs_a_family_and_cannot_log_in_before_its_letter(clerk_client, family):
    refused = clerk_client.post(
        f"{CHANGELIST}add/", {"username": "bernard.luc", "is_active": "on", "family": ""}
    )
    assert refused.status_code == 200
    assert "Ce champ est obligatoire." in page_text(refused)
    assert not User.objects.filter(username="bernard.luc").exists()

    created = clerk_client.post(
        f"{CHANGELIST}add/",
        {"username": "bernard.luc", "is_active": "on", "family": str(family.pk), "is_staff": "on"},
    )
    assert created.status_code == 302
    login = User.objects.get(username="bernard.luc")
    assert login.family == family and not login.is_staff
    assert not login.has_usable_password()


def test_an_identifier_already_taken_in_any_case_is_refused(clerk_client, family, parent):
    response = clerk_client.post(
        f"{CHANGELIST}add/", {"username": "CLAIRE", "is_active": "on", "family": str(family.pk)}
    )
    assert "Cet identifiant est déjà pris." in page_text(response)
    assert User.objects.filter(username__iexact="claire").count() == 1


def test_comptabilite_reads_the_logins_and_changes_none(accountant_client, parent):
    assert accountant_client.get(CHANGELIST).status_code == 200
    page = accountant_client.get(change_url(parent))
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    response = accountant_client.post(change_url(parent), login_data(parent, email="x@x.fr"))
    assert response.status_code == 403
    parent.refresh_from_db()
    assert parent.email == "claire@example.org"
    assert accountant_client.get(f"{CHANGELIST}add/").status_code == 403


def print_letter(client, *logins, confirm=True):
    data = {"action": "print_access_letter", "_selected_action": [login.pk for login in logins]}
    if confirm:
        data["confirm"] = "yes"
    return client.post(CHANGELIST, data)


def test_a_new_access_letter_for_one_login(clerk_client, clerk, parent, second_guardian):
    before = (parent.password, second_guardian.password)
    confirm = print_letter(clerk_client, second_guardian, confirm=False)
    assert confirm.status_code == 200
    page = page_text(confirm)
    assert "nouveau mot de passe provisoire" in page and "paul" in page and "claire" not in page
    assert (
        User.objects.get(pk=parent.pk).password,
        User.objects.get(pk=second_guardian.pk).password,
    ) == before

    response = print_letter(clerk_client, second_guardian)
    assert response["Content-Type"] == "application/pdf"
    [text] = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    password = re.search(r"Mot de passe provisoire\s+(\S+)", text).group(1)
    second_guardian.refresh_from_db()
    assert second_guardian.check_password(password) and second_guardian.must_change_password
    assert User.objects.get(pk=parent.pk).password == before[0]  # only the chosen login
    assert (
        Client().post("/connexion/", {"username": "paul", "password": password}).status_code == 302
    )

    history = page_text(
        clerk_client.get(f"{change_url(second_guardian)[: -len('change/')]}history/")
    )
    assert "Courrier d'accès édité" in history
    assert password not in history
    assert LogEntry.objects.get(object_id=str(second_guardian.pk)).user == clerk


def test_a_letter_never_resets_a_staff_password(clerk_client, agent, family, parent):
    User.objects.filter(pk=agent.pk).update(family=family)  # a mistake made in the shell
    before = User.objects.get(pk=agent.pk).password
    response = clerk_client.post(
        "/admin/accounts/family/",
        {"action": "print_access_letters", "_selected_action": [family.pk], "confirm": "yes"},
    )
    assert len(PdfReader(io.BytesIO(response.content)).pages) == 1  # claire's only
    assert User.objects.get(pk=agent.pk).password == before
    # Nor from the logins' list, where a staff account's id is unknown.
    print_letter(clerk_client, agent)
    assert User.objects.get(pk=agent.pk).password == before
