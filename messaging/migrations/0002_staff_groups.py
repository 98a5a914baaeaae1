from django.db import migrations

from portail.lib.migrations import grant_permissions

STAFF = [
    ("messaging", "view_message"),
    ("messaging", "add_message"),
    ("messaging", "view_messageattachment"),
    ("messaging", "view_outgoingemail"),
    ("messaging", "change_outgoingemail"),
]
GRANTS = {"Comptabilité": STAFF, "Enfance Jeunesse": STAFF}


def grant(apps, schema_editor):
    grant_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial"), ("accounts", "0002_staff_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
