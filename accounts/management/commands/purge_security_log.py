from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import SecurityEvent
from portail.lib.locks import cron_lock


class Command(BaseCommand):
    help = (
        "Supprime les lignes du journal de sécurité plus anciennes que "
        "SECURITY_LOG_RETENTION_DAYS (cron, chaque nuit)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien supprimer.")

    def handle(self, *args, dry_run: bool = False, **options):
        days = settings.SECURITY_LOG_RETENTION_DAYS
        old = SecurityEvent.objects.filter(at__lt=timezone.now() - timedelta(days=days))
        if dry_run:
            self.stdout.write(
                f"{old.count()} ligne(s) de plus de {days} jours à supprimer "
                "(simulation : rien n'est supprimé)."
            )
            return
        with cron_lock("accounts.purge_security_log") as acquired:
            if not acquired:
                self.stdout.write("Un autre passage est en cours : rien à faire.")
                return
            deleted, _ = old.delete()
        self.stdout.write(f"{deleted} ligne(s) de plus de {days} jours supprimée(s).")
