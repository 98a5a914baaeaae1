from .invoices import Invoice, InvoiceCounter, InvoiceKind, InvoiceLine, LineKind
from .payments import Allocation, Method, Payment
from .regies import ZERO, ChargeKind, Regie, RegieActivity, Tariff, TariffBracket, TariffMode
from .reminders import PaymentReminder

__all__ = [
    "ZERO",
    "Allocation",
    "ChargeKind",
    "Invoice",
    "InvoiceCounter",
    "InvoiceKind",
    "InvoiceLine",
    "LineKind",
    "Method",
    "Payment",
    "PaymentReminder",
    "Regie",
    "RegieActivity",
    "Tariff",
    "TariffBracket",
    "TariffMode",
]
