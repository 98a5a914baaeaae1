from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from portail.demo import foreign_data, seed_demo, two_factor_lines


class Command(BaseCommand):
    help = "Charge la commune de démonstration (idempotent) et affiche les identifiants."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Charger la démonstration même dans une base qui contient d'autres données.",
        )

    def handle(self, *args, force=False, **options):
        # The demo's staff logins have public passwords and second-factor keys: a
        # production database (DEBUG off, and any family or login the demo did not make) is
        # left alone. A developer's base (DEBUG on) takes the demo over what they added.
        if not (settings.DEBUG or force) and (found := foreign_data()):
            raise CommandError(
                "Cette base contient des données réelles ("
                + ", ".join(found)
                + ") : la démonstration n'y est pas chargée, car elle donnerait aux "
                "identifiants « admin » et « agent » des mots de passe publics. "
                "Utilisez une base à part, ou --force si c'est bien une base de démonstration."
            )
        logins = seed_demo()
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes. Identifiants :"))
        for login in logins:
            self.stdout.write(f"  {login.username:<8} / {login.password:<14} {login.role}")
        for line in two_factor_lines():
            self.stdout.write(line)
        if settings.DEBUG and settings.PORTAL_URL:
            page = settings.PORTAL_URL.rstrip("/") + reverse("messaging:dev_outbox")
            self.stdout.write(f"Courriels du portail (développement) — Courriels envoyés : {page}")
