"""The seed's two services, and the staff groups' permissions on the new models."""

from django.db import migrations

from portail.lib.migrations import grant_permissions

MODELS = [
    "service",
    "thread",
    "threadpost",
    "postattachment",
    "news",
    "formdocument",
    "familydocument",
    "broadcast",
]
STAFF = [
    ("messaging", f"{action}_{model}") for model in MODELS for action in ("view", "add", "change")
]
GRANTS = {"Comptabilité": STAFF, "Enfance Jeunesse": STAFF}


def create(apps, schema_editor):
    Service = apps.get_model("messaging", "Service")
    for position, name in enumerate(["Comptabilité", "Enfance Jeunesse"]):
        Service.objects.get_or_create(name=name, defaults={"position": position})
    grant_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0003_contact_publications_uploads"),
        ("messaging", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
