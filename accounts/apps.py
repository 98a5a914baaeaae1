from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Familles et identifiants")

    def ready(self) -> None:
        # two_factor_admin comes after the admin's autodiscovery (django.contrib.admin is
        # ready first), which registered django-otp's device admins that it takes off.
        from . import (
            receivers,  # noqa: F401 — the staff's logins go to the security log
            sections,
            two_factor_admin,  # noqa: F401 — « Double authentification du personnel »
        )

        sections.register()
