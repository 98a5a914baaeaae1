"""The two services of the town hall, as groups of staff with their permissions."""

from django.db import migrations

from portail.lib.migrations import grant_permissions

GRANTS = {
    "Comptabilité": [
        ("accounts", "view_family"),
        ("accounts", "view_user"),
    ],
    "Enfance Jeunesse": [
        ("accounts", "view_family"),
        ("accounts", "add_family"),
        ("accounts", "change_family"),
        ("accounts", "view_user"),
        ("accounts", "add_user"),
        ("accounts", "change_user"),
    ],
}


def create_groups(apps, schema_editor):
    grant_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
