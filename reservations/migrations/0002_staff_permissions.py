"""What the staff groups may do with activities, enrolments and bookings.

Enfance Jeunesse runs the service (set-up, enrolments, bookings, attendance);
Comptabilité reads bookings and enrolments, which invoices are made from.
"""

from django.db import migrations

from portail.lib.migrations import grant_permissions

MODELS = [
    "activity",
    "unit",
    "closure",
    "enrolment",
    "booking",
    "schoolyear",
    "deadlinerule",
    "daycount",
]
GRANTS = {
    "Enfance Jeunesse": [
        ("reservations", f"{action}_{model}")
        for model in MODELS
        for action in ("view", "add", "change")
    ],
    "Comptabilité": [
        ("reservations", "view_booking"),
        ("reservations", "view_enrolment"),
    ],
}


def grant(apps, schema_editor):
    grant_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("reservations", "0001_initial")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
