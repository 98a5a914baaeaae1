"""The monthly invoice run: one invoice per family, régie and month, from the bookings.

`draft(month=…)` computes what would be invoiced and saves nothing (the preview staff
check): `billing.invoicing.drafts`. `issue(month=…)` does it for real — numbers, frozen
lines and payer, PDFs, the families told, each phase resumable: `billing.invoicing.issuing`.
The numbers themselves come from `billing.numbering`.
"""

from .drafts import Draft, DraftLine, draft, month_bounds
from .issuing import IssueReport, issue, issue_invoices, payer_of, settle_with_credit

__all__ = [
    "Draft",
    "DraftLine",
    "IssueReport",
    "draft",
    "issue",
    "issue_invoices",
    "month_bounds",
    "payer_of",
    "settle_with_credit",
]
