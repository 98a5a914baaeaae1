from .invoices import Invoice, InvoiceCounter, InvoiceKind, InvoiceLine, LineKind
from .payments import Allocation, Method, Payment
from .regies import ZERO, ChargeKind, Regie, RegieActivity, Tariff, TariffBracket, TariffMode

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
    "Regie",
    "RegieActivity",
    "Tariff",
    "TariffBracket",
    "TariffMode",
]
