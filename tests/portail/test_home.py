import pytest

pytestmark = pytest.mark.django_db

TABS = [
    ("Accueil", "/"),
    ("Mon compte", "/compte/"),
    ("Mes enfants", "/enfants/"),
    ("Réservations", "/reservations/"),
    ("Factures", "/factures/"),
    ("Boîte de réception", "/messages/"),
    ("Nous contacter", "/contact/"),
    ("Infos./Documents", "/infos/"),
]


def test_the_home_page_shows_the_seed_tabs_in_order(parent_client):
    page = parent_client.get("/").content.decode()
    positions = [page.index(f'href="{url}"') for _, url in TABS]
    assert positions == sorted(positions)
    for label, _ in TABS:
        assert label in page
    assert "Déconnexion" in page
    assert 'aria-current="page"' in page


def test_every_tab_answers_and_none_is_a_dead_link(parent_client):
    for label, url in TABS:
        response = parent_client.get(url)
        assert response.status_code == 200, url
        assert label in response.content.decode()


def test_the_account_block_shows_an_honest_zero_balance(parent_client):
    page = parent_client.get("/").content.decode()
    assert "Informations compte" in page
    assert "0,00\u00a0€" in page
    assert "Aucune facture n'a encore été émise" in page


def test_the_home_page_links_infos_documents_from_its_side_bar(parent_client):
    page = parent_client.get("/").content.decode()
    aside = page[page.index("<aside") : page.index("</aside>")]
    assert 'href="/infos/"' in aside
    assert "Infos./Documents" in aside


def test_staff_are_sent_to_the_admin(agent_client):
    response = agent_client.get("/")
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_the_home_page_runs_few_queries(parent_client, django_assert_max_num_queries):
    parent_client.get("/")
    # Session, user, family, unread count, and the account's balance and dues (two).
    with django_assert_max_num_queries(6):
        assert parent_client.get("/").status_code == 200


def test_pages_are_in_french_with_a_skip_link(parent_client):
    page = parent_client.get("/").content.decode()
    assert '<html lang="fr">' in page
    assert 'href="#contenu"' in page
    assert '<main id="contenu"' in page


def test_pages_send_a_strict_content_security_policy(parent_client):
    policy = parent_client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_static_files_are_served_from_the_project(client):
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/bootstrap/bootstrap.min.css")
    assert finders.find("vendor/bootstrap/bootstrap.bundle.min.js")
