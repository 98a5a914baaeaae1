from django.db import migrations

from portail.lib.migrations import grant_permissions

GRANTS = {
    "Enfance Jeunesse": [
        ("reservations", "view_medicalabsence"),
        ("reservations", "change_medicalabsence"),
    ],
    "Comptabilité": [("reservations", "view_medicalabsence")],
}


def grant(apps, schema_editor):
    grant_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("reservations", "0003_medicalabsence")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
