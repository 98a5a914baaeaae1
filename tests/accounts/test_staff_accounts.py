"""A clerk cannot make themselves superuser, nor set anyone's password: only superusers
manage staff accounts, groups and permissions, and each change is in the security log."""

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import SecurityEvent, SecurityEventKind, User
from tests.admin_forms import change_form_data
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

STOLEN = "Pris-Par-Le-Guichet-9"


def privileges(user: User) -> tuple:
    user = User.objects.get(pk=user.pk)
    return (
        user.is_staff,
        user.is_superuser,
        sorted(user.groups.values_list("name", flat=True)),
        sorted(user.user_permissions.values_list("codename", flat=True)),
        user.family_id,
    )


def escalation(user: User, **extra) -> dict:
    """What a hand-made POST would send to turn an account into a superuser."""
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [str(group.pk) for group in Group.objects.all()],
        "user_permissions": [str(Permission.objects.get(codename="change_group").pk)],
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        **extra,
    }


def privilege_log() -> list[str]:
    return list(
        SecurityEvent.objects.filter(kind=SecurityEventKind.PRIVILEGE_CHANGE).values_list(
            "detail", flat=True
        )
    )


def test_a_clerk_cannot_make_themselves_superuser_through_any_user_page(clerk_client, clerk):
    before = privileges(clerk)
    for url, answer in (
        (f"/admin/accounts/user/{clerk.pk}/change/", 404),  # no stock user admin any more
        (f"/admin/accounts/staffaccount/{clerk.pk}/change/", 403),
        (f"/admin/accounts/parentlogin/{clerk.pk}/change/", 302),  # « n'existe pas »
    ):
        response = clerk_client.post(url, escalation(clerk))
        assert privileges(clerk) == before, url
        assert response.status_code == answer, url
    # Nor by creating a new account with the privileges.
    assert (
        clerk_client.post(
            "/admin/accounts/staffaccount/add/", escalation(clerk, username="pirate")
        ).status_code
        == 403
    )
    clerk_client.post(
        "/admin/accounts/parentlogin/add/",
        escalation(clerk, username="pirate", family=""),
    )
    assert not User.objects.filter(username="pirate").exists()
    assert not User.objects.filter(is_superuser=True).exists()
    assert clerk_client.get(f"/admin/accounts/staffaccount/{clerk.pk}/change/").status_code == 403
    assert clerk_client.get(f"/admin/accounts/user/{clerk.pk}/change/").status_code == 404
    assert privilege_log() == []


def test_a_clerk_cannot_attach_their_own_account_to_a_family_to_edit_it(
    clerk_client, clerk, family, parent
):
    url = f"/admin/accounts/family/{family.pk}/change/"
    page = clerk_client.get(url)
    data = change_form_data(
        page,
        **{
            "logins-0-id": str(clerk.pk),
            "logins-0-username": clerk.username,
            "logins-0-is_staff": "on",
            "logins-0-is_superuser": "on",
        },
    )
    before = privileges(clerk)
    response = clerk_client.post(url, data)
    assert response.status_code == 200  # the form is refused, with its error
    assert privileges(clerk) == before
    assert clerk.pk not in family.logins.values_list("pk", flat=True)


def test_a_clerk_cannot_turn_a_parent_login_into_a_staff_account(clerk_client, family, parent):
    url = f"/admin/accounts/family/{family.pk}/change/"
    data = change_form_data(
        clerk_client.get(url),
        **{"logins-0-is_staff": "on", "logins-0-is_superuser": "on", "logins-0-email": "c@x.fr"},
    )
    assert clerk_client.post(url, data).status_code == 302
    parent.refresh_from_db()
    assert parent.email == "c@x.fr"  # the edit went through…
    assert not parent.is_staff and not parent.is_superuser  # …the privileges did not

    response = clerk_client.post(
        f"/admin/accounts/parentlogin/{parent.pk}/change/",
        {**escalation(parent), "family": str(family.pk), "password": "x"},
    )
    assert response.status_code == 302
    assert privileges(parent)[:4] == (False, False, [], [])
    assert parent.password == User.objects.get(pk=parent.pk).password


def test_a_staff_account_attached_to_a_family_is_not_shown_nor_saved_by_the_family_page(
    clerk_client, clerk, family, parent
):
    User.objects.filter(pk=clerk.pk).update(family=family)  # a mistake made in the shell
    url = f"/admin/accounts/family/{family.pk}/change/"
    page = clerk_client.get(url)
    formset = page.context["inline_admin_formsets"][-1].formset
    assert [form.instance.username for form in formset.forms] == ["claire"]
    assert clerk_client.post(url, change_form_data(page)).status_code == 302
    assert privileges(clerk)[:2] == (True, False)


def test_a_clerk_cannot_set_the_superusers_password(clerk_client, superuser):
    before = superuser.password
    data = {"password1": STOLEN, "password2": STOLEN, "usable_password": "true"}
    stock = clerk_client.post(f"/admin/accounts/user/{superuser.pk}/password/", data)
    staff = clerk_client.post(f"/admin/accounts/staffaccount/{superuser.pk}/password/", data)
    superuser.refresh_from_db()
    assert superuser.password == before
    assert not superuser.check_password(STOLEN)
    assert stock.status_code == 404
    assert staff.status_code == 403
    assert clerk_client.get(
        f"/admin/accounts/parentlogin/{superuser.pk}/password/"
    ).status_code in (
        302,
        404,
    )


def test_a_clerk_sees_neither_staff_accounts_nor_groups(clerk_client, accountant_client):
    for client in (clerk_client, accountant_client):
        index = page_text(client.get("/admin/"))
        assert "Comptes du personnel" not in index
        assert "/admin/auth/group/" not in index
        assert "/admin/accounts/staffaccount/" not in index
        for url in (
            "/admin/accounts/staffaccount/",
            "/admin/auth/group/",
            "/admin/auth/group/add/",
        ):
            assert client.get(url).status_code == 403, url
        created = client.post("/admin/auth/group/add/", {"name": "Administrateurs"})
        assert created.status_code == 403
    assert not Group.objects.filter(name="Administrateurs").exists()


def test_a_clerk_cannot_grant_permissions_to_their_group(clerk_client, clerk):
    group = Group.objects.get(name="Enfance Jeunesse")
    before = set(group.permissions.all())
    response = clerk_client.post(
        f"/admin/auth/group/{group.pk}/change/",
        {"name": group.name, "permissions": [str(p.pk) for p in Permission.objects.all()]},
    )
    assert response.status_code == 403
    assert set(group.permissions.all()) == before
    assert not clerk.has_perm("auth.change_group")


def test_no_staff_group_holds_a_permission_on_accounts_or_groups():
    for group in Group.objects.all():
        codenames = {
            f"{app}.{codename}"
            for app, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert not {c for c in codenames if c.startswith("auth.")}, group.name
        assert not {c for c in codenames if c.endswith(("_user", "_staffaccount"))}, group.name
        assert "messaging.change_outgoingemail" not in codenames, group.name
    enfance = Group.objects.get(name="Enfance Jeunesse").permissions
    assert set(
        enfance.filter(codename__endswith="_parentlogin").values_list("codename", flat=True)
    ) == {
        "view_parentlogin",
        "add_parentlogin",
        "change_parentlogin",
    }
    compta = Group.objects.get(name="Comptabilité").permissions
    assert list(
        compta.filter(codename__endswith="_parentlogin").values_list("codename", flat=True)
    ) == ["view_parentlogin"]


def test_the_staff_list_shows_staff_and_superusers_only(superuser_client, clerk, superuser, parent):
    response = superuser_client.get("/admin/accounts/staffaccount/")
    assert response.status_code == 200
    listed = {user.username for user in response.context["cl"].result_list}
    assert listed == {"jdupuis", "admin"}
    assert (
        superuser_client.get(f"/admin/accounts/staffaccount/{parent.pk}/change/").status_code == 302
    )


def test_a_superuser_grants_privileges_and_the_security_log_says_so(
    superuser_client, superuser, clerk
):
    url = f"/admin/accounts/staffaccount/{clerk.pk}/change/"
    compta = Group.objects.get(name="Comptabilité")
    enfance = Group.objects.get(name="Enfance Jeunesse")
    data = change_form_data(superuser_client.get(url), is_superuser="on", groups=[str(compta.pk)])
    response = superuser_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    clerk.refresh_from_db()
    assert clerk.is_superuser
    assert list(clerk.groups.all()) == [compta]
    event = SecurityEvent.objects.get(kind=SecurityEventKind.PRIVILEGE_CHANGE)
    assert event.actor == superuser and event.target == clerk
    assert "superutilisateur : non → oui" in event.detail
    assert "groupes : +Comptabilité −Enfance Jeunesse" in event.detail
    assert enfance.name in event.detail

    # Saving again with nothing changed adds no line.
    superuser_client.post(url, change_form_data(superuser_client.get(url)))
    assert len(privilege_log()) == 1


def test_a_superuser_sets_a_staff_password_and_it_is_logged_without_the_password(
    superuser_client, superuser, clerk
):
    url = f"/admin/accounts/staffaccount/{clerk.pk}/password/"
    response = superuser_client.post(
        url, {"password1": STOLEN, "password2": STOLEN, "usable_password": "true"}
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password(STOLEN)
    assert privilege_log() == ["mot de passe défini"]
    assert STOLEN not in str(list(SecurityEvent.objects.values()))

    # A refused form (the two passwords differ) changes nothing and logs nothing.
    superuser_client.post(url, {"password1": STOLEN, "password2": "Autre-Chose-77"})
    assert len(privilege_log()) == 1


def test_a_superuser_creates_a_staff_account(superuser_client, superuser):
    response = superuser_client.post(
        "/admin/accounts/staffaccount/add/",
        {
            "username": "nouvel.agent",
            "usable_password": "true",
            "password1": STOLEN,
            "password2": STOLEN,
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="nouvel.agent")
    assert created.is_staff and not created.is_superuser and created.family is None
    assert privilege_log() == [
        "compte créé ; mot de passe défini ; actif : non → oui ; membre du personnel : non → oui"
    ]


def test_a_superuser_changes_a_groups_permissions_and_it_is_logged(superuser_client):
    group = Group.objects.get(name="Comptabilité")
    url = f"/admin/auth/group/{group.pk}/change/"
    extra = Permission.objects.get(codename="add_family")
    data = change_form_data(superuser_client.get(url))
    data["permissions"] = [*data.get("permissions", []), str(extra.pk)]
    assert superuser_client.post(url, data).status_code == 302
    assert group.permissions.filter(pk=extra.pk).exists()
    assert privilege_log() == ["groupe « Comptabilité » ; permissions : +accounts.add_family"]
