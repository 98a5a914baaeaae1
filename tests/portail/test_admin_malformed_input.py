"""Every staff page, given what no admin page writes, answers in French and never a 500.

Generated from the admin's registry (tests/admin_registry.py): for every ModelAdmin, its
list with each filter's parameter set to « abc » and odd searches, its add and change
pages with « abc » for each related field, its forms posted with every field « abc » and
management forms that were tampered with, each action with a ticked id « abc », and each
custom view with junk parameters. A page answers at most 4xx: a 400 page or a form that
says what is wrong — a raised exception is a failure too.
"""

import re

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory

from billing.models import Regie
from messaging.models import FormDocument, MessageAttachment
from portail.admin_guards import AdminGuard, FieldGuard
from tests import admin_data, admin_registry
from tests.admin_forms import change_form_data
from tests.helpers import page_text
from tests.messaging.files import pdf_bytes

pytestmark = pytest.mark.django_db

ODD_SEARCHES = ["abc", "%", "'; --", "\x00", "é" * 300, "\u202etxt.exe", "1e999", "-1"]
JUNK = "abc"
UNREADABLE = "illisible"  # the 400 page: « Cette demande contient une valeur illisible »


@pytest.fixture
def browser(family, parent, superuser) -> Client:
    admin_data.build(family=family, parent=parent, by=superuser)
    client = Client(raise_request_exception=False)
    client.force_login(superuser)
    return client


class Report:
    """Every page that answered badly, printed all at once."""

    def __init__(self, client: Client):
        self.client = client
        self.failures: list[str] = []
        self.count = 0

    def call(self, method: str, url: str, data=None, *, expect=None):
        self.count += 1
        try:
            response = getattr(self.client, method)(url, data or {})
        except Exception as error:  # noqa: BLE001 — any exception is what we look for
            self.failures.append(f"{method.upper()} {url} {_short(data)} → {error!r}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{method.upper()} {url} {_short(data)} → {response.status_code}")
        elif response.status_code == 400 and not _says_why(response):
            self.failures.append(f"{method.upper()} {url} {_short(data)} → 400 sans message")
        elif expect and response.status_code not in expect:
            self.failures.append(
                f"{method.upper()} {url} {_short(data)} → {response.status_code}, "
                f"attendu {sorted(expect)}"
            )
        return response

    def check(self) -> None:
        assert self.count, "aucune page essayée"
        assert not self.failures, f"{len(self.failures)} page(s) sur {self.count} :\n" + (
            "\n".join(self.failures)
        )


def _says_why(response) -> bool:
    """A 400 is the guard's page, or a form that shows its errors (in French)."""
    text = page_text(response)
    return UNREADABLE in text or "errorlist" in text or "errornote" in text


def _short(data) -> str:
    text = repr(data) if data else ""
    return text[:200]


def _model_admins():
    return list(admin.site._registry.values())


def _superuser_request(superuser, path="/admin/"):
    request = RequestFactory().get(path)
    request.user = superuser
    return request


def _filter_parameters(model_admin, superuser) -> set[str]:
    request = _superuser_request(superuser)
    changelist = model_admin.get_changelist_instance(request)
    names = set()
    for spec in changelist.filter_specs:
        names.update(spec.expected_parameters())
    if model_admin.date_hierarchy:
        field = model_admin.date_hierarchy
        names.update(f"{field}__{part}" for part in ("year", "month", "day"))
    return names


def _relation_fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.get_fields()
        if f.is_relation and f.concrete and (f.many_to_one or f.many_to_many or f.one_to_one)
    ]


def test_every_model_admin_has_the_guard():
    unguarded = [
        type(ma).__name__
        for ma in _model_admins()
        if not isinstance(ma, AdminGuard)
        or not all(isinstance(i, FieldGuard) for i in ma.get_inline_instances(_staff_request()))
    ]
    assert not unguarded


def _staff_request():
    from accounts.models import User

    request = RequestFactory().get("/admin/")
    request.user = User(is_superuser=True, is_staff=True, is_active=True)
    return request


def test_lists_with_unreadable_filters_and_odd_searches(browser, superuser):
    report = Report(browser)
    for model_admin in _model_admins():
        opts = model_admin.model._meta
        url = f"/admin/{opts.app_label}/{opts.model_name}/"
        params = _filter_parameters(model_admin, superuser) | set(
            _relation_fields(model_admin.model)
        )
        for name in sorted(params):
            report.call("get", url, {name: JUNK})
        for search in ODD_SEARCHES:
            report.call("get", url, {"q": search})
        for name in ("o", "p", "e", "_to_field", "_popup", "all"):
            report.call("get", url, {name: JUNK})
    report.check()


def test_add_and_change_pages_with_unreadable_related_values(browser):
    report = Report(browser)
    for model_admin in _model_admins():
        model = model_admin.model
        opts = model._meta
        obj = admin_registry.row_of(model)
        for url in (
            f"/admin/{opts.app_label}/{opts.model_name}/add/",
            f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/",
        ):
            for name in _relation_fields(model):
                report.call("get", url, {name: JUNK})
            report.call("get", url, dict.fromkeys(_form_fields(model), JUNK))
        for junk_id in (JUNK, "0", "99999999999999999999", "-1"):
            for suffix in ("change/", "delete/", "history/"):
                report.call("get", f"/admin/{opts.app_label}/{opts.model_name}/{junk_id}/{suffix}")
    report.check()


def _form_fields(model) -> list[str]:
    return [f.name for f in model._meta.get_fields() if f.concrete and not f.auto_created]


def _posted_form(response) -> tuple[dict, list[str]]:
    """Every field of the page's form and inlines set to « abc », and the inlines' prefixes."""
    context = response.context
    if context is None or "adminform" not in context:
        return {}, []
    data = dict.fromkeys(context["adminform"].form.fields, JUNK)
    prefixes = []
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        prefixes.append(formset.prefix)
        data[f"{formset.prefix}-TOTAL_FORMS"] = "1"
        data[f"{formset.prefix}-INITIAL_FORMS"] = "0"
        for name in formset.form.base_fields:
            data[f"{formset.prefix}-0-{name}"] = JUNK
    return data, prefixes


def test_forms_posted_with_every_field_unreadable(browser):
    report = Report(browser)
    for model_admin in _model_admins():
        opts = model_admin.model._meta
        obj = admin_registry.row_of(model_admin.model)
        for url in (
            f"/admin/{opts.app_label}/{opts.model_name}/add/",
            f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/",
        ):
            page = browser.get(url)
            if page.status_code != 200:
                continue  # no such form (read-only admin, add page not offered)
            data, prefixes = _posted_form(page)
            if not data:  # a page of its own (the cash desk): the fields its HTML offers
                data = dict.fromkeys(_page_form_fields(page), JUNK)
            report.call("post", url, data)
            for prefix in prefixes:
                for tampered in (
                    {f"{prefix}-INITIAL_FORMS": "-1"},
                    {f"{prefix}-TOTAL_FORMS": JUNK},
                    {f"{prefix}-TOTAL_FORMS": "-3", f"{prefix}-INITIAL_FORMS": "-5"},
                    {f"{prefix}-INITIAL_FORMS": "7", f"{prefix}-TOTAL_FORMS": "1"},
                ):
                    response = report.call("post", url, {**data, **tampered}, expect={400})
                    if response is not None and response.status_code == 400:
                        assert "rien n’a été fait" in page_text(response)
    report.check()


def test_actions_with_an_unreadable_selection(browser):
    report = Report(browser)
    for page in admin_registry.pages():
        if page.kind != "action":
            continue
        for selected in ([JUNK], ["1", JUNK], ["99999999999999999999"]):
            data = {**page.data, "_selected_action": selected}
            expect = {400} if JUNK in selected else {200, 302, 403}
            report.call("post", page.url, data, expect=expect)
        report.call("post", page.url, {**page.data, "index": JUNK})
        report.call("post", page.url, {**page.data, "select_across": JUNK})
    report.check()


def test_custom_views_with_junk_ids_and_parameters(browser):
    report = Report(browser)
    for page in admin_registry.pages():
        if page.kind not in ("custom", "version", "autocomplete", "site"):
            continue
        response = report.call("get", page.url)
        fields = _page_form_fields(response)
        if fields:
            report.call("get", page.url, dict.fromkeys(fields, JUNK))
            for name in fields:
                report.call("get", page.url, {name: JUNK})
            report.call("post", page.url, dict.fromkeys(fields, JUNK))
        for junk in ("0", "99999999999999999999"):
            report.call("get", _with_junk_ids(page.url, junk))
    report.check()


FIELD = re.compile(r"<(?:input|select|textarea)\b[^>]*\bname=\"([^\"]+)\"", re.S)
NOT_FIELDS = {"csrfmiddlewaretoken", "_selected_action", "action", "index", "select_across"}


def _page_form_fields(response) -> list[str]:
    """The names of the fields a page's HTML offers (its forms, whatever built them)."""
    if response is None or response.status_code != 200 or response.streaming:
        return []
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    return sorted(set(FIELD.findall(response.content.decode())) - NOT_FIELDS)


def _with_junk_ids(url: str, junk: str) -> str:
    parts = [junk if part.isdigit() else part for part in url.split("/")]
    return "/".join(parts)


def test_a_private_file_is_a_link_to_its_staff_download(browser):
    """The outside probe's 500s: a message's attachment and a form document's file."""
    attachment = MessageAttachment.objects.get()
    response = browser.get(f"/admin/messaging/message/{attachment.message_id}/change/")
    assert response.status_code == 200
    link = f"/admin/messaging/message/{attachment.message_id}/pieces/{attachment.pk}/"
    assert f'href="{link}"' in page_text(response)
    download = browser.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == pdf_bytes()

    document = FormDocument.objects.get()
    response = browser.get(f"/admin/messaging/formdocument/{document.pk}/change/")
    assert response.status_code == 200
    link = f"/admin/messaging/formdocument/{document.pk}/telecharger/"
    assert f'href="{link}"' in page_text(response)
    assert b"".join(browser.get(link).streaming_content) == pdf_bytes()


def test_a_childs_page_with_family_abc_says_so(browser):
    response = browser.get("/admin/children/child/add/", {"family": JUNK})
    assert response.status_code == 200
    assert "Valeur illisible ignorée dans l'adresse de la page : family=abc" in page_text(response)
    response = browser.post("/admin/children/child/add/", {"family": JUNK, "first_name": "Zoé"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in page_text(response)
    # The list offers no family filter: asked for one by hand, it says so and lists nothing.
    response = browser.get("/admin/children/child/", {"family": JUNK})
    assert response.status_code == 400
    assert "filtre « family » que la page ne propose pas" in page_text(response)
    # A filter it offers, given an unreadable value: the list is shown unfiltered, and says so.
    response = browser.get("/admin/children/child/", {"school__id__exact": JUNK}, follow=True)
    assert response.status_code == 200
    assert "la liste est affichée sans filtre" in page_text(response)


def test_a_regie_inline_with_activity_abc_says_so(browser):
    page = browser.get("/admin/billing/regie/add/")
    data, prefixes = _posted_form(page)
    (prefix,) = prefixes
    data.update(name="Régie des sports", code="S", payee="Régie de Valmont")
    response = browser.post("/admin/billing/regie/add/", {**data, f"{prefix}-0-activity": JUNK})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in page_text(response)
    assert not Regie.objects.filter(code="S").exists()


def test_an_action_with_an_unreadable_selection_does_nothing_and_says_why(browser):
    from reservations.models import Enrolment, EnrolmentStatus

    response = browser.post(
        "/admin/reservations/enrolment/",
        {"action": "validate_selected", "_selected_action": ["abc"], "index": "0"},
    )
    assert response.status_code == 400
    assert "valeur illisible (_selected_action=abc)" in page_text(response)
    assert Enrolment.objects.filter(status=EnrolmentStatus.REQUESTED).exists()


def test_a_negative_initial_forms_count_saves_nothing(browser):
    from reservations.models import Activity

    activity = Activity.objects.get()
    page = browser.get(f"/admin/reservations/activity/{activity.pk}/change/")
    data = change_form_data(page, name="Cantine renommée", **{"units-INITIAL_FORMS": "-1"})
    response = browser.post(f"/admin/reservations/activity/{activity.pk}/change/", data)
    assert response.status_code == 400
    assert "units-INITIAL_FORMS=-1" in page_text(response)
    activity.refresh_from_db()
    assert activity.name == "Restauration scolaire"
