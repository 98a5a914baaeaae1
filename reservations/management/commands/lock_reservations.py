from django.core.management.base import BaseCommand
from django.utils import formats

from portail.lib.locks import cron_lock
from reservations.freeze import freeze


class Command(BaseCommand):
    help = (
        "Fige les jours dont le délai de réservation est passé et enregistre le nombre de "
        "places transmis à la cuisine (cron, toutes les 15 minutes)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Affiche sans rien enregistrer.")

    def handle(self, *args, dry_run: bool = False, **options):
        with cron_lock("reservations.lock_reservations") as acquired:
            if not acquired:
                self.stdout.write("Un autre passage est en cours : rien à faire.")
                return
            frozen = freeze(dry_run=dry_run)
        for item in frozen:
            day = formats.date_format(item.day, "l j F Y")
            self.stdout.write(f"{item.unit} — {day} : {item.count}")
        verb = "seraient figés" if dry_run else "figé(s)"
        self.stdout.write(f"{len(frozen)} jour(s) {verb}.")
