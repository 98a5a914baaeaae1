import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

URL = "/compte/mot-de-passe/"
TEMPORARY = "Tmp-Abcd-2345"


@pytest.fixture
def newcomer(parent):
    parent.set_temporary_password(TEMPORARY)
    parent.save()
    return parent


def change(client, old, new, confirm=None):
    return client.post(
        URL, {"old_password": old, "new_password1": new, "new_password2": confirm or new}
    )


def test_a_temporary_password_opens_only_the_change_page(client, newcomer):
    client.post("/connexion/", {"username": "claire", "password": TEMPORARY})
    for path in ("/", "/compte/", "/enfants/", "/factures/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url == URL
    page = client.get(URL).content.decode()
    assert "Choisissez votre mot de passe" in page
    assert "mot de passe provisoire" in page


def test_the_health_check_and_logout_stay_reachable_before_the_change(client, newcomer):
    client.force_login(newcomer)
    assert client.get("/sante/").status_code == 200
    assert client.post("/deconnexion/").status_code == 302


@pytest.mark.parametrize(
    ("password", "missing"),
    [
        ("abcdefg9", "au moins une lettre majuscule"),
        ("ABCDEFG9", "au moins une lettre minuscule"),
        ("Abcdefgh", "au moins un chiffre"),
        ("Ab3", "au minimum 8 caractères"),
    ],
)
def test_each_refusal_says_exactly_what_is_missing(client, newcomer, password, missing):
    client.force_login(newcomer)
    response = change(client, TEMPORARY, password)
    assert response.status_code == 200
    assert missing in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.must_change_password
    assert newcomer.check_password(TEMPORARY)


def test_a_password_too_close_to_the_identity_is_refused(client, newcomer):
    client.force_login(newcomer)
    response = change(client, TEMPORARY, "Claire2026")
    assert "trop semblable" in response.content.decode()


def test_a_common_password_is_refused(client, newcomer):
    client.force_login(newcomer)
    response = change(client, TEMPORARY, "Password1")
    assert "trop courant" in response.content.decode()


def test_the_two_new_passwords_must_match(client, newcomer):
    client.force_login(newcomer)
    response = change(client, TEMPORARY, "Nouveau-Depart-7", "Nouveau-Depart-8")
    assert "ne correspondent pas" in response.content.decode()


def test_the_old_password_is_checked(client, newcomer):
    client.force_login(newcomer)
    response = change(client, "pas-le-bon", "Nouveau-Depart-7")
    assert "incorrect" in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.must_change_password


def test_a_good_password_ends_the_temporary_one_and_opens_the_portal(client, newcomer):
    client.force_login(newcomer)
    response = change(client, TEMPORARY, "Nouveau-Depart-7")
    assert response.status_code == 302
    assert response.url == reverse("portail:home")
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password
    assert newcomer.temporary_password_expires_at is None
    assert newcomer.check_password("Nouveau-Depart-7")
    # Still logged in after the change, and the home page now opens.
    assert client.get("/").status_code == 200


def test_a_parent_may_change_their_password_later_from_their_account(parent_client, parent):
    assert parent_client.get(URL).status_code == 200
    response = change(parent_client, PASSWORD, "Encore-Mieux-42")
    assert response.status_code == 302
    parent.refresh_from_db()
    assert parent.check_password("Encore-Mieux-42")


def test_an_anonymous_visitor_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/connexion/")


def page_text(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_temporary_password_cannot_be_kept_as_the_new_one(client, newcomer):
    client.force_login(newcomer)
    response = change(client, TEMPORARY, TEMPORARY)
    assert response.status_code == 200
    assert "doit être différent du mot de passe reçu par courrier" in page_text(response)
    newcomer.refresh_from_db()
    assert newcomer.must_change_password
    assert newcomer.temporary_password_expires_at is not None


def test_the_current_password_cannot_be_chosen_again(parent_client, parent):
    response = change(parent_client, PASSWORD, PASSWORD)
    assert response.status_code == 200
    assert "doit être différent de votre mot de passe actuel" in page_text(response)


def test_a_first_login_asks_for_the_password_received_by_letter(client, newcomer):
    client.force_login(newcomer)
    page = page_text(client.get(URL))
    assert "Mot de passe reçu par courrier" in page
    assert "Ancien mot de passe" not in page
    wrong = page_text(change(client, "pas-le-bon", "Nouveau-Depart-7"))
    assert "Le mot de passe reçu par courrier est incorrect" in wrong


def test_a_later_change_asks_for_the_current_password(parent_client):
    page = page_text(parent_client.get(URL))
    assert "Mot de passe actuel" in page
    assert "Ancien mot de passe" not in page
    assert "reçu par courrier" not in page


@pytest.mark.parametrize("forced", [True, False])
def test_the_page_states_the_rules_once(client, parent, forced):
    if forced:
        parent.set_temporary_password(TEMPORARY)
        parent.save()
    client.force_login(parent)
    page = page_text(client.get(URL))
    assert page.count("8 caractères") == 1
    assert page.count("majuscule") == 1
    assert page.count("128") == 1


def test_a_password_close_to_the_identifier_names_it_identifiant(client, newcomer):
    client.force_login(newcomer)
    page = page_text(change(client, TEMPORARY, "Claire2026"))
    assert "trop semblable à votre identifiant" in page
    assert "nom d&#x27;utilisateur" not in page and "nom d'utilisateur" not in page


def test_a_password_over_128_characters_is_refused(client, newcomer):
    client.force_login(newcomer)
    response = change(client, TEMPORARY, "Aa1-" + "x" * 125)
    assert response.status_code == 200
    assert "au plus 128 caractères" in page_text(response)
    newcomer.refresh_from_db()
    assert newcomer.check_password(TEMPORARY)


def test_a_password_of_128_characters_is_accepted(client, newcomer):
    client.force_login(newcomer)
    response = change(client, TEMPORARY, "Aa1-" + "kq7z" * 31)
    assert response.status_code == 302
