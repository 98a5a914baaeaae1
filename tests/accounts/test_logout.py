import pytest

pytestmark = pytest.mark.django_db


def test_logout_is_a_post(parent_client):
    assert parent_client.get("/deconnexion/").status_code == 405
    assert "_auth_user_id" in parent_client.session


def test_logout_ends_the_session_and_says_so(parent_client):
    response = parent_client.post("/deconnexion/", follow=True)
    assert response.redirect_chain[-1][0] == "/connexion/"
    assert "Vous êtes déconnecté" in response.content.decode()
    assert "_auth_user_id" not in parent_client.session
    assert parent_client.get("/").status_code == 302


def test_every_page_offers_the_logout_button(parent_client):
    page = parent_client.get("/").content.decode()
    assert 'action="/deconnexion/"' in page
    assert "Déconnexion" in page
