from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayfipSimulatorConfig(AppConfig):
    name = "payfip_simulator"
    verbose_name = _("Simulateur PayFiP")
