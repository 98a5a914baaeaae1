from portail.lib.cron import CronCommand
from reservations.services import promote_waitlists


class Command(CronCommand):
    help = (
        "Donne les places libérées aux enfants en liste d'attente, dans l'ordre d'arrivée "
        "(cron, toutes les 5 minutes)."
    )
    dry_run_help = "Compte sans rien changer."

    def run(self, *, dry_run: bool, **_):
        return promote_waitlists(dry_run=dry_run)

    def report(self, count: int, *, dry_run: bool) -> None:
        if dry_run:
            self.stdout.write(f"{count} place(s) seraient attribuées (simulation).")
        else:
            self.stdout.write(f"{count} place(s) attribuée(s) depuis la liste d'attente.")
