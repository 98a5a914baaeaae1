"""Health data has its own group; Enfance Jeunesse keeps authorised persons and consents.

« Données de santé » is added on top of a service group for the agents allowed to see
and correct allergies, diets, PAI… and to read who consulted them.
"""

from django.db import migrations

from portail.lib.migrations import grant_permissions

GRANTS = {
    "Données de santé": [
        ("children", "view_health"),
        ("children", "change_health"),
        ("children", "view_healthaccess"),
    ],
    "Enfance Jeunesse": [
        ("children", "view_authorisedperson"),
        ("children", "add_authorisedperson"),
        ("children", "change_authorisedperson"),
        ("children", "delete_authorisedperson"),
        ("children", "view_consents"),
        ("children", "add_consents"),
        ("children", "change_consents"),
    ],
}


def grant(apps, schema_editor):
    grant_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0003_health_authorised_persons_consents"),
        ("accounts", "0005_change_request_and_guardian_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
