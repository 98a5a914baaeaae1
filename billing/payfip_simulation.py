"""What the portal answers the PayFiP simulator (settings.PAYFIP_SIMULATOR_PORTAL).

The simulator (payfip_simulator/portal.py) imports nothing of billing; it asks these two
questions, with `montant` in cents as PayFiP counts.
"""

from decimal import Decimal

from .models import Invoice, InvoiceKind, OnlineTransaction
from .queries import with_amounts

CENT = Decimal("0.01")


def payable(*, numcli: str, exer: str, refdet: str, montant: int) -> bool:
    """An invoice of a régie with this PayFiP client asks for exactly this amount: what
    `online.start()` is opening (its transaction row is not committed while it asks)."""
    if not exer.isdigit():
        return False
    invoices = Invoice.objects.filter(
        kind=InvoiceKind.INVOICE, number=refdet, year=int(exer), regie__payfip_numcli=numcli
    )
    return with_amounts(invoices).filter(remaining=montant * CENT).exists()


def opened(*, idop: str) -> bool:
    """The portal holds a transaction with this idOp (`online.confirm()` checks that PayFiP's
    answer matches it)."""
    return OnlineTransaction.objects.filter(idop=idop).exists()
