from .invoices import Invoice, InvoiceCounter, InvoiceKind, InvoiceLine, LineKind, Series
from .online import FINISHED, OnlineTransaction, TransactionState
from .payments import Allocation, Method, Payment
from .regies import (
    ZERO,
    ChargeKind,
    PayfipMode,
    Regie,
    RegieActivity,
    Tariff,
    TariffBracket,
    TariffMode,
)
from .reminders import PaymentReminder

__all__ = [
    "FINISHED",
    "ZERO",
    "Allocation",
    "ChargeKind",
    "Invoice",
    "InvoiceCounter",
    "InvoiceKind",
    "InvoiceLine",
    "LineKind",
    "Method",
    "OnlineTransaction",
    "Payment",
    "PaymentReminder",
    "PayfipMode",
    "Regie",
    "RegieActivity",
    "Series",
    "Tariff",
    "TariffBracket",
    "TariffMode",
    "TransactionState",
]
