from datetime import timedelta

from billing.online import check_pending
from portail.lib.cron import CronCommand


class Command(CronCommand):
    help = (
        "Demande à PayFiP le résultat des paiements en ligne restés sans réponse (parent "
        "non revenu, notification perdue) et enregistre ceux qui sont payés (cron, toutes "
        "les 10 minutes)."
    )
    dry_run_help = "Liste les paiements à vérifier sans rien demander."

    def add_options(self, parser) -> None:
        parser.add_argument(
            "--minutes",
            type=int,
            default=2,
            help="Ne vérifie que les paiements commencés depuis au moins ce délai (2 par défaut).",
        )

    def run(self, *, dry_run: bool, minutes: int = 2, **_):
        return check_pending(older_than=timedelta(minutes=minutes), dry_run=dry_run)

    def report(self, checked, *, dry_run: bool) -> None:
        for online in checked:
            state = "à vérifier" if dry_run else online.get_state_display().lower()
            self.stdout.write(f"{online.refdet} — {online.idop} — {online.amount} € — {state}")
        if dry_run:
            self.stdout.write(f"{len(checked)} paiement(s) seraient vérifiés.")
        else:
            still = sum(online.is_pending for online in checked)
            self.stdout.write(f"{len(checked)} paiement(s) vérifiés, {still} toujours en cours.")
