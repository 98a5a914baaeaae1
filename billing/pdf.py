"""The invoice (and credit note) PDF: an ordinary template rendered by WeasyPrint, made
once at issue and kept in the private storage.

`invoice_html(invoice)` is the HTML (a view may show it with `?html` to debug),
`render_invoice_pdf(invoice)` the PDF. `render_pending()` makes the PDF of every invoice
that has none yet — after an invoice run, or to finish one that was interrupted — on two
worker processes when there are many: the parent reads the invoices and renders their
HTML, the workers only turn HTML into PDF (billing.pdf_worker).
"""

from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from multiprocessing import get_context

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Prefetch, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from portail.lib.formats import day_list, euros, long_date, month_label

from . import pdf_worker
from .models import ZERO, Invoice, InvoiceLine, LineKind
from .queries import with_amounts

TEMPLATE = "billing/invoice_pdf.html"
POOL_FROM = 24  # fewer pending PDFs than this are made in-process: workers take ~1 s to start
BATCH = 100


def for_pdf(invoices: QuerySet[Invoice]) -> QuerySet[Invoice]:
    """What the PDF shows, in a constant number of queries for any number of invoices."""
    return with_amounts(
        invoices.select_related("regie", "family", "credited_invoice")
    ).prefetch_related(Prefetch("lines", queryset=InvoiceLine.objects.order_by("position")))


def _amounts(invoice: Invoice) -> tuple:
    if hasattr(invoice, "paid"):
        return invoice.paid, invoice.credited
    loaded = for_pdf(Invoice.objects.filter(pk=invoice.pk)).get()
    return loaded.paid, loaded.credited


def invoice_context(invoice: Invoice) -> dict:
    paid, credited = _amounts(invoice)
    children: dict[str, list[dict]] = {}
    for line in invoice.lines.all():
        children.setdefault(line.child_name, []).append(
            {
                "description": line.description,
                "days": day_list(line.days),
                "quantity": line.quantity,
                "unit_price": euros(line.unit_price),
                "amount": euros(line.amount),
                "exempt": line.kind == LineKind.EXEMPT,
            }
        )
    remaining = max(invoice.total - paid - credited, ZERO)
    regie = invoice.regie
    return {
        "invoice": invoice,
        "credit_note": invoice.is_credit_note,
        "commune_name": settings.COMMUNE_NAME,
        "commune_address": settings.COMMUNE_ADDRESS,
        "commune_phone": settings.COMMUNE_PHONE,
        "portal_url": settings.PORTAL_URL.rstrip("/"),
        "regie": regie,
        "payer_lines": invoice.payer_address.splitlines(),
        "period": month_label(invoice.period),
        "issued_on": long_date(timezone.localtime(invoice.issued_at).date()),
        "due_on": long_date(invoice.due_date),
        "children": list(children.items()),
        "total": euros(invoice.total),
        "paid": euros(paid),
        "credited": euros(credited) if credited else "",
        "remaining": euros(remaining),
        "credited_number": invoice.credited_invoice.number if invoice.credited_invoice else "",
    }


def invoice_html(invoice: Invoice) -> str:
    return render_to_string(TEMPLATE, invoice_context(invoice))


def _base_url() -> str:
    return str(settings.BASE_DIR)


def render_invoice_pdf(invoice: Invoice) -> bytes:
    return pdf_worker.html_to_pdf(invoice_html(invoice), _base_url())


def pdf_name(invoice: Invoice) -> str:
    return f"{invoice.number}.pdf"


def store_pdf(invoice: Invoice, content: bytes) -> bool:
    """Keep the PDF, unless another run kept one first (then ours is thrown away)."""
    field = invoice.pdf
    name = field.field.generate_filename(invoice, pdf_name(invoice))
    name = field.storage.save(name, ContentFile(content), max_length=field.field.max_length)
    if Invoice.objects.filter(pk=invoice.pk, pdf="").update(pdf=name):
        invoice.pdf.name = name
        return True
    field.storage.delete(name)
    return False


def _pending(ids: Iterable[int] | None) -> list[int]:
    invoices = Invoice.objects.filter(pdf="")
    if ids is not None:
        invoices = invoices.filter(pk__in=list(ids))
    return list(invoices.order_by("pk").values_list("pk", flat=True))


def _loaded(ids: list[int]) -> Iterator[Invoice]:
    for at in range(0, len(ids), BATCH):
        yield from for_pdf(Invoice.objects.filter(pk__in=ids[at : at + BATCH], pdf="")).order_by(
            "pk"
        )


def render_pending(*, ids: Iterable[int] | None = None, workers: int = 2) -> int:
    """Make and keep the PDF of every invoice without one (or of those given). Returns how
    many were kept."""
    pending = _pending(ids)
    if workers < 2 or len(pending) < POOL_FROM:
        return sum(store_pdf(invoice, render_invoice_pdf(invoice)) for invoice in _loaded(pending))
    return _render_in_pool(pending, workers)


def _render_in_pool(pending: list[int], workers: int) -> int:
    # forkserver: each worker starts from a fresh interpreter, not from a copy of this
    # process with its database connections and threads.
    context = get_context("forkserver")
    kept = 0
    base_url = _base_url()
    in_flight: dict[Future, Invoice] = {}
    with ProcessPoolExecutor(workers, mp_context=context, initializer=pdf_worker.warm_up) as pool:

        def collect(futures) -> int:
            return sum(store_pdf(in_flight.pop(f), f.result()) for f in futures)

        for invoice in _loaded(pending):
            future = pool.submit(pdf_worker.html_to_pdf, invoice_html(invoice), base_url)
            in_flight[future] = invoice
            if len(in_flight) >= 4 * workers:  # enough queued to keep every worker busy
                done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
                kept += collect(done)
        kept += collect(list(in_flight))
    return kept
