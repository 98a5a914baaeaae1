from django.utils import timezone

from messaging.models import OutgoingEmail
from messaging.services import send_pending_emails
from portail.lib.cron import CronCommand


class Command(CronCommand):
    help = "Envoie les e-mails en attente (cron, chaque minute) ; réessaie ceux en échec."
    dry_run_help = "Compte sans rien envoyer."
    busy = "Un autre envoi est en cours : rien à faire."

    def preview(self, **_) -> None:
        due = OutgoingEmail.objects.due(timezone.now()).count()
        self.stdout.write(f"{due} e-mail(s) à envoyer (simulation : rien n'est envoyé).")

    def run(self, *, dry_run: bool, **_):
        return send_pending_emails()

    def report(self, report, *, dry_run: bool) -> None:
        self.stdout.write(
            f"{report.sent} envoyé(s), {report.retried} à réessayer, "
            f"{report.abandoned} abandonné(s)."
        )
