"""Admin pages of logs and of records written only by the portal (ReadOnlyAdminMixin): even a
superuser may read them, never add, edit or delete a row there."""

import pytest
from django.contrib import admin
from django.urls import reverse

from portail.admin_mixins import ReadOnlyAdminMixin
from tests.accounts.clerks import superuser_client  # noqa: F401 — fixture

pytestmark = pytest.mark.django_db

READ_ONLY = sorted(
    model._meta.label
    for model, model_admin in admin.site._registry.items()
    if isinstance(model_admin, ReadOnlyAdminMixin)
)


def test_the_logs_and_the_portal_written_records_are_read_only():
    assert READ_ONLY == [
        "accounts.ChangeRequest",
        "accounts.SecurityEvent",
        "accounts.StaffSecondFactor",
        "children.HealthAccess",
        "messaging.OutgoingEmail",
        "reservations.Booking",
        "reservations.DayCount",
    ]


@pytest.mark.parametrize("label", READ_ONLY)
def test_a_superuser_reads_the_list_but_gets_no_add_page(superuser_client, label):  # noqa: F811
    app_label, model_name = label.lower().split(".")

    add_url = reverse(f"admin:{app_label}_{model_name}_add")

    listing = superuser_client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))

    assert listing.status_code == 200
    assert f'href="{add_url}"' not in listing.content.decode()
    assert superuser_client.get(add_url).status_code == 403
    assert superuser_client.post(add_url, {}).status_code == 403
