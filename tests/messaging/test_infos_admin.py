from datetime import date

import pytest

from children.models import School
from messaging.models import FormDocument, News
from tests.helpers import page_text
from tests.messaging import files
from tests.messaging.publications import form, news

pytestmark = pytest.mark.django_db


def news_data(**fields) -> dict:
    return {
        "title": "Inscriptions ALSH vacances d'hiver",
        "body": "Les inscriptions sont ouvertes.",
        "link_url": "",
        "link_label": "",
        "audience": "all|",
        "publish_from": "16/11/2026",
        "publish_until": "",
        **fields,
    }


def test_staff_publish_news_for_one_school(agent_client, school):
    response = agent_client.post(
        "/admin/messaging/news/add/",
        news_data(audience=f"school|{school.pk}", publish_until="20/12/2026"),
    )
    assert response.status_code == 302, page_text(response)[:3000]
    item = News.objects.get()
    assert (item.audience_kind, item.audience_value) == ("school", str(school.pk))
    assert (item.publish_from, item.publish_until) == (date(2026, 11, 16), date(2026, 12, 20))
    assert item.audience_label == "Une école : École Jules-Ferry"


def test_the_audience_select_groups_every_registered_audience(agent_client, family, school):
    page = page_text(agent_client.get("/admin/messaging/news/add/"))
    assert '<option value="all|">Toutes les familles</option>' in page
    assert '<optgroup label="Une école">' in page
    assert f'<option value="school|{school.pk}">École Jules-Ferry</option>' in page
    assert '<optgroup label="Une classe">' in page
    assert f'<option value="class|{school.pk}:CE2">École Jules-Ferry — CE2</option>' in page


def test_an_edited_publication_keeps_its_audience_selected(agent_client, school):
    item = news("Menus", kind="school", value=str(school.pk))
    page = page_text(agent_client.get(f"/admin/messaging/news/{item.pk}/change/"))
    assert f'<option value="school|{school.pk}" selected>' in page


def test_an_unknown_audience_or_reversed_dates_change_nothing(agent_client, school):
    for data in (
        news_data(audience="school|999999"),
        news_data(audience="activity|1"),
        news_data(publish_from="20/12/2026", publish_until="16/11/2026"),
    ):
        response = agent_client.post("/admin/messaging/news/add/", data)
        assert response.status_code == 200
    assert "La fin de publication doit suivre son début (20/12/2026)." in page_text(response)
    assert not News.objects.exists()


def test_staff_upload_a_form_recognised_by_its_content(agent_client, family, school):
    response = agent_client.post(
        "/admin/messaging/formdocument/add/",
        {
            "title": "Mandat de prélèvement SEPA",
            "description": "À rendre avec un RIB.",
            "file": files.pdf("Mandat SEPA (version 2).pdf"),
            "audience": f"class|{school.pk}:CE2",
            "publish_from": "16/11/2026",
            "publish_until": "",
        },
    )
    assert response.status_code == 302, page_text(response)[:3000]
    document = FormDocument.objects.get()
    assert document.file_name == "Mandat SEPA _version 2_.pdf"
    assert document.content_type == "application/pdf"
    assert document.file.read() == files.pdf_bytes()
    assert (document.audience_kind, document.audience_value) == ("class", f"{school.pk}:CE2")


def test_a_renamed_executable_is_refused_as_a_form(agent_client):
    response = agent_client.post(
        "/admin/messaging/formdocument/add/",
        {
            "title": "Règlement",
            "file": files.renamed_executable("reglement.pdf"),
            "audience": "all|",
            "publish_from": "16/11/2026",
        },
    )
    assert response.status_code == 200
    assert "n'est pas un document PDF, JPEG ou PNG valide" in page_text(response)
    assert not FormDocument.objects.exists()


def test_the_lists_name_each_audience_with_few_queries(
    agent_client, family, school, django_assert_max_num_queries
):
    pasteur = School.objects.create(name="École Pasteur")
    for i in range(10):
        news(f"Info {i}", kind="school", value=str(pasteur.pk if i % 2 else school.pk))
        news(f"Info classe {i}", kind="class", value=f"{school.pk}:CE2")
        form(f"Formulaire {i}", kind="school", value=str(school.pk))
    agent_client.get("/admin/")
    for url in ("/admin/messaging/news/", "/admin/messaging/formdocument/"):
        with django_assert_max_num_queries(12):
            page = page_text(agent_client.get(url))
    news_page = page_text(agent_client.get("/admin/messaging/news/"))
    assert news_page.count("Une école : École Pasteur") == 5
    assert news_page.count("Une classe : École Jules-Ferry — CE2") == 10
    assert page.count("Une école : École Jules-Ferry") == 10


def test_an_audience_that_no_longer_exists_is_still_named(agent_client, school):
    news("Classe fermée", kind="class", value=f"{school.pk}:CM2")
    page = page_text(agent_client.get("/admin/messaging/news/"))
    assert f"Une classe : {school.pk}:CM2" in page
