from django.utils import formats

from portail.lib.cron import CronCommand
from reservations.freeze import freeze


class Command(CronCommand):
    help = (
        "Fige les jours dont le délai de réservation est passé et enregistre le nombre de "
        "places transmis à la cuisine (cron, toutes les 15 minutes)."
    )

    def run(self, *, dry_run: bool, **_):
        return freeze(dry_run=dry_run)

    def report(self, frozen, *, dry_run: bool) -> None:
        for item in frozen:
            day = formats.date_format(item.day, "l j F Y")
            self.stdout.write(f"{item.unit} — {day} : {item.count}")
        verb = "seraient figés" if dry_run else "figé(s)"
        self.stdout.write(f"{len(frozen)} jour(s) {verb}.")
