from django.db import migrations

from portail.lib.migrations import grant_permissions

GRANTS = {
    "Comptabilité": [("children", "view_child"), ("children", "view_school")],
    "Enfance Jeunesse": [
        ("children", "view_child"),
        ("children", "add_child"),
        ("children", "change_child"),
        ("children", "view_school"),
        ("children", "add_school"),
        ("children", "change_school"),
    ],
}


def grant(apps, schema_editor):
    grant_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("children", "0001_initial"), ("accounts", "0002_staff_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
