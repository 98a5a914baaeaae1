from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import SecurityEvent
from portail.lib.cron import CronCommand


def expired():
    days = settings.SECURITY_LOG_RETENTION_DAYS
    return SecurityEvent.objects.filter(at__lt=timezone.now() - timedelta(days=days))


class Command(CronCommand):
    help = (
        "Supprime les lignes du journal de sécurité plus anciennes que "
        "SECURITY_LOG_RETENTION_DAYS (cron, chaque nuit)."
    )
    dry_run_help = "Compte sans rien supprimer."

    def preview(self, **_) -> None:
        self.stdout.write(
            f"{expired().count()} ligne(s) de plus de {settings.SECURITY_LOG_RETENTION_DAYS} "
            "jours à supprimer (simulation : rien n'est supprimé)."
        )

    def run(self, *, dry_run: bool, **_) -> int:
        return expired().delete()[0]

    def report(self, deleted: int, *, dry_run: bool) -> None:
        days = settings.SECURITY_LOG_RETENTION_DAYS
        self.stdout.write(f"{deleted} ligne(s) de plus de {days} jours supprimée(s).")
