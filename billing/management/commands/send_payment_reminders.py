from billing.reminders import send_payment_reminders
from portail.lib.cron import CronCommand


class Command(CronCommand):
    help = (
        "Relance les familles dont une facture n'est pas payée à l'échéance : 7 puis 30 jours "
        "après, une fois par étape (cron, chaque jour)."
    )
    dry_run_help = "Affiche sans rien envoyer."

    def run(self, *, dry_run: bool, **_):
        return send_payment_reminders(dry_run=dry_run)

    def report(self, reminders, *, dry_run: bool) -> None:
        for reminder in reminders:
            invoice = reminder.invoice
            self.stdout.write(
                f"{invoice.number} — famille {invoice.family.name} — J+{reminder.step}"
            )
        verb = "seraient envoyée(s)" if dry_run else "envoyée(s)"
        self.stdout.write(f"{len(reminders)} relance(s) {verb}.")
