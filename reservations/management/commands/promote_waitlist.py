from django.core.management.base import BaseCommand

from portail.lib.locks import cron_lock
from reservations.services import promote_waitlists


class Command(BaseCommand):
    help = (
        "Donne les places libérées aux enfants en liste d'attente, dans l'ordre d'arrivée "
        "(cron, toutes les 5 minutes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien changer.")

    def handle(self, *args, dry_run: bool = False, **options):
        with cron_lock("reservations.promote_waitlist") as acquired:
            if not acquired:
                self.stdout.write("Un autre passage est en cours : rien à faire.")
                return
            count = promote_waitlists(dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"{count} place(s) seraient attribuées (simulation).")
        else:
            self.stdout.write(f"{count} place(s) attribuée(s) depuis la liste d'attente.")
