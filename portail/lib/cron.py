"""What every cron command shares: `--dry-run`, one run at a time across hosts (a lock row,
`portail.lib.locks`), and a line saying so when another run holds the lock.

A command says what it does in `run(dry_run=…, **options)` and prints what it did in
`report(result, dry_run=…)`. A command whose preview needs no lock (counting the e-mails
due, drafting invoices) defines `preview(**options)`, which `--dry-run` calls instead. The
lock's name is `<app>.<command>`. Options come as Django passes them (verbosity and the
others included): take the ones you declared by name, and `**_` for the rest.
"""

from django.core.management.base import BaseCommand

from .locks import cron_lock


class CronCommand(BaseCommand):
    dry_run_help = "Affiche sans rien enregistrer."
    busy = "Un autre passage est en cours : rien à faire."

    @property
    def lock_name(self) -> str:
        app, _, _, command = self.__module__.split(".")  # <app>.management.commands.<name>
        return f"{app}.{command}"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=self.dry_run_help)
        self.add_options(parser)

    def add_options(self, parser) -> None:
        """The command's own options, beside --dry-run."""

    def handle(self, *args, dry_run: bool = False, **options):
        if dry_run and hasattr(self, "preview"):
            self.preview(**options)
            return
        self.check(**options)
        with cron_lock(self.lock_name) as acquired:
            if not acquired:
                self.stdout.write(self.busy)
                return
            result = self.run(dry_run=dry_run, **options)
        self.report(result, dry_run=dry_run)

    def check(self, **options) -> None:
        """Refuse (CommandError) what cannot run, before the lock is taken."""

    def run(self, *, dry_run: bool, **options):
        raise NotImplementedError

    def report(self, result, *, dry_run: bool) -> None:
        raise NotImplementedError
