from datetime import date, datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from billing.invoicing import draft, issue, month_bounds
from billing.models import ZERO, Invoice, InvoiceKind
from portail.lib.formats import euros, long_date, month_label
from portail.lib.locks import cron_lock


def parse_month(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"Mois « {value} » invalide : attendu AAAA-MM, ex. 2026-11.") from None


def previous_month(today: date) -> date:
    return date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)


class Command(BaseCommand):
    help = (
        "Émet les factures d'un mois : une par famille et par régie, numérotées, avec leur "
        "PDF, et prévient les familles (cron, le 1er du mois). Relancée, elle ne refait rien."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--month", type=parse_month, help="Mois facturé, AAAA-MM (défaut : le mois dernier)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Montre les totaux sans rien enregistrer."
        )
        parser.add_argument("--workers", type=int, default=2, help="Processus pour les PDF.")

    def handle(self, *args, month=None, dry_run=False, workers=2, **options):
        today = timezone.localdate()
        month = month or previous_month(today)
        label = month_label(month)
        end = month_bounds(month)[1]
        if end >= today and not dry_run:
            raise CommandError(
                f"{label} n'est pas terminé : il se facture à partir du "
                f"{long_date(end + timedelta(days=1))}."
            )
        if dry_run:
            self._preview(month, label)
            return
        with cron_lock("billing.generate_invoices") as acquired:
            if not acquired:
                self.stdout.write("Une autre facturation est en cours : rien à faire.")
                return
            report = issue(month=month, workers=workers)
        for name, (count, total) in sorted(report.by_regie.items()):
            self.stdout.write(f"{name} : {count} facture(s), {euros(total)}")
        for unit in report.untariffed:
            self.stdout.write(f"Attention : « {unit} » n'a pas de tarif ce mois-ci : non facturé.")
        self.stdout.write(
            f"{label} : {report.issued} facture(s) émise(s), {report.already} déjà émise(s) ; "
            f"{report.pdfs} PDF, {report.notified} famille(s) prévenue(s)."
        )

    def _preview(self, month: date, label: str) -> None:
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
