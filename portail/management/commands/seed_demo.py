from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from portail.demo import seed_demo, two_factor_lines


class Command(BaseCommand):
    help = "Charge la commune de démonstration (idempotent) et affiche les identifiants."

    def handle(self, *args, **options):
        logins = seed_demo()
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes. Identifiants :"))
        for login in logins:
            self.stdout.write(f"  {login.username:<8} / {login.password:<14} {login.role}")
        for line in two_factor_lines():
            self.stdout.write(line)
        if settings.DEBUG and settings.PORTAL_URL:
            page = settings.PORTAL_URL.rstrip("/") + reverse("messaging:dev_outbox")
            self.stdout.write(f"Courriels du portail (développement) — Courriels envoyés : {page}")
