from django.core.management.base import BaseCommand

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
