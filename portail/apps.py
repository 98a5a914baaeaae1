from django.apps import AppConfig


class PortailConfig(AppConfig):
    name = "portail"
    verbose_name = "Portail Famille"

    def ready(self) -> None:
        # The admin has discovered every app's admin module by now (it comes first in
        # INSTALLED_APPS): each ModelAdmin, and any registered later, gets the guard
        # against hand-edited requests.
        from django.contrib import admin

        from . import axes_admin
        from .admin_guards import protect

        axes_admin.register(admin.site)
        protect(admin.site)
