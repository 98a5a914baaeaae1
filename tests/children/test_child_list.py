import pytest

from children.models import Child
from tests.records import visible_text

pytestmark = pytest.mark.django_db


def test_a_parent_sees_a_card_per_child_with_age_school_and_class(parent_client, time_machine):
    time_machine.move_to("2026-11-29 10:00:00+01:00", tick=False)
    page = visible_text(parent_client.get("/enfants/"))
    assert "Léa MARTIN 9 ans" in page
    assert "CE2" in page
    assert "École Jules-Ferry" in page
    assert "Hugo MARTIN" in page


def test_a_parent_never_sees_another_familys_children(parent_client, other_parent):
    page = parent_client.get("/enfants/").content.decode()
    assert "Inès" not in page


def test_an_anonymous_visitor_is_sent_to_login(client):
    assert client.get("/enfants/").url.startswith("/connexion/")


def test_the_list_runs_a_constant_number_of_queries(
    parent_client, family, school, django_assert_max_num_queries
):
    parent_client.get("/enfants/")
    with django_assert_max_num_queries(5):
        parent_client.get("/enfants/")
    for i in range(5):
        Child.objects.create(
            family=family,
            first_name=f"Enfant{i}",
            last_name="MARTIN",
            birth_date="2018-01-01",
            school=school,
        )
    with django_assert_max_num_queries(5):
        parent_client.get("/enfants/")
