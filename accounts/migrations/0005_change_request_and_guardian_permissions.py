"""Both services process the families' change requests and keep the guardians up to date."""

from django.db import migrations

from portail.lib.migrations import grant_permissions

GRANTS = {
    "Comptabilité": [
        ("accounts", "view_changerequest"),
        ("accounts", "change_changerequest"),
        ("accounts", "view_guardian"),
        ("accounts", "change_guardian"),
    ],
    "Enfance Jeunesse": [
        ("accounts", "view_changerequest"),
        ("accounts", "change_changerequest"),
        ("accounts", "view_guardian"),
        ("accounts", "add_guardian"),
        ("accounts", "change_guardian"),
    ],
}


def grant(apps, schema_editor):
    grant_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_records_guardians_change_requests")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
