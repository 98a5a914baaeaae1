from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildrenConfig(AppConfig):
    name = "children"
    verbose_name = _("Enfants")

    def ready(self) -> None:
        from . import audiences, health_access, sections

        audiences.register()
        health_access.register()
        sections.register()
