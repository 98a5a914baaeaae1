"""ChangeRequest is a portail.lib.decisions.Decision: who asked is `requested_by`, when is
`requested_at`. Columns are renamed, no row is touched."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_two_factor_devices_and_logout_events"),
    ]

    operations = [
        migrations.RenameField(
            model_name="changerequest", old_name="created_by", new_name="requested_by"
        ),
        migrations.RenameField(
            model_name="changerequest", old_name="created_at", new_name="requested_at"
        ),
        migrations.AlterField(
            model_name="changerequest",
            name="requested_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="demandée par",
            ),
        ),
        migrations.AlterModelOptions(
            name="changerequest",
            options={
                "ordering": ["-requested_at", "-pk"],
                "verbose_name": "demande de modification",
                "verbose_name_plural": "demandes de modification",
            },
        ),
    ]
