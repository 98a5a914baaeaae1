import io
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from pypdf import PdfReader

from accounts.models import User

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/accounts/family/"


def pdf_text(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def print_letters(client, *families, confirm=True):
    data = {"action": "print_access_letters", "_selected_action": [f.pk for f in families]}
    if confirm:
        data["confirm"] = "yes"
    return client.post(CHANGELIST, data)


def test_the_action_first_asks_for_confirmation_and_changes_nothing(agent_client, family, parent):
    before = parent.password
    response = print_letters(agent_client, family, confirm=False)
    assert response.status_code == 200
    page = response.content.decode()
    assert "nouveau mot de passe provisoire" in page
    assert "claire" in page
    parent.refresh_from_db()
    assert parent.password == before


def test_the_letter_gives_each_login_a_working_temporary_password(
    agent_client, family, parent, second_guardian, settings
):
    settings.COMMUNE_NAME = "Mairie de Valmont"
    settings.PORTAL_URL = "https://famille.valmont.example/"
    response = print_letters(agent_client, family)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pages = pdf_text(response.content)
    assert len(pages) == 2  # one page per login: each guardian has their own
    passwords = {}
    for text in pages:
        assert "Mairie de Valmont" in text
        assert "MARTIN" in text
        assert "https://famille.valmont.example/" in text
        assert "Première connexion" in text
        username = re.search(r"Identifiant\s+(\S+)", text).group(1)
        password = re.search(r"Mot de passe provisoire\s+(\S+)", text).group(1)
        passwords[username] = password
    assert set(passwords) == {"claire", "paul"}

    for username, password in passwords.items():
        user = User.objects.get(username=username)
        assert user.must_change_password
        assert user.temporary_password_expires_at is not None
        assert password not in user.password  # only its hash is stored
        assert user.check_password(password)
    # The printed password logs in, and leads straight to the change page.
    client = Client()
    response = client.post("/connexion/", {"username": "paul", "password": passwords["paul"]})
    assert client.get("/").url == "/compte/mot-de-passe/"
    assert response.status_code == 302


def test_the_temporary_password_expires_after_the_configured_days(
    agent_client, family, parent, time_machine, settings
):
    settings.TEMPORARY_PASSWORD_DAYS = 10
    time_machine.move_to("2026-09-01 10:00:00+02:00", tick=False)
    response = print_letters(agent_client, family)
    text = pdf_text(response.content)[0]
    assert "11 septembre 2026" in text
    password = re.search(r"Mot de passe provisoire\s+(\S+)", text).group(1)
    time_machine.move_to("2026-09-12 10:00:00+02:00", tick=False)
    page = Client().post("/connexion/", {"username": "claire", "password": password})
    assert "a expiré" in page.content.decode()


def test_the_letter_is_traced_in_the_admin_history(agent_client, agent, family, parent):
    print_letters(agent_client, family)
    entry = LogEntry.objects.get(object_id=str(parent.pk))
    assert entry.user == agent
    assert "Courrier d'accès" in entry.change_message


def test_a_family_without_login_gets_a_clear_warning(agent_client, other_family):
    response = print_letters(agent_client, other_family)
    assert response.status_code == 302
    page = agent_client.get(response.url).content.decode()
    assert "Aucun identifiant actif" in page


def test_staff_create_a_family_with_two_logins_that_cannot_log_in_before_their_letter(
    agent_client,
):
    response = agent_client.post(
        "/admin/accounts/family/add/",
        {
            "name": "BERNARD",
            "address_line1": "1 rue Haute",
            "postal_code": "45000",
            "city": "Valmont",
            "phone": "",
            "email": "",
            "logins-TOTAL_FORMS": "2",
            "logins-INITIAL_FORMS": "0",
            "logins-0-username": "bernard.luc",
            "logins-0-email": "luc@example.org",
            "logins-0-is_active": "on",
            "logins-1-username": "bernard.ana",
            "logins-1-email": "ana@example.org",
            "logins-1-is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    logins = User.objects.filter(family__name="BERNARD")
    assert logins.count() == 2
    assert not any(login.has_usable_password() for login in logins)


def test_a_parent_cannot_reach_the_admin(parent_client):
    response = parent_client.get(CHANGELIST)
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
