"""What the staff groups may do with billing.

Comptabilité runs billing: régies, tariffs, invoices (credit notes are added as invoices),
payments. Enfance Jeunesse reads invoices, to answer families at the desk.
"""

from django.db import migrations

from portail.lib.migrations import grant_permissions

MODELS = [
    "regie",
    "regieactivity",
    "tariff",
    "tariffbracket",
    "invoice",
    "invoiceline",
    "payment",
    "allocation",
    "paymentreminder",
]
GRANTS = {
    "Comptabilité": [
        ("billing", f"{action}_{model}") for model in MODELS for action in ("view", "add", "change")
    ],
    "Enfance Jeunesse": [("billing", "view_invoice")],
}


def grant(apps, schema_editor):
    grant_permissions(apps, GRANTS)


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_paymentreminder")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
