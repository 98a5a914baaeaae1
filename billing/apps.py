from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Facturation")

    def ready(self) -> None:
        from reservations import prices

        from .month_prices import family_booking_prices

        prices.register(family_booking_prices)
