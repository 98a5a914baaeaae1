from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="CronLock",
            fields=[
                (
                    "name",
                    models.CharField(
                        max_length=100, primary_key=True, serialize=False, verbose_name="commande"
                    ),
                ),
                ("holder", models.CharField(max_length=200, verbose_name="détenteur")),
                ("acquired_at", models.DateTimeField(verbose_name="pris le")),
                ("expires_at", models.DateTimeField(verbose_name="expire le")),
            ],
            options={
                "verbose_name": "verrou de tâche planifiée",
                "verbose_name_plural": "verrous de tâches planifiées",
            },
        ),
    ]
