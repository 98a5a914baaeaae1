"""What every admin page answers to each staff group, generated from the admin's registry.

For each persona — a clerk in Comptabilité only, one in Enfance Jeunesse only, one in
Enfance Jeunesse and « Données de santé », a staff member in no group — every page of
tests/admin_registry.py (index, app indexes, each model's list, add, change, delete and
history pages, each custom view, each action, each autocomplete) is opened, and its answer
compared with what the persona's groups allow: 200 (or a redirect within the admin, for
an action or a decision) when allowed, 403 when not (404 for an app's index, as Django
answers it). A visitor who is not logged in, and a parent, are sent to the admin's login.

« Allowed » is read from the Permission rows the data migrations granted the groups, never
from a ModelAdmin's has_*_permission: the test would then only repeat the code. What an
admin deliberately refuses whatever the permissions (a log nobody edits, a superuser-only
page) is in the few tables below, each with its reason. A new admin page joins the matrix
on its own, and fails it if its answer does not follow the groups.

Every page a persona without the health permission may open is also searched for the
sentinel health values of tests/admin_data.py, and every page any persona opens for the
link of a password-reset e-mail waiting in the outbox.
"""

from dataclasses import dataclass

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests import admin_data, admin_registry
from tests.conftest import PASSWORD
from tests.helpers import page_text
from tests.staff import health_group

pytestmark = pytest.mark.django_db

HEALTH = "children.view_health"

# --- what the admin refuses whatever the groups hold (keep it short) ---------------------

# Pages for superusers only: who may act on staff accounts, groups, their second factor,
# and read the security log or django-axes' records.
SUPERUSER_ONLY = {
    "accounts.SecurityEvent": "journal de sécurité : superutilisateurs seulement",
    "accounts.StaffAccount": "comptes du personnel : superutilisateurs seulement",
    "accounts.StaffSecondFactor": "double authentification du personnel : superutilisateurs",
    "auth.Group": "groupes et permissions : superutilisateurs seulement",
}

# Operations an admin never offers, whatever the permissions, and why.
NEVER = {
    "children.HealthAccess": ({"add", "change", "delete"}, "un journal ne s'écrit pas à la main"),
    "reservations.Booking": (
        {"add", "change", "delete"},
        "réservations faites par les pages qui appliquent les règles (pointage, pour une famille)",
    ),
    "reservations.DayCount": ({"add", "change", "delete"}, "compteurs tenus par les réservations"),
    "billing.Invoice": ({"add", "delete"}, "faites par la facturation, corrigées par un avoir"),
    "billing.Payment": ({"change", "delete"}, "un paiement s'annule avec un motif, à sa page"),
    "billing.OnlineTransaction": ({"add", "delete"}, "écrites par les réponses de PayFiP"),
    "messaging.Broadcast": ({"change", "delete"}, "un message envoyé ne se réécrit pas"),
    "messaging.FamilyDocument": ({"add"}, "déposés par les familles"),
    "messaging.Thread": ({"add"}, "ouverts par une famille ; la mairie écrit par un message"),
    "messaging.OutgoingEmail": ({"add", "change", "delete"}, "file d'envoi en lecture seule"),
    "reservations.MedicalAbsence": ({"add"}, "signalées par les familles"),
    "accounts.ChangeRequest": (
        {"add", "change", "delete"},
        "décidées par « Accepter » ou « Refuser »",
    ),
}


# Rows a persona sees only if the data says so (404 otherwise, whatever the permissions):
# a thread is read by the staff of the service it is addressed to.
def _reads_thread(user: User) -> bool:
    from messaging.models import Thread

    thread = admin_registry.row_of(Thread)
    return user.groups.filter(pk=thread.service.staff_group_id).exists()


ROW_SCOPED = {"messaging.Thread": _reads_thread}
ROW_KINDS = {"change", "delete", "history", "version", "custom"}

# Custom views that need more than the view permission of their model.
CUSTOM_VIEWS = {
    "children_child_health_sheet": ("children.view_child", HEALTH),
    "children_child_diets": ("children.view_child", HEALTH),
    "billing_credit_note": ("billing.view_invoice", "billing.add_invoice"),
    "billing_payment_cancel": ("billing.view_payment", "billing.change_payment"),
    "reservations_attendance": ("reservations.view_booking", "reservations.change_booking"),
    "reservations_on_behalf": (
        "reservations.view_booking",
        "reservations.add_booking",
        "reservations.change_booking",
    ),
    "reservations_cancel_day": (
        "reservations.view_booking",
        "reservations.change_booking",
        "reservations.add_closure",
    ),
    "reservations_medicalabsence_certificate": ("reservations.view_medicalabsence", HEALTH),
    "accounts_changerequest_approve": ("accounts.change_changerequest",),
    "accounts_changerequest_reject": ("accounts.change_changerequest",),
}

# Actions whose declared permission is not one of Django's four: what it stands for.
ACTION_PERMISSIONS = {
    "accounts.ChangeRequest:decide": ("accounts.change_changerequest",),
    # Deciding an absence is reading its medical certificate.
    "reservations.MedicalAbsence:decide": ("reservations.change_medicalabsence", HEALTH),
    "children.Child:health": (HEALTH,),
    "messaging.OutgoingEmail:retry": ("messaging.view_outgoingemail",),
    "billing.Invoice:credit_note": ("billing.view_invoice", "billing.add_invoice"),
}

# Pages known to show a health value to staff without the health permission: each is a
# strict xfail below, so that the fix shows as an unexpected pass. Empty is the goal.
KNOWN_LEAKS: dict[str, str] = {}


# --- personas ------------------------------------------------------------------------------


def staff(username: str, *groups: Group) -> User:
    user = User(username=username, is_staff=True, first_name=username.title(), last_name="TEST")
    user.set_chosen_password(PASSWORD)
    user.save()
    user.groups.add(*groups)
    return user


PERSONAS = {
    "comptabilite": lambda: (Group.objects.get(name="Comptabilité"),),
    "enfance": lambda: (Group.objects.get(name="Enfance Jeunesse"),),
    "sante": lambda: (Group.objects.get(name="Enfance Jeunesse"), health_group()),
    "sans_groupe": lambda: (),
}


def granted(user: User) -> set[str]:
    """The permissions the user's groups hold, as rows in the database."""
    rows = Permission.objects.filter(group__user=user).select_related("content_type")
    return {f"{p.content_type.app_label}.{p.codename}" for p in rows}


# --- what each page should answer ------------------------------------------------------------


def _perm(model, action: str) -> str:
    opts = model._meta
    return f"{opts.app_label}.{get_permission_codename(action, opts)}"


@dataclass
class Rules:
    perms: set[str]
    user: User
    secrets: list[str]

    def may(self, model, action: str) -> bool:
        label = model._meta.label
        if label in SUPERUSER_ONLY:
            return False
        if action in NEVER.get(label, (set(), ""))[0]:
            return False
        return _perm(model, action) in self.perms

    def may_see(self, model) -> bool:
        return self.may(model, "view") or self.may(model, "change")

    def allowed(self, page: admin_registry.Page, registry) -> bool:
        model = page.model
        if page.kind in ("index", "site"):
            return True
        if page.kind == "app":
            return any(
                any(self.may(m, a) for a in ("view", "add", "change", "delete"))
                for m in registry
                if m._meta.app_label == page.name
            )
        if page.kind in ("changelist", "change", "history", "version"):
            return self.may_see(model)
        if page.kind in ("add", "delete"):
            return self.may(model, page.kind)
        if page.kind == "custom":
            needed = CUSTOM_VIEWS.get(page.name)
            if model._meta.label in SUPERUSER_ONLY:
                return False
            if needed is None:
                return self.may_see(model)
            return set(needed) <= self.perms
        if page.kind == "action":
            return self.may_see(model) and self._may_run(page)
        if page.kind == "autocomplete":
            field = model._meta.get_field(page.name.rsplit(".", 1)[1])
            return self.may_see(field.related_model)
        raise AssertionError(f"page de type inconnu : {page.kind}")

    def _may_run(self, page) -> bool:
        function = next(f for f, n, _d in page.model_admin._get_base_actions() if n == page.name)
        for declared in getattr(function, "allowed_permissions", ()):
            if declared in ("view", "add", "change", "delete"):
                ok = self.may(page.model, declared)
                if declared == "view":
                    ok = ok or self.may(page.model, "change")  # as Django reads « view »
            else:
                key = f"{page.model._meta.label}:{declared}"
                ok = set(ACTION_PERMISSIONS[key]) <= self.perms
            if not ok:
                return False
        return True


def expected(page, allowed: bool, rules: "Rules") -> set[int]:
    scoped = page.model is not None and ROW_SCOPED.get(page.model._meta.label)
    if scoped and page.kind in ROW_KINDS and not scoped(rules.user):
        # A row of another service is as if it did not exist (or the page is refused).
        return {404} if rules.may_see(page.model) else {403, 404}
    if not allowed:
        return {404} if page.kind == "app" else {403}
    if page.kind in ("action", "custom") or page.method == "POST":
        return {200, 302}  # a redirect within the admin: done, or back to a form
    return {200}


# --- the walk ------------------------------------------------------------------------------


@pytest.fixture
def town_hall(family, parent, superuser):
    admin_data.build(family=family, parent=parent, by=superuser)
    return admin_registry.pages()


def _open(client: Client, page):
    if page.method == "POST":
        return client.post(page.url, page.data)
    return client.get(page.url)


def _ordered(pages):
    """Pages first, then what may change data (actions, decisions): later pages see the
    data set as it was built."""
    return sorted(pages, key=lambda page: page.method == "POST")


def walk(client: Client, pages, rules: Rules, registry):
    """(pages whose answer does not follow the groups, pages showing health values, count)"""
    mismatches, leaks, count = [], [], 0
    retry = []
    for page in _ordered(pages):
        response = _open(client, page)
        if response.status_code == 405 and page.method == "GET":
            retry.append(page)  # a decision (POST only): tried after the pages
            continue
        count += _judge(page, response, rules, registry, mismatches, leaks)
    for page in retry:
        posted = admin_registry.Page(
            kind=page.kind,
            url=page.url,
            model_admin=page.model_admin,
            name=page.name,
            method="POST",
        )
        count += _judge(posted, _open(client, posted), rules, registry, mismatches, leaks)
    return mismatches, leaks, count


def _judge(page, response, rules, registry, mismatches, leaks) -> int:
    allowed = rules.allowed(page, registry)
    wanted = expected(page, allowed, rules)
    status = response.status_code
    if status not in wanted:
        verdict = "permis" if allowed else "refusé"
        mismatches.append(f"{page.label} → {status}, attendu {sorted(wanted)} ({verdict})")
    elif status == 302 and not response.url.startswith("/admin/"):
        mismatches.append(f"{page.label} → redirigé hors de l'administration : {response.url}")
    text = page_text(response) if _is_html(response) else ""
    if shown := admin_data.health_values(text):
        leaks.append((page, shown))
    if any(secret in text for secret in rules.secrets):
        mismatches.append(f"{page.label} montre le lien secret d'un courriel de réinitialisation")
    return 1


def _is_html(response) -> bool:
    """A page or an export read as text (HTML, CSV); PDFs and files are not searched."""
    return response.get("Content-Type", "").startswith("text/") and not response.streaming


def _report(persona: str, mismatches, count) -> str:
    return f"{persona} : {len(mismatches)} page(s) sur {count} ne suivent pas les groupes :\n" + (
        "\n".join(mismatches)
    )


def _leak_key(page) -> str:
    return page.name if page.kind != "action" else f"{page.model._meta.label}:{page.name}"


@pytest.mark.parametrize("persona", list(PERSONAS))
def test_each_admin_page_answers_as_the_groups_allow(persona, town_hall):
    from django.contrib import admin

    user = staff(f"agent.{persona}", *PERSONAS[persona]())
    client = Client()
    client.force_login(user)
    rules = Rules(granted(user), user, admin_data.secrets())
    mismatches, leaks, count = walk(client, town_hall, rules, admin.site._registry)
    assert count > 150, "la matrice n'a presque rien essayé"
    assert not mismatches, _report(persona, mismatches, count)
    if HEALTH in rules.perms:
        # The search finds the values where they belong: the child's page, for this group.
        showing = {page.name for page, _shown in leaks}
        assert {"children_child_change", "reservations_daily_list"} <= showing, showing
        return
    unexpected = [
        f"{page.label} montre {shown}"
        for page, shown in leaks
        if _leak_key(page) not in KNOWN_LEAKS
    ]
    assert not unexpected, f"{persona} voit des données de santé :\n" + "\n".join(unexpected)


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(key, marks=pytest.mark.xfail(strict=True, reason=why))
        for key, why in KNOWN_LEAKS.items()
    ],
)
def test_known_health_leak_is_fixed(key, town_hall):
    user = staff("agent.enfance", *PERSONAS["enfance"]())
    client = Client()
    client.force_login(user)
    pages = [page for page in town_hall if _leak_key(page) == key]
    assert pages, f"plus de page {key} : retirez-la de KNOWN_LEAKS"
    for page in pages:
        response = _open(client, page)
        assert not admin_data.health_values(page_text(response))


@pytest.mark.parametrize("who", ["anonyme", "parent"])
def test_visitors_and_parents_are_sent_to_the_admin_login(who, town_hall, parent):
    client = Client()
    if who == "parent":
        client.force_login(parent)
    login = reverse("admin:login")
    wrong = []
    for page in town_hall:
        response = _open(client, page)
        if response.status_code != 302 or not response.url.startswith(f"{login}?next="):
            wrong.append(f"{page.label} → {response.status_code} {response.get('Location', '')}")
    assert not wrong, f"{len(wrong)} page(s) ouvertes sans connexion du personnel :\n" + "\n".join(
        wrong
    )


def test_the_matrix_sees_every_registered_model(town_hall):
    from django.contrib import admin

    covered = {page.model for page in town_hall if page.kind == "changelist"}
    assert covered == set(admin.site._registry)
    # and the health data it looks for is there to be found
    assert admin_data.health_values(
        " ".join(str(v) for v in admin_data.Health.objects.values_list("allergies", flat=True))
    )


def test_a_forbidden_action_is_refused_not_ignored(town_hall):
    """Django says « Aucune action sélectionnée » for an action the user may not run; the
    admin's guard answers 403 (a clerk posting the credit-note action without the right)."""
    from billing.models import Invoice

    user = staff("agent.enfance", *PERSONAS["enfance"]())
    user.user_permissions.add(Permission.objects.get(codename="view_invoice"))
    client = Client()
    client.force_login(user)
    invoice = Invoice.objects.get()
    response = client.post(
        "/admin/billing/invoice/",
        {"action": "create_credit_note", ACTION_CHECKBOX_NAME: [invoice.pk], "index": "0"},
    )
    assert response.status_code == 403
    assert not Invoice.objects.filter(credited_invoice=invoice).exists()
