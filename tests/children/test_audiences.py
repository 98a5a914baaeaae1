from datetime import date

import pytest

from children.models import Child, School
from messaging import audiences

pytestmark = pytest.mark.django_db


@pytest.fixture
def pasteur(other_family) -> School:
    """A second school with one CM1 pupil (the other family's child moves there)."""
    school = School.objects.create(name="École Pasteur")
    other_family.children.update(school=school)
    return school


def test_school_and_class_are_registered_next_to_every_family():
    keys = [audience.key for audience in audiences.registered()]
    assert keys[0] == audiences.ALL
    assert {"school", "class"} <= set(keys)


def test_staff_pick_a_school_by_its_name(school, pasteur):
    assert list(audiences.get("school").choices()) == [
        (str(school.pk), "École Jules-Ferry"),
        (str(pasteur.pk), "École Pasteur"),
    ]
    assert audiences.describe("school", str(pasteur.pk)) == "Une école : École Pasteur"


def test_a_school_reaches_each_family_with_a_child_there_once(
    family, other_family, school, pasteur
):
    assert list(audiences.recipients("school", str(school.pk))) == [family.pk]
    assert list(audiences.recipients("school", str(pasteur.pk))) == [other_family.pk]
    assert list(audiences.recipients("school", "not-a-pk")) == []


def test_a_family_belongs_to_the_schools_of_its_children(family, school, pasteur):
    Child.objects.create(
        family=family,
        first_name="Zoé",
        last_name="MARTIN",
        birth_date=date(2015, 2, 2),
        school=pasteur,
        school_class="CM2",
    )
    Child.objects.create(
        family=family, first_name="Bébé", last_name="MARTIN", birth_date=date(2024, 5, 5)
    )
    assert sorted(audiences.get("school").values_for(family.pk)) == sorted(
        [str(school.pk), str(pasteur.pk)]
    )


def test_classes_are_listed_once_per_school_in_the_order_of_school_years(
    family, other_family, school, pasteur
):
    Child.objects.create(
        family=other_family,
        first_name="Lina",
        last_name="DURAND",
        birth_date=date(2017, 9, 9),
        school=school,
        school_class="CE2",
    )
    assert list(audiences.get("class").choices()) == [
        (f"{school.pk}:GS", "École Jules-Ferry — GS"),
        (f"{school.pk}:CE2", "École Jules-Ferry — CE2"),
        (f"{pasteur.pk}:CM1", "École Pasteur — CM1"),
    ]
    assert audiences.describe("class", f"{school.pk}:CE2") == "Une classe : École Jules-Ferry — CE2"


def test_a_class_reaches_only_the_families_of_its_pupils(family, other_family, school, pasteur):
    assert list(audiences.recipients("class", f"{school.pk}:CE2")) == [family.pk]
    assert list(audiences.recipients("class", f"{school.pk}:CM1")) == []  # CM1 is at Pasteur
    assert list(audiences.recipients("class", f"{pasteur.pk}:CM1")) == [other_family.pk]
    for wrong in ("", "CE2", f"{school.pk}:", "x:CE2"):
        assert list(audiences.recipients("class", wrong)) == []
    assert sorted(audiences.get("class").values_for(family.pk)) == [
        f"{school.pk}:CE2",
        f"{school.pk}:GS",
    ]


def test_what_a_family_may_see_costs_one_query_per_audience_kind(family, django_assert_num_queries):
    # « Toutes les familles » costs nothing; every other kind (school, class, and those of
    # other apps, such as an activity) one query.
    with django_assert_num_queries(len(audiences.registered()) - 1):
        audiences.visible_to(family.pk)
