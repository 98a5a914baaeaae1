"""Enrolment and MedicalAbsence are portail.lib.decisions.Decision models: who asked is
`requested_by`, when is `requested_at` (indexed), the reason is a text. Columns are
renamed or widened, no row is touched."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reservations", "0005_history_of_rules"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name="enrolment", old_name="created_at", new_name="requested_at"
        ),
        migrations.AlterField(
            model_name="enrolment",
            name="requested_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="demandée le"
            ),
        ),
        migrations.AlterField(
            model_name="enrolment",
            name="reason",
            field=models.TextField(blank=True, verbose_name="motif du refus"),
        ),
        migrations.AlterModelOptions(
            name="enrolment",
            options={
                "ordering": ["-requested_at"],
                "verbose_name": "inscription",
                "verbose_name_plural": "inscriptions",
            },
        ),
        migrations.RenameField(
            model_name="medicalabsence", old_name="reported_by", new_name="requested_by"
        ),
        migrations.AlterField(
            model_name="medicalabsence",
            name="requested_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="signalée par",
            ),
        ),
        migrations.RenameField(
            model_name="medicalabsence", old_name="reported_at", new_name="requested_at"
        ),
        migrations.AlterField(
            model_name="medicalabsence",
            name="requested_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, verbose_name="signalée le"
            ),
        ),
        migrations.AlterField(
            model_name="medicalabsence",
            name="reason",
            field=models.TextField(blank=True, verbose_name="motif du refus"),
        ),
    ]
