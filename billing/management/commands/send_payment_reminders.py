from django.core.management.base import BaseCommand

from billing.reminders import send_payment_reminders
from portail.lib.locks import cron_lock


class Command(BaseCommand):
    help = (
        "Relance les familles dont une facture n'est pas payée à l'échéance : 7 puis 30 jours "
        "après, une fois par étape (cron, chaque jour)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Affiche sans rien envoyer.")

    def handle(self, *args, dry_run: bool = False, **options):
        with cron_lock("billing.send_payment_reminders") as acquired:
            if not acquired:
                self.stdout.write("Un autre passage est en cours : rien à faire.")
                return
            reminders = send_payment_reminders(dry_run=dry_run)
        for reminder in reminders:
            invoice = reminder.invoice
            self.stdout.write(
                f"{invoice.number} — famille {invoice.family.name} — J+{reminder.step}"
            )
        verb = "seraient envoyée(s)" if dry_run else "envoyée(s)"
        self.stdout.write(f"{len(reminders)} relance(s) {verb}.")
