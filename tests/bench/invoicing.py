"""The monthly invoice run at the scale of a city: 10,000 families × 20 days of canteen.

The benchmark writes its own data in the bench database with a few INSERT … SELECT
(families, 1 or 2 children each, a PAI for some, the QF spread over the brackets or
missing, bookings with the statuses attendance leaves), in a month no demo reaches
(BENCH_MONTH), and keeps it between runs. Each run removes the month's invoices, then
measures:

- the data part of the run (`issue_invoices`: prices, numbers, lines) for every family:
  target < 60 s on a 2-core machine;
- the PDF of an invoice, in milliseconds, side by side in the same run with bare
  WeasyPrint rendering a comparable one-page document (the HTML of a sample invoice,
  already rendered): target ≤ 1.2 × bare in one process; then the same on the 2-worker
  pool, with the cores it kept busy.

Private files (the PDFs) go to a temporary folder.
"""

import os
import resource
import tempfile
import time
from datetime import date
from decimal import Decimal
from multiprocessing import forkserver
from statistics import median

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import override_settings

from accounts.models import Family
from billing.invoicing import draft, issue_invoices
from billing.models import (
    Invoice,
    InvoiceCounter,
    InvoiceLine,
    Regie,
    RegieActivity,
    Tariff,
    TariffBracket,
)
from billing.notices import notify_pending
from billing.pdf import invoice_html, render_pending
from billing.pdf_worker import html_to_pdf, warm_up
from children.models import Child, Health
from messaging.models import Message
from reservations.models import Activity, Booking, DeadlineRule, Pattern, RuleKind, Unit

from .load import Load

FAMILIES = int(os.environ.get("BENCH_INVOICING_FAMILIES", 10_000))
BENCH_MONTH = date(2099, 3, 1)  # far from any demo data: only the bench's bookings
DAYS = [date(2099, 3, d) for d in range(2, 32) if date(2099, 3, d).weekday() < 5][:20]
PREFIX = "BANC-FACT "
SAMPLE = int(os.environ.get("BENCH_INVOICING_SAMPLE", 200))
DATA_TARGET_S = 60
PDF_TARGET_RATIO = 1.2


# --- data ------------------------------------------------------------------------------


def _insert_select(model, source: str, exprs: dict[str, str], params: list | None = None) -> int:
    """INSERT INTO model's table SELECT exprs FROM source; every other column gets the
    field's default, so the rows look like the ORM's. (Modulo is written %% in the SQL.)"""
    columns, values, defaults = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.name in exprs:
            values.append(exprs[field.name])
        else:
            values.append("%s")
            defaults.append(field.get_db_prep_save(field.get_default(), connection))
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM {source}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*defaults, *(params or [])])
        return cursor.rowcount


def _setup() -> tuple[Regie, Unit]:
    rule, _ = DeadlineRule.objects.get_or_create(
        name="Sans délai (banc de facturation)", defaults={"kind": RuleKind.NONE}
    )
    activity, _ = Activity.objects.get_or_create(
        name="Restauration (banc de facturation)",
        defaults={"pattern": Pattern.SCHOOL_DAYS, "booking_rule": rule, "cancel_rule": rule},
    )
    unit, _ = Unit.objects.get_or_create(activity=activity, name="Repas", includes_meal=True)
    regie, _ = Regie.objects.get_or_create(
        code="BF", defaults={"name": "Régie banc de facturation", "payee": "Régie banc"}
    )
    RegieActivity.objects.get_or_create(activity=activity, defaults={"regie": regie})
    if not Tariff.objects.filter(unit=unit).exists():
        tariff = Tariff.objects.create(
            unit=unit,
            valid_from=date(2099, 1, 1),
            mode="brackets",
            pai_price=Decimal("1.50"),
            unbooked_kind="percent",
            unbooked_value=Decimal("50"),
            late_cancel_kind="percent",
            late_cancel_value=Decimal("100"),
        )
        for bound, price in [("450", "1.00"), ("700", "2.35"), ("1000", "3.40"), (None, "4.60")]:
            TariffBracket.objects.create(
                tariff=tariff, qf_max=Decimal(bound) if bound else None, price=Decimal(price)
            )
    return regie, unit


@transaction.atomic
def _families(unit: Unit) -> None:
    """The families, children, PAI and bookings, unless a previous run left them all."""
    if Family.objects.filter(name__startswith=PREFIX).count() == FAMILIES:
        return
    print(f"Writing {FAMILIES} families and their bookings (kept for the next runs)…")
    Booking.objects.filter(unit=unit).delete()
    Health.objects.filter(child__family__name__startswith=PREFIX).delete()
    Child.objects.filter(family__name__startswith=PREFIX).delete()
    Family.objects.filter(name__startswith=PREFIX).delete()
    _insert_select(
        Family,
        "generate_series(1, %s) AS i",
        {
            "name": f"'{PREFIX}' || lpad(i::text, 5, '0')",
            "address_line1": "i || ' rue des Essais'",
            "postal_code": "'45000'",
            "city": "'Valmont-sur-Loire'",
            "email": "'banc' || i || '@example.org'",
            # Spread over the brackets, with a bound exactly on some; one in ten has none.
            "quotient": "CASE WHEN i %% 10 = 0 THEN NULL ELSE (i * 37 %% 1400)::numeric END",
            "quotient_valid_from": "'2098-09-01'::date",
            "quotient_valid_until": "'2099-08-31'::date",
            "created_at": "now()",
        },
        [FAMILIES],
    )
    _insert_select(
        Child,
        "accounts_family f CROSS JOIN LATERAL generate_series(1, 1 + f.id %% 2) AS n "
        "WHERE f.name LIKE %s",
        {
            "family": "f.id",
            "first_name": "'Enfant ' || n",
            "last_name": "f.name",
            "birth_date": "'2090-01-01'::date + (n * 400)::int",
        },
        [f"{PREFIX}%"],
    )
    _insert_select(
        Health,
        "children_child c JOIN accounts_family f ON f.id = c.family_id "
        "WHERE f.name LIKE %s AND c.id %% 10 = 3",
        {"child": "c.id", "pai": "true"},
        [f"{PREFIX}%"],
    )
    status = (
        "CASE (c.id + d.n) %% 50 WHEN 0 THEN 'excused' WHEN 1 THEN 'absent' "
        "WHEN 2 THEN 'late_cancelled' ELSE 'present' END"
    )
    _insert_select(
        Booking,
        "children_child c JOIN accounts_family f ON f.id = c.family_id "
        "CROSS JOIN unnest(%s::date[]) WITH ORDINALITY AS d(day, n) WHERE f.name LIKE %s",
        {
            "child": "c.id",
            "activity": str(unit.activity_id),
            "unit": str(unit.pk),
            "day": "d.day",
            "status": status,
            "created_at": "now()",
            "unbooked": "(c.id * 7 + d.n) %% 97 = 0",
        },
        [DAYS, f"{PREFIX}%"],
    )


def _clean(regie: Regie) -> None:
    """Forget the invoices of a previous run: the month is invoiced afresh."""
    invoices = Invoice.objects.filter(regie=regie)
    Message.objects.filter(recipient__name__startswith=PREFIX).delete()
    InvoiceLine.objects.filter(invoice__in=invoices).delete()
    invoices.delete()
    InvoiceCounter.objects.filter(regie=regie).delete()


# --- measures --------------------------------------------------------------------------


def _cpu() -> float:
    """CPU seconds of this process and of the PDF workers: these are children of the
    forkserver process, which reaps them, so they are counted in its cutime/cstime."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    forkserver.ensure_running()
    with open(f"/proc/{forkserver._forkserver._forkserver_pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()  # from the 3rd field on
    workers = (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")
    return own.ru_utime + own.ru_stime + workers


def _timed(action):
    cpu, start = _cpu(), time.perf_counter()
    result = action()
    seconds = time.perf_counter() - start
    time.sleep(0.5)  # the forkserver reaps the workers that just stopped
    return result, seconds, _cpu() - cpu


def _bare(html: str, n: int) -> float:
    base_url = str(settings.BASE_DIR)
    start = time.perf_counter()
    for _ in range(n):
        html_to_pdf(html, base_url)
    return (time.perf_counter() - start) * 1000 / n


def run(config: Load) -> int:
    regie, unit = _setup()
    _clean(regie)
    _families(unit)
    bookings = Booking.objects.filter(unit=unit).count()
    print(
        f"{FAMILIES} families, {Child.objects.filter(family__name__startswith=PREFIX).count()} "
        f"children, {bookings} bookings over {len(DAYS)} days; {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.1f}."
    )

    drafts, draft_s, _ = _timed(lambda: draft(month=BENCH_MONTH))
    print(f"draft (prices only, nothing saved): {len(drafts)} invoices in {draft_s:.1f} s")
    report, data_s, _ = _timed(lambda: issue_invoices(month=BENCH_MONTH))
    verdict = "PASS" if data_s < DATA_TARGET_S else "ABOVE TARGET"
    print(
        f"data part (issue_invoices): {report.issued} invoices, {report.total} € in "
        f"{data_s:.1f} s — {data_s * 1000 / max(report.issued, 1):.2f} ms per invoice "
        f"(target < {DATA_TARGET_S} s: {verdict})"
    )

    ids = list(Invoice.objects.filter(regie=regie).order_by("pk").values_list("pk", flat=True))
    single_ids, pool_ids = ids[:SAMPLE], ids[SAMPLE : 2 * SAMPLE]
    with tempfile.TemporaryDirectory(prefix="portail-bench-pdf-") as private:
        storages = {
            **settings.STORAGES,
            "private": {
                "BACKEND": "messaging.storage.PrivateFileSystemStorage",
                "OPTIONS": {"location": private},
            },
        }
        with override_settings(STORAGES=storages):
            return _pdfs(single_ids, pool_ids)


def _pdfs(single_ids: list[int], pool_ids: list[int]) -> int:
    sample = Invoice.objects.get(pk=single_ids[0])
    html = invoice_html(sample)
    warm_up()
    # Side by side in short turns (bare, ours, bare, ours…): whatever else the machine
    # does weighs on both alike.
    per_round = 10
    rounds = len(single_ids) // per_round
    bare_ms, ours_ms = [], []
    for number in range(rounds):
        bare_ms.append(_bare(html, per_round))
        chunk = single_ids[number * per_round : (number + 1) * per_round]
        kept, seconds, _ = _timed(lambda chunk=chunk: render_pending(ids=chunk, workers=1))
        ours_ms.append(seconds * 1000 / kept)
    bare, ours = median(bare_ms), median(ours_ms)
    ratio = ours / bare
    verdict = "PASS" if ratio <= PDF_TARGET_RATIO else "ABOVE TARGET"
    print(
        f"PDF, one process: {ours:.1f} ms per invoice (median of {rounds} turns of "
        f"{per_round}, from "
        f"{min(ours_ms):.1f} to {max(ours_ms):.1f}); bare WeasyPrint on a comparable page "
        f"{bare:.1f} ms ({min(bare_ms):.1f} to {max(bare_ms):.1f}); "
        f"ratio {ratio:.2f} (target ≤ {PDF_TARGET_RATIO}: {verdict})"
    )

    kept, seconds, cpu = _timed(lambda: render_pending(ids=pool_ids, workers=2))
    pooled = seconds * 1000 / kept
    print(
        f"PDF, 2-worker pool: {pooled:.1f} ms per invoice wall-clock over {kept} invoices "
        f"(worker start-up included), {ours / pooled:.2f}× one process; "
        f"{cpu / seconds:.2f} cores busy on average"
    )
    month_s = FAMILIES * pooled / 1000
    print(f"  → the PDFs of a month of {FAMILIES} invoices: about {month_s / 60:.0f} min")

    told, seconds, _ = _timed(lambda: notify_pending())
    print(
        f"inbox message + e-mail: {seconds * 1000 / max(told, 1):.2f} ms per family "
        f"({told} families told, those with a PDF)"
    )
    return 0
