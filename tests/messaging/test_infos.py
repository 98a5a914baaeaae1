from datetime import date

import pytest

from children.models import School
from tests.helpers import page_text
from tests.messaging.publications import form, news

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(time_machine):
    """Monday 16 November 2026, before any login of the test."""
    time_machine.move_to("2026-11-16 10:00:00+01:00", tick=False)
    return date(2026, 11, 16)


@pytest.fixture
def pasteur(other_family) -> School:
    """A second school, where the other family's child goes (ours stay at Jules-Ferry)."""
    school = School.objects.create(name="École Pasteur")
    other_family.children.update(school=school)
    return school


def test_the_news_of_today_are_listed_newest_first_with_their_text_and_link(parent_client):
    news("Rentrée des classes", start=date(2026, 11, 2), body="Les horaires changent.")
    news(
        "Inscriptions ALSH vacances d'hiver",
        start=date(2026, 11, 10),
        link_url="https://www.example.org/alsh",
        link_label="Programme des vacances",
    )
    news("Fête de l'école", start=date(2026, 10, 1), end=date(2026, 11, 15))  # over yesterday
    news("Menus de décembre", start=date(2026, 11, 17))  # from tomorrow
    news("Fermeture du 11 novembre", start=date(2026, 11, 5), end=date(2026, 11, 16))  # last day

    page = page_text(parent_client.get("/infos/"))

    assert page.index("Inscriptions ALSH") < page.index("Fermeture du 11 novembre")
    assert page.index("Fermeture du 11 novembre") < page.index("Rentrée des classes")
    assert "Les horaires changent." in page
    assert 'href="https://www.example.org/alsh"' in page
    assert "Programme des vacances" in page
    assert "Fête de l'école" not in page
    assert "Menus de décembre" not in page


def test_the_page_has_a_formulaires_button_and_lights_its_tab(parent_client):
    page = page_text(parent_client.get("/infos/"))
    assert 'class="btn btn-primary btn-lg" href="/infos/formulaires/"' in page
    assert "Formulaires" in page
    assert "Aucune information publiée pour le moment." in page
    assert 'href="/infos/" aria-current="page"' in page
    forms_page = page_text(parent_client.get("/infos/formulaires/"))
    assert 'href="/infos/" aria-current="page"' in forms_page


def test_news_for_a_school_or_a_class_reach_only_its_families(
    parent_client, client, other_parent, family, school, pasteur
):
    news("Pour Jules-Ferry", kind="school", value=str(school.pk))
    news("Pour Pasteur", kind="school", value=str(pasteur.pk))
    news("Pour les CE2 de Jules-Ferry", kind="class", value=f"{school.pk}:CE2")
    news("Pour les CM1 de Jules-Ferry", kind="class", value=f"{school.pk}:CM1")
    news("Pour les CM1 de Pasteur", kind="class", value=f"{pasteur.pk}:CM1")
    news("Pour tous", kind="all")

    ours = page_text(parent_client.get("/infos/"))
    client.force_login(other_parent)
    theirs = page_text(client.get("/infos/"))

    for title in ("Pour Jules-Ferry", "Pour les CE2 de Jules-Ferry", "Pour tous"):
        assert title in ours
    for title in ("Pour Pasteur", "Pour les CM1 de Jules-Ferry", "Pour les CM1 de Pasteur"):
        assert title not in ours
    for title in ("Pour Pasteur", "Pour les CM1 de Pasteur", "Pour tous"):
        assert title in theirs
    for title in ("Pour Jules-Ferry", "Pour les CE2 de Jules-Ferry", "Pour les CM1 de Jules-Ferry"):
        assert title not in theirs


def test_the_forms_of_the_family_are_listed_with_a_download_link(parent_client, school, pasteur):
    rules = form("Règlement intérieur", start=date(2026, 9, 1))
    pai = form("Demande de PAI", kind="school", value=str(school.pk))
    form("Mandat SEPA", start=date(2026, 11, 17))
    form("Inscription 2025-2026", start=date(2025, 6, 1), end=date(2026, 8, 31))
    form("Sortie Pasteur", kind="school", value=str(pasteur.pk))

    page = page_text(parent_client.get("/infos/formulaires/"))

    assert page.index("Demande de PAI") < page.index("Règlement intérieur")
    assert "Description de « Règlement intérieur »." in page
    assert f'href="/infos/formulaires/{rules.pk}/telecharger/"' in page
    assert f'href="/infos/formulaires/{pai.pk}/telecharger/"' in page
    assert "Télécharger" in page
    for hidden in ("Mandat SEPA", "Inscription 2025-2026", "Sortie Pasteur"):
        assert hidden not in page


def test_a_form_downloads_for_a_family_of_its_audience(parent_client, school):
    pai = form("Demande de PAI", kind="school", value=str(school.pk), content=b"%PDF-1.4 PAI")

    response = parent_client.get(f"/infos/formulaires/{pai.pk}/telecharger/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 PAI"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="formulaire.pdf"'


def test_a_form_of_another_school_is_neither_listed_nor_downloadable(
    parent_client, client, other_parent, pasteur
):
    outing = form("Sortie Pasteur", kind="school", value=str(pasteur.pk))
    url = f"/infos/formulaires/{outing.pk}/telecharger/"

    assert "Sortie Pasteur" not in page_text(parent_client.get("/infos/formulaires/"))
    assert parent_client.get(url).status_code == 404

    client.force_login(other_parent)
    assert "Sortie Pasteur" in page_text(client.get("/infos/formulaires/"))
    assert client.get(url).status_code == 200


def test_a_form_out_of_its_dates_or_unknown_is_404(parent_client, parent, time_machine):
    old = form("Inscription 2025-2026", start=date(2026, 6, 1), end=date(2026, 11, 15))
    future = form("Mandat SEPA", start=date(2026, 11, 17))
    for url in (
        f"/infos/formulaires/{old.pk}/telecharger/",
        f"/infos/formulaires/{future.pk}/telecharger/",
        f"/infos/formulaires/{future.pk + 100}/telecharger/",
    ):
        assert parent_client.get(url).status_code == 404, url
    time_machine.move_to("2026-11-17 08:00:00+01:00", tick=False)
    parent_client.force_login(parent)  # the next morning: a new session
    assert parent_client.get(f"/infos/formulaires/{future.pk}/telecharger/").status_code == 200


def test_anonymous_visitors_are_sent_to_login():
    from django.test import Client

    document = form("Règlement intérieur")
    client = Client()
    for url in ("/infos/", "/infos/formulaires/", f"/infos/formulaires/{document.pk}/telecharger/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/connexion/?next=")


def test_the_pages_run_a_constant_number_of_queries(
    parent_client, school, pasteur, django_assert_max_num_queries
):
    for i in range(12):
        news(f"Info {i}", link_url="https://www.example.org/" if i % 2 else "")
        news(f"Info école {i}", kind="school", value=str(school.pk))
        news(f"Info classe {i}", kind="class", value=f"{school.pk}:GS")
        news(f"Info Pasteur {i}", kind="school", value=str(pasteur.pk))
        form(f"Formulaire {i}")
        form(f"Formulaire école {i}", kind="school", value=str(school.pk))
        form(f"Formulaire Pasteur {i}", kind="school", value=str(pasteur.pk))
    parent_client.get("/")  # the session's activity stamp is written once
    # session, user, unread count for the tab, the family's schools, its classes, its
    # activities, the list
    with django_assert_max_num_queries(7):
        page = page_text(parent_client.get("/infos/"))
    assert page.count('class="card mb-3 news-item"') == 36
    with django_assert_max_num_queries(7):
        page = page_text(parent_client.get("/infos/formulaires/"))
    assert page.count("Télécharger") == 24


def test_the_demo_commune_publishes_a_news_item_and_a_form(today):
    from io import StringIO

    from django.core.management import call_command
    from django.test import Client

    from accounts.models import User
    from messaging.models import FormDocument

    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    client = Client()
    client.force_login(User.objects.get(username="martin"))

    assert "Inscriptions ALSH vacances d'hiver" in page_text(client.get("/infos/"))
    assert "Règlement intérieur de la restauration scolaire" in page_text(
        client.get("/infos/formulaires/")
    )
    document = FormDocument.objects.get()
    response = client.get(f"/infos/formulaires/{document.pk}/telecharger/")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
