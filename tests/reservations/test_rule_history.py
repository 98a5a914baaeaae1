"""Who changed when a family may book: the « Historique » of rules, activities, closures.

An Enfance Jeunesse agent changes a deadline rule, a unit's capacity (in the activity's
inline), the schools an activity serves and a closure; each history page lists the old and
the new value and the agent's name. Staff who may not read the setting are refused it.
"""

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from children.models import School
from reservations.models import Closure, DeadlineRule, Unit
from tests.admin_forms import change_form_data
from tests.helpers import page_text
from tests.reservations import staff as reservations_staff

pytestmark = pytest.mark.django_db

accountant = reservations_staff.accountant
accountant_client = reservations_staff.accountant_client


def _squeezed(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def _change(client, url: str, **changes) -> None:
    data = change_form_data(client.get(url), **changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]


@pytest.fixture
def closure(canteen) -> Closure:
    return Closure.objects.create(
        activity=canteen, start=date(2026, 11, 2), end=date(2026, 11, 2), reason="Pont"
    )


def test_a_deadline_rule_changed_in_the_admin_is_in_its_history(agent_client, agent, j2_10h):
    url = f"/admin/reservations/deadlinerule/{j2_10h.pk}/"
    _change(agent_client, f"{url}change/", time="12:00", days="3")

    version = j2_10h.history.latest()
    assert (version.days, version.time, version.history_user) == (3, time(12, 0), agent)
    assert (version.prev_record.days, version.prev_record.time) == (2, time(10, 0))
    page = _squeezed(page_text(agent_client.get(f"{url}history/")))
    assert "Nombre de jours:</strong> 2 → 3" in page
    assert "Heure limite:</strong> 10:00:00 → 12:00:00" in page
    assert str(agent) in page


def test_a_capacity_changed_in_the_activity_inline_is_in_the_activity_history(
    agent_client, agent, canteen, meal
):
    url = f"/admin/reservations/activity/{canteen.pk}/"
    _change(agent_client, f"{url}change/", **{"units-0-capacity": "40"})

    meal.refresh_from_db()
    assert meal.capacity == 40
    version = meal.history.latest()
    assert (version.capacity, version.prev_record.capacity, version.history_user) == (
        40,
        None,
        agent,
    )
    page = page_text(agent_client.get(f"{url}history/"))
    units_part = page.split("Historique : unités")[1]
    assert "<strong>Places par jour :</strong> None\xa0→\xa040" in units_part
    assert f"<td>{agent}</td>" in units_part


def test_the_schools_an_activity_serves_are_in_its_history(agent_client, agent, canteen, school):
    url = f"/admin/reservations/activity/{canteen.pk}/"
    _change(agent_client, f"{url}change/", schools=[str(school.pk)])

    assert list(canteen.schools.all()) == [school]
    version = canteen.history.latest()
    assert [row.school for row in version.schools.all()] == [school]
    assert version.history_user == agent
    page = _squeezed(page_text(agent_client.get(f"{url}history/")))
    assert "Écoles desservies:</strong>" in page and school.name in page


def test_a_closure_moved_is_in_its_history(agent_client, agent, closure):
    url = f"/admin/reservations/closure/{closure.pk}/"
    _change(agent_client, f"{url}change/", end="2026-11-03")

    assert closure.history.latest().history_user == agent
    page = _squeezed(page_text(agent_client.get(f"{url}history/")))
    assert "Au:</strong> 2026-11-02 → 2026-11-03" in page


def test_a_rule_saved_unchanged_lists_no_change(agent_client, j2_10h):
    url = f"/admin/reservations/deadlinerule/{j2_10h.pk}/"
    _change(agent_client, f"{url}change/")

    page = _squeezed(page_text(agent_client.get(f"{url}history/")))
    assert "→" not in page


def test_the_history_pages_answer_only_staff_who_read_the_setting(
    agent_client, accountant_client, client, j2_10h, canteen, meal, closure
):
    for url in (
        f"/admin/reservations/deadlinerule/{j2_10h.pk}/history/",
        f"/admin/reservations/activity/{canteen.pk}/history/",
        f"/admin/reservations/closure/{closure.pk}/history/",
    ):
        assert agent_client.get(url).status_code == 200
        assert accountant_client.get(url).status_code == 403
        assert client.get(url).status_code == 302  # not logged in: the admin's login


def test_a_unit_deleted_from_its_activity_stays_in_the_history(client, superuser, canteen):
    # Enfance Jeunesse adds and changes units; deleting one is for a superuser.
    client.force_login(superuser)
    Unit.objects.create(activity=canteen, name="Goûter")
    url = f"/admin/reservations/activity/{canteen.pk}/"
    _change(client, f"{url}change/", **{"units-0-DELETE": "on"})

    assert not canteen.units.exists()
    deleted = Unit.history.get(activity_id=canteen.pk, history_type="-")
    assert (deleted.name, deleted.history_user) == ("Goûter", superuser)
    assert "Goûter" in page_text(client.get(f"{url}history/")).split("Historique : unités")[1]


def test_a_new_school_does_not_touch_the_rules_history(j2_10h):
    School.objects.create(name="École Pasteur")
    assert DeadlineRule.history.filter(id=j2_10h.pk).count() == 1


def _queries_of(client, url: str) -> int:
    """The page's own queries: the session's activity stamp is written at most once a
    minute, so on a slow machine one of two calls may write it and the other not."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum("django_session" not in query["sql"] for query in queries)


def test_the_history_page_reads_as_many_queries_for_ten_unit_changes_as_for_one(
    agent_client, canteen, meal, time_machine
):
    # One frozen instant: no call refreshes the session's activity stamp and the other not.
    time_machine.move_to(timezone.now(), tick=False)
    url = f"/admin/reservations/activity/{canteen.pk}/history/"
    _change(agent_client, url.replace("history", "change"), **{"units-0-capacity": "40"})
    agent_client.get(url)  # shows (and so forgets) the change's « modifié » message
    one = _queries_of(agent_client, url)
    for capacity in range(41, 50):
        meal.capacity = capacity
        meal.save()
    Unit.objects.create(activity=canteen, name="Goûter")

    assert _queries_of(agent_client, url) == one
    page = page_text(agent_client.get(url)).split("Historique : unités")[1]
    assert "<td>Restauration scolaire — Goûter</td>" in page
    assert page.count("<td>Restauration scolaire — Repas</td>") == 11
