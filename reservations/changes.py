"""What a parent's submit asks for — (child, unit, day, action) choices — resolved on the
server and carried out through `services.book` and `services.cancel`.

Nothing from the browser is trusted beyond parsing: a child must be of the user's family
(any other id refuses the whole submit with a 404), a unit must be active, and every day
is decided by the rules, one day at a time.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.http import Http404
from django.utils import timezone

from children.models import Child
from portail.lib.formats import day_label

from . import services
from .models import Booking, Unit
from .month import Action, shared_reference, unit_label
from .rules import Context

MAX_CHOICES = 2000  # a school year of days for a few children: more is not a person


class BadChoices(ValueError):
    """A submit that cannot be understood: nothing is changed, the message says why."""


@dataclass(frozen=True)
class Choice:
    child_id: int
    unit_id: int
    day: date
    action: Action

    def encode(self) -> str:
        return f"{self.child_id}:{self.unit_id}:{self.day:%Y-%m-%d}:{self.action}"


def encode(child_id: int, unit_id: int, day: date, action: str) -> str:
    return Choice(child_id, unit_id, day, Action(action)).encode()


def parse(values: Iterable[str]) -> list[Choice]:
    """The checked boxes' values, « enfant:unité:AAAA-MM-JJ:action », or BadChoices."""
    values = list(values)
    if len(values) > MAX_CHOICES:
        raise BadChoices(
            f"Trop de jours cochés en une fois ({len(values)}) : {MAX_CHOICES} au plus. "
            "Rien n'a été modifié."
        )
    choices: dict[tuple[int, int, date], Choice] = {}
    for value in values:
        choice = _parse_one(value)
        key = (choice.child_id, choice.unit_id, choice.day)
        if key in choices and choices[key].action != choice.action:
            raise BadChoices(
                f"Le {_day(choice.day)} est à la fois à réserver et à annuler pour le même "
                "enfant : rien n'a été modifié."
            )
        choices[key] = choice
    return list(choices.values())


def _parse_one(value: str) -> Choice:
    try:
        child, unit, day, action = value.split(":")
        return Choice(int(child), int(unit), date.fromisoformat(day), Action(action))
    except ValueError:
        raise BadChoices(
            f"Choix illisible « {value[:60]} » : rien n'a été modifié. "
            "Rechargez la page et cochez à nouveau les jours."
        ) from None


@dataclass(frozen=True)
class Result:
    """One line of what a submit did, as the parent reads it (kept in the session)."""

    day: date
    child: str
    what: str
    done: bool
    message: str

    def as_dict(self) -> dict:
        return {
            "day": self.day.isoformat(),
            "child": self.child,
            "what": self.what,
            "done": self.done,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "Result":
        return cls(
            day=date.fromisoformat(data["day"]),
            child=data["child"],
            what=data["what"],
            done=bool(data["done"]),
            message=data["message"],
        )

    @property
    def day_label(self) -> str:
        return _day(self.day)


def _day(day: date) -> str:
    return day_label(day, year=True)


def family_children(family_id: int, child_ids: Iterable[int]) -> dict[int, Child]:
    """The family's children among `child_ids`; any other id is a 404 for the whole submit."""
    wanted = set(child_ids)
    children = {c.pk: c for c in Child.objects.filter(family_id=family_id, pk__in=wanted)}
    if wanted - children.keys():
        raise Http404("Enfant inconnu.")
    return children


def resolve_units(unit_ids: Iterable[int], active: list[Unit]) -> dict[int, Unit]:
    wanted = set(unit_ids)
    units = {unit.pk: unit for unit in active if unit.pk in wanted}
    if wanted - units.keys():
        raise BadChoices(
            "Une des activités demandées n'existe pas ou n'est plus proposée : "
            "rien n'a été modifié. Rechargez la page."
        )
    return units


def apply(*, family_id: int, choices: list[Choice], by, at: datetime | None = None) -> list[Result]:
    """Cancel, then book, what the choices ask; one result per (child, unit, day)."""
    at = at or timezone.now()
    children = family_children(family_id, {c.child_id for c in choices})
    # The active units and what every family shares, as the month page read them.
    reference = shared_reference()
    units = resolve_units({c.unit_id for c in choices}, reference.units)
    to_cancel = [c for c in choices if c.action is Action.CANCEL]
    to_book = [
        (children[c.child_id], units[c.unit_id], c.day) for c in choices if c.action is Action.BOOK
    ]
    return sorted(
        [
            *cancel(
                children=children,
                units=units,
                choices=to_cancel,
                by=by,
                at=at,
                shared=reference.shared,
            ),
            *book(items=to_book, by=by, at=at, shared=reference.shared),
        ],
        key=lambda r: (r.day, r.child, r.what),
    )


def _label(unit: Unit) -> str:
    return unit_label(unit, getattr(unit, "siblings", 1))


def book(
    *, items: list[tuple[Child, Unit, date]], by, at: datetime, shared: Context | None = None
) -> list[Result]:
    if not items:
        return []
    return [
        Result(o.day, o.child.first_name, _label(o.unit), o.done, o.message)
        for o in services.book(items=items, by=by, at=at, shared=shared)
    ]


def cancel(
    *,
    children: dict[int, Child],
    units: dict[int, Unit],
    choices: list[Choice],
    by,
    at,
    shared: Context | None = None,
) -> list[Result]:
    """Cancel the live bookings the choices name; a day with none says so."""
    if not choices:
        return []
    wanted = {(c.child_id, c.unit_id, c.day) for c in choices}
    bookings = [
        booking
        for booking in Booking.objects.live().filter(
            child__in=list(children.values()),
            unit__in=list(units.values()),
            day__in={c.day for c in choices},
        )
        if (booking.child_id, booking.unit_id, booking.day) in wanted
    ]
    for booking in bookings:  # the objects already loaded, for the service and the labels
        booking.child = children[booking.child_id]
        booking.unit = units[booking.unit_id]
    found = {(b.child_id, b.unit_id, b.day) for b in bookings}
    results = [
        Result(
            c.day,
            children[c.child_id].first_name,
            _label(units[c.unit_id]),
            False,
            "Aucune réservation à annuler ce jour-là",
        )
        for c in choices
        if (c.child_id, c.unit_id, c.day) not in found
    ]
    results += [
        Result(o.day, o.child.first_name, _label(o.unit), o.done, o.message)
        for o in services.cancel(bookings=bookings, by=by, at=at, shared=shared)
    ]
    return results
