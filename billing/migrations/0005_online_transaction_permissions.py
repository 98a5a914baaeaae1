"""Comptabilité follows the online payments (and asks PayFiP again when one is stuck);
Enfance Jeunesse sees them too, to answer a family at the desk. Nobody edits them."""

from django.db import migrations

from portail.lib.migrations import grant_permissions

GRANTS = {
    "Comptabilité": [("billing", "view_onlinetransaction")],
    "Enfance Jeunesse": [("billing", "view_onlinetransaction")],
}


def grant(apps, schema_editor):
    grant_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_payments_online_cesu")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
