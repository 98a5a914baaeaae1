"""A list of the admin filters only on what its page offers, never on a field named by hand.

Django's admin filters a list on any field of its model written in the address, whatever
the page shows: counting the rows of `?contains_secret=1&body_text__regex=^.*/MQ/[0-7]`, a
clerk could read a queued reset link a few bits at a time; `?changes__icontains=arachide`
told which families' pending requests name a peanut allergy, without the health
permission and without a log. Every list here answers such an address with the admin's
400 page, and still follows its own filters and the links other pages make to it.
"""

import re

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client

from accounts.models import ChangeRequest
from billing.models import Invoice
from messaging.models import OutgoingEmail
from portail.admin_guards import field_path
from tests import admin_data
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


@pytest.fixture
def everything(family, parent, superuser) -> None:
    admin_data.build(family=family, parent=parent, by=superuser)


def _list_url(model) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


def _refused(response) -> bool:
    return response.status_code == 400 and "illisible" in page_text(response)


def test_no_list_searches_a_text_field_named_in_its_address(everything, superuser):
    client = Client()
    client.force_login(superuser)
    answered = []
    tried = 0
    for model_admin in admin.site._registry.values():
        model = model_admin.model
        for field in model._meta.concrete_fields:
            if not isinstance(field, TEXT_FIELDS):
                continue
            for lookup in ("icontains", "regex", "startswith"):
                tried += 1
                response = client.get(_list_url(model), {f"{field.name}__{lookup}": "a"})
                if not _refused(response):
                    answered.append(f"{_list_url(model)}?{field.name}__{lookup} → {response}")
    assert tried > 100  # every list was tried
    assert answered == []


def test_a_clerk_cannot_read_a_reset_link_by_filtering_the_outbox(everything, agent):
    token = admin_data.secrets()[0]
    clerk = Client()
    clerk.force_login(agent)
    url = _list_url(OutgoingEmail)
    guess = f"^.*reinitialiser/[^/]+/{re.escape(token[:1])}"

    response = clerk.get(url, {"contains_secret__exact": "1", "body_text__regex": guess})

    assert _refused(response)
    assert token not in page_text(response)
    assert clerk.get(url, {"body_html__startswith": "<"}).status_code == 400


def test_change_requests_cannot_be_searched_by_their_content(everything, agent):
    clerk = Client()
    clerk.force_login(agent)
    assert ChangeRequest.objects.exists()
    for lookup in ("changes__icontains", "reason__icontains", "changes__has_key"):
        assert _refused(clerk.get(_list_url(ChangeRequest), {lookup: "a"})), lookup


def test_the_lists_own_filters_and_links_still_answer(everything, superuser, family):
    client = Client()
    client.force_login(superuser)
    invoices = client.get(_list_url(Invoice), {"family__id__exact": family.pk})
    assert invoices.status_code == 200
    assert list(invoices.context["cl"].queryset) == list(Invoice.objects.filter(family=family))
    for model_admin in admin.site._registry.values():
        changelist = model_admin.get_changelist_instance(_request(superuser))
        for spec in changelist.filter_specs:
            for choice in spec.choices(changelist):
                query = choice["query_string"]
                response = client.get(_list_url(model_admin.model) + query)
                assert response.status_code == 200, f"{model_admin} {query}"


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.mark.parametrize(
    "model, lookup, path, applied",
    [
        (Invoice, "family__id__exact", "family", ["exact"]),
        (Invoice, "family__isnull", "family", ["isnull"]),
        (Invoice, "family__name__icontains", "family__name", ["icontains"]),
        (OutgoingEmail, "body_text__regex", "body_text", ["regex"]),
        (OutgoingEmail, "statut", "", ["statut"]),  # not a field: a filter's own parameter
        (Invoice, "issued_at__year", "issued_at", ["year"]),
    ],
)
def test_a_lookup_reads_as_the_fields_it_follows_and_what_it_applies(model, lookup, path, applied):
    assert field_path(model, lookup) == (path, applied)
