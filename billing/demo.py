"""The demo commune's billing, dated relative to today. Running it twice changes nothing.

One régie, « Régie enfance » (invoice numbers F…), bills the five demo activities with
realistic tariffs: the canteen by quotient brackets, the first one being « la cantine à
1 € », the garderies by the session, the ALSH by effort rate between a minimum and a
maximum. The past months of the school year get their bookings as attendance left them
(present, an excused day, a late cancellation, a child present without booking) and
their invoices, issued on the 1st of the next month as the cron would have.

CESU are accepted for the garderies, and for the ALSH of children under 6; the régie has a
PayFiP client number in test mode (the simulator answers it). The MARTIN family paid its
oldest invoice by cheque (and the next one in cash when there are three), through the
cash desk's service, so its statement shows payments and its latest invoice is still to
be paid online.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from accounts.models import Family
from children.models import Child
from reservations.demo import _count as count_places  # the day counters agree with bookings
from reservations.demo import school_year_bounds
from reservations.models import Activity, Booking, Enrolment, Status, Unit
from reservations.rules import Context

from .invoicing import issue, month_bounds
from .models import (
    ChargeKind,
    Invoice,
    InvoiceKind,
    Method,
    Payment,
    Regie,
    RegieActivity,
    Tariff,
    TariffBracket,
    TariffMode,
)
from .payments import record_payment
from .receipts import send_receipt

D = Decimal
CANTEEN = "Restauration scolaire"
MORNING = "Garderie matin"
EVENING = "Garderie soir"
WEDNESDAYS = "ALSH mercredi"
HOLIDAYS = "ALSH vacances"
# activity → CESU age limit (0: any age); the canteen takes none.
CESU = {MORNING: 0, EVENING: 0, WEDNESDAYS: 6, HOLIDAYS: 6}


def _brackets(*prices, **fields) -> dict:
    return {"mode": TariffMode.BRACKETS, "brackets": prices, **fields}


def _effort(rate: str, minimum: str, maximum: str, **fields) -> dict:
    return {
        "mode": TariffMode.EFFORT_RATE,
        "effort_rate": D(rate),
        "minimum": D(minimum),
        "maximum": D(maximum),
        **fields,
    }


SESSION_FEES = {"unbooked_kind": ChargeKind.FIXED, "unbooked_value": D("1.00")}
DAY_FEES = {"late_cancel_kind": ChargeKind.PERCENT, "late_cancel_value": D("100")}

# (activity, unit) → tariff; brackets are (QF up to, price), None for the last one.
TARIFFS = {
    (CANTEEN, "Repas"): _brackets(
        ("450", "1.00"),  # « la cantine à 1 € »
        ("700", "2.35"),
        ("1000", "3.40"),
        (None, "4.60"),
        out_of_commune_price=D("6.20"),
        pai_price=D("1.50"),
        late_booking_kind=ChargeKind.FIXED,
        late_booking_value=D("1.00"),
        unbooked_kind=ChargeKind.PERCENT,
        unbooked_value=D("50"),
        late_cancel_kind=ChargeKind.PERCENT,
        late_cancel_value=D("100"),
    ),
    (MORNING, "Accueil du matin (7h30-8h20)"): _brackets(
        ("700", "0.90"), ("1000", "1.20"), (None, "1.50"), **SESSION_FEES
    ),
    (EVENING, "Soir jusqu'à 17h30"): _brackets(
        ("700", "1.20"), ("1000", "1.60"), (None, "2.00"), **SESSION_FEES
    ),
    (EVENING, "Soir jusqu'à 18h30"): _brackets(
        ("700", "1.80"), ("1000", "2.40"), (None, "3.00"), **SESSION_FEES
    ),
    (WEDNESDAYS, "Journée avec repas"): _effort("0.0200", "5.00", "18.00", **DAY_FEES),
    (WEDNESDAYS, "Matin avec repas"): _effort("0.0120", "3.00", "11.00", **DAY_FEES),
    (WEDNESDAYS, "Matin sans repas"): _effort("0.0080", "2.00", "7.00", **DAY_FEES),
    (WEDNESDAYS, "Après-midi sans repas"): _effort("0.0080", "2.00", "7.00", **DAY_FEES),
    (HOLIDAYS, "Journée avec repas"): _effort("0.0200", "5.00", "18.00", **DAY_FEES),
    (HOLIDAYS, "Matin sans repas"): _effort("0.0080", "2.00", "7.00", **DAY_FEES),
}

# The past months, as reservations.demo books the coming weeks: first name → [(activity,
# unit, weekdays)].
HISTORY = {
    "Léa": [(CANTEEN, "Repas", {0, 1, 3, 4}), (WEDNESDAYS, "Journée avec repas", {2})],
    "Hugo": [(CANTEEN, "Repas", {0, 1, 3, 4}), (EVENING, "Soir jusqu'à 17h30", {1, 3})],
    "Inès": [(CANTEEN, "Repas", {0, 3})],
    "Tom": [(CANTEEN, "Repas", {0, 3}), (MORNING, "Accueil du matin (7h30-8h20)", {0, 3})],
}
# What attendance made of a few days of the first month: (first name, activity, nth open
# day of that child in the month) → booking fields.
EVENTS = {
    ("Hugo", CANTEEN, 5): {"status": Status.EXCUSED},  # medical certificate accepted
    ("Inès", CANTEEN, 3): {"status": Status.LATE_CANCELLED},
    ("Tom", MORNING, 2): {"unbooked": True},  # came without booking
}


def _regie() -> Regie:
    regie, _ = Regie.objects.get_or_create(
        code="F",
        defaults={
            "name": "Régie enfance",
            "payee": "Régie enfance de Valmont-sur-Loire",
            "address": "Mairie, guichet Enfance-Jeunesse, 1 place de la Mairie",
            "payment_days": 30,
            "payfip_numcli": "123456",
            "payfip_saisie": "T",
        },
    )
    if not regie.payfip_numcli:  # a demo seeded before online payment
        regie.payfip_numcli, regie.payfip_saisie = "123456", "T"
        regie.save(update_fields=["payfip_numcli", "payfip_saisie"])
    billed = [CANTEEN, MORNING, EVENING, WEDNESDAYS, HOLIDAYS]
    for activity in Activity.objects.filter(name__in=billed):
        link, created = RegieActivity.objects.get_or_create(
            activity=activity, defaults={"regie": regie}
        )
        if created and activity.name in CESU:
            link.accepts_cesu = True
            link.cesu_age_limit = CESU[activity.name] or None
            link.save(update_fields=["accepts_cesu", "cesu_age_limit"])
    return regie


def _tariffs(start: date) -> None:
    units = {
        (unit.activity.name, unit.name): unit
        for unit in Unit.objects.select_related("activity").filter(
            activity__name__in={activity for activity, _ in TARIFFS}
        )
    }
    priced = set(Tariff.objects.values_list("unit_id", flat=True))
    for key, spec in TARIFFS.items():
        unit = units.get(key)
        if unit is None or unit.pk in priced:
            continue  # a unit staff priced already is left alone
        fields = dict(spec)
        brackets = fields.pop("brackets", ())
        tariff = Tariff.objects.create(unit=unit, valid_from=start, **fields)
        bulk_create_with_history(  # each bracket's history starts with its creation
            [
                TariffBracket(tariff=tariff, qf_max=D(bound) if bound else None, price=D(price))
                for bound, price in brackets
            ],
            TariffBracket,
        )


def _months(start: date, today: date) -> list[date]:
    """The months of the school year that are over."""
    months, month = [], start.replace(day=1)
    while month < today.replace(day=1):
        months.append(month)
        month = month_bounds(month)[1] + timedelta(days=1)
    return months


def _days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def _history(months: list[date]) -> None:
    """PRESENT bookings on the open days of the months that are over, where nobody booked
    (nor cancelled) yet; a few days of the first month as attendance changed them."""
    if not months:
        return
    children = {
        c.first_name: c
        for c in Child.objects.filter(
            family__name__in=["MARTIN", "DURAND"], first_name__in=list(HISTORY)
        )
    }
    enrolled = set(Enrolment.objects.validated().values_list("child_id", "activity__name"))
    units = {(u.activity.name, u.name): u for u in Unit.objects.select_related("activity")}
    ctx = Context.load(
        children=[], activities={u.activity for u in units.values()}, at=timezone.now()
    )
    first, last = months[0], month_bounds(months[-1])[1]
    existing = set(
        Booking.objects.filter(day__range=(first, last)).values_list(
            "child_id", "activity_id", "day"
        )
    )
    new = []
    for first_name, plan in HISTORY.items():
        child = children.get(first_name)
        for activity_name, unit_name, weekdays in plan:
            unit = units.get((activity_name, unit_name))
            if child is None or unit is None or (child.pk, activity_name) not in enrolled:
                continue
            days = [
                day
                for day in _days(first, last)
                if day.weekday() in weekdays and not ctx.closed_reason(unit.activity, day)
            ]
            first_month = [day for day in days if day <= month_bounds(first)[1]]
            changed = {
                first_month[nth - 1]: fields
                for (name, activity, nth), fields in EVENTS.items()
                if (name, activity) == (first_name, activity_name) and nth <= len(first_month)
            }
            new += [
                _booking(child, unit, day, {"status": Status.PRESENT, **changed.get(day, {})})
                for day in days
                if (child.pk, unit.activity_id, day) not in existing
            ]
    Booking.objects.bulk_create(new)
    for unit in {b.unit for b in new if b.unit.capacity}:
        count_places(unit, first, last)


def _booking(child, unit: Unit, day: date, fields: dict) -> Booking:
    made = timezone.make_aware(datetime.combine(day - timedelta(days=14), time(20, 30)))
    if fields["status"] == Status.LATE_CANCELLED:
        fields["cancelled_at"] = timezone.make_aware(datetime.combine(day, time(8, 0)))
    return Booking(
        child=child, unit=unit, activity=unit.activity, day=day, created_at=made, **fields
    )


def _issued_at(month: date) -> datetime:
    """6:00 on the 1st of the next month, as the cron would have run (never in the future)."""
    first = month_bounds(month)[1] + timedelta(days=1)
    return min(timezone.make_aware(datetime.combine(first, time(6, 0))), timezone.now())


def seed_billing(today: date | None = None) -> None:
    """After seed_reservations: the régie, its tariffs, the past months and their invoices."""
    today = today or timezone.localdate()
    start, _ = school_year_bounds(today)
    months = _months(start, today)
    with transaction.atomic():
        _regie()
        _tariffs(start)
        _history(months)
    for month in months:  # each invoice in its own transaction, as the cron does
        issue(month=month, at=_issued_at(month), workers=1)
    _payments()


def _payments() -> None:
    """MARTIN paid at the desk: the oldest invoice by cheque, the second in cash when a
    third one is left to pay; one invoice only: a part of it in cash. Once."""
    family = Family.objects.filter(name="MARTIN").first()
    if family is None or Payment.objects.filter(family=family).exists():
        return
    invoices = list(
        Invoice.objects.filter(family=family, kind=InvoiceKind.INVOICE)
        .select_related("regie")
        .order_by("issued_at", "pk")
    )
    now = timezone.now()
    paid = []
    if len(invoices) == 1:
        paid.append((invoices[0], Method.CASH, min(invoices[0].total, D("5.00"))))
    if len(invoices) >= 2:
        paid.append((invoices[0], Method.CHEQUE, invoices[0].total))
    if len(invoices) >= 3:
        paid.append((invoices[1], Method.CASH, invoices[1].total))
    for invoice, method, amount in paid:
        cheque = method == Method.CHEQUE
        payment = record_payment(
            regie=invoice.regie,
            family=family,
            method=method,
            amount=amount,
            received_at=min(invoice.issued_at + timedelta(days=9, hours=4), now),
            reference="3140592" if cheque else "",
            bank="Banque Postale" if cheque else "",
            invoices=[invoice],
        )
        send_receipt(payment, at=payment.received_at)  # the day it was paid, not today
