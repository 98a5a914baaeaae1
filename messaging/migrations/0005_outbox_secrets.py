"""The outbox is read-only for every clerk: nobody edits a queued e-mail's recipient or body.

Reset e-mails queued before the flag existed are found by their link: they are marked as
secret, and those already sent lose their bodies, as the sending code now does.
"""

from django.db import migrations, models

from portail.lib.migrations import revoke_permissions

REVOKES = {
    "*": [
        ("messaging", "add_outgoingemail"),
        ("messaging", "change_outgoingemail"),
        ("messaging", "delete_outgoingemail"),
    ]
}


RESET_PATH = "/connexion/reinitialiser/"


def read_only_outbox(apps, schema_editor):
    revoke_permissions(apps, REVOKES)
    OutgoingEmail = apps.get_model("messaging", "OutgoingEmail")
    resets = OutgoingEmail.objects.filter(message__isnull=True, body_text__contains=RESET_PATH)
    resets.update(contains_secret=True)
    resets.filter(status="sent").update(body_text="", body_html="")


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0004_services_and_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AddField(
            model_name="outgoingemail",
            name="contains_secret",
            field=models.BooleanField(default=False, verbose_name="contient un lien personnel"),
        ),
        migrations.RunPython(read_only_outbox, migrations.RunPython.noop),
    ]
