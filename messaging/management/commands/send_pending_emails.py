from django.core.management.base import BaseCommand
from django.utils import timezone

from messaging.models import OutgoingEmail
from messaging.services import send_pending_emails
from portail.lib.locks import cron_lock


class Command(BaseCommand):
    help = "Envoie les e-mails en attente (cron, chaque minute) ; réessaie ceux en échec."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien envoyer.")

    def handle(self, *args, dry_run: bool = False, **options):
        if dry_run:
            due = OutgoingEmail.objects.due(timezone.now()).count()
            self.stdout.write(f"{due} e-mail(s) à envoyer (simulation : rien n'est envoyé).")
            return
        with cron_lock("messaging.send_pending_emails") as acquired:
            if not acquired:
                self.stdout.write("Un autre envoi est en cours : rien à faire.")
                return
            report = send_pending_emails()
        self.stdout.write(
            f"{report.sent} envoyé(s), {report.retried} à réessayer, "
            f"{report.abandoned} abandonné(s)."
        )
