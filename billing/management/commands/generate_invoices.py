from datetime import date, datetime, timedelta

from django.core.management.base import CommandError
from django.utils import timezone

from billing.invoicing import draft, issue, month_bounds
from billing.models import ZERO, Invoice, InvoiceKind
from portail.lib.cron import CronCommand
from portail.lib.formats import euros, long_date, month_label


def parse_month(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"Mois « {value} » invalide : attendu AAAA-MM, ex. 2026-11.") from None


def previous_month(today: date) -> date:
    return date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)


class Command(CronCommand):
    help = (
        "Émet les factures d'un mois : une par famille et par régie, numérotées, avec leur "
        "PDF, et prévient les familles (cron, le 1er du mois). Relancée, elle ne refait rien."
    )
    dry_run_help = "Montre les totaux sans rien enregistrer."
    busy = "Une autre facturation est en cours : rien à faire."

    def add_options(self, parser) -> None:
        parser.add_argument(
            "--month", type=parse_month, help="Mois facturé, AAAA-MM (défaut : le mois dernier)."
        )
        parser.add_argument("--workers", type=int, default=2, help="Processus pour les PDF.")

    def check(self, *, month=None, **_) -> None:
        today = timezone.localdate()
        self.month = month or previous_month(today)
        end = month_bounds(self.month)[1]
        if end >= today:
            raise CommandError(
                f"{month_label(self.month)} n'est pas terminé : il se facture à partir du "
                f"{long_date(end + timedelta(days=1))}."
            )

    def run(self, *, dry_run: bool, workers: int = 2, **_):
        return issue(month=self.month, workers=workers)

    def report(self, report, *, dry_run: bool) -> None:
        for name, (count, total) in sorted(report.by_regie.items()):
            self.stdout.write(f"{name} : {count} facture(s), {euros(total)}")
        for unit in report.untariffed:
            self.stdout.write(f"Attention : « {unit} » n'a pas de tarif ce mois-ci : non facturé.")
        self.stdout.write(
            f"{month_label(self.month)} : {report.issued} facture(s) émise(s), "
            f"{report.already} déjà émise(s) ; "
            f"{report.pdfs} PDF, {report.notified} famille(s) prévenue(s)."
        )

    def preview(self, *, month=None, **_) -> None:
        month = month or previous_month(timezone.localdate())
        label = month_label(month)
        drafts = draft(month=month)
        by_regie: dict[str, list] = {}
        for item in drafts:
            by_regie.setdefault(item.regie.name, []).append(item)
        for name, items in sorted(by_regie.items()):
            total = sum((d.total for d in items), ZERO)
            self.stdout.write(f"{name} : {len(items)} famille(s), {euros(total)}")
        existing = Invoice.objects.filter(period=month, kind=InvoiceKind.INVOICE).count()
        self.stdout.write(
            f"{label} (simulation : rien n'est enregistré) : {len(drafts)} facture(s) ; "
            f"{existing} déjà émise(s) seront laissées telles quelles."
        )
