"""« Courriels envoyés »: in development (DEBUG on) the queued e-mails are shown at once on
a page of the portal, reset links included; in production the page does not exist."""

import re

import pytest

from messaging.models import Kind, OutgoingEmail
from messaging.services import notify, send_pending_emails

pytestmark = pytest.mark.django_db

URL = "/courriels-envoyes/"


@pytest.fixture
def development(settings):
    settings.DEBUG = True
    settings.PORTAL_URL = "http://127.0.0.1:8105/"


def test_a_reset_asked_in_development_shows_its_link_at_once(client, parent, development):
    done = client.post("/connexion/mot-de-passe-oublie/", {"email": parent.email}, follow=True)
    assert f'href="{URL}"' in done.content.decode()  # the « sent » page says where to look
    page = client.get(URL).content.decode()
    assert "Courriels envoyés" in page
    assert parent.email in page
    assert "Portail Famille — choisir un nouveau mot de passe" in page
    link = re.search(r'href="http://testserver(/connexion/reinitialiser/[^"]+)"', page)
    assert link, "the reset link is a link"
    assert client.get(link[1]).status_code == 302  # to the form that sets the password


def test_the_second_guardians_reset_shows_at_their_address(client, family, development):
    from tests.accounts.test_password_reset import login_without_password

    login_without_password(family, "paul.martin")
    client.post("/connexion/mot-de-passe-oublie/", {"email": "paul.martin@example.org"})
    page = client.get(URL).content.decode()
    assert "paul.martin@example.org" in page
    assert "« paul.martin »" in page


def test_a_notice_shows_as_the_family_would_read_it(client, family, parent, development):
    notify(family, Kind.INFO, "Fermeture de l'accueil & de la cantine", "Jeudi <3>.")
    page = client.get(URL).content.decode()
    assert "Fermeture de l&#x27;accueil &amp; de la cantine" in page  # escaped once, by the page
    assert "&amp;#x27;" not in page
    assert "Jeudi &lt;3&gt;." in page
    assert "À envoyer" in page


def test_a_sent_reset_mail_no_longer_shows_its_link(client, parent, development):
    client.post("/connexion/mot-de-passe-oublie/", {"email": parent.email})
    send_pending_emails()
    page = client.get(URL).content.decode()
    assert "/connexion/reinitialiser/" not in page
    assert "Envoyé" in page
    assert "effacé" in page


def test_the_page_does_not_exist_in_production(client, parent, settings):
    settings.DEBUG = False
    client.post("/connexion/mot-de-passe-oublie/", {"email": parent.email}, follow=True)
    assert client.get(URL).status_code == 404
    done = client.get("/connexion/mot-de-passe-oublie/envoye/").content.decode()
    assert URL not in done


def test_the_page_runs_a_constant_number_of_queries(
    client, family, parent, development, django_assert_max_num_queries
):
    for number in range(30):
        notify(family, Kind.INFO, f"Info {number}", "Texte")
    assert OutgoingEmail.objects.count() == 30
    with django_assert_max_num_queries(3):
        response = client.get(URL)
    assert response.content.decode().count("Info ") == 30
