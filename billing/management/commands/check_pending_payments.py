from datetime import timedelta

from django.core.management.base import BaseCommand

from billing.online import check_pending
from portail.lib.locks import cron_lock


class Command(BaseCommand):
    help = (
        "Demande à PayFiP le résultat des paiements en ligne restés sans réponse (parent "
        "non revenu, notification perdue) et enregistre ceux qui sont payés (cron, toutes "
        "les 10 minutes)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Liste les paiements à vérifier sans rien demander.",
        )
        parser.add_argument(
            "--minutes",
            type=int,
            default=2,
            help="Ne vérifie que les paiements commencés depuis au moins ce délai (2 par défaut).",
        )

    def handle(self, *args, dry_run: bool = False, minutes: int = 2, **options):
        with cron_lock("billing.check_pending_payments") as acquired:
            if not acquired:
                self.stdout.write("Un autre passage est en cours : rien à faire.")
                return
            checked = check_pending(older_than=timedelta(minutes=minutes), dry_run=dry_run)
        for online in checked:
            state = "à vérifier" if dry_run else online.get_state_display().lower()
            self.stdout.write(f"{online.refdet} — {online.idop} — {online.amount} € — {state}")
        if dry_run:
            self.stdout.write(f"{len(checked)} paiement(s) seraient vérifiés.")
        else:
            still = sum(online.is_pending for online in checked)
            self.stdout.write(f"{len(checked)} paiement(s) vérifiés, {still} toujours en cours.")
