"""Who a broadcast, a news item or a form is for.

Messaging knows only "every family". Other apps register their own audiences (a school,
a class, an activity) from their AppConfig.ready(), without this app knowing them:

    audiences.register(Audience(key="school", label="Une école", choices=..., recipients=...,
                                values_for=...))

- choices() lists (value, label) pairs staff pick from;
- recipients(value) is a queryset of the recipient (family) ids in that audience;
- values_for(recipient_ids) maps each given family id to the values that include it, so
  that "what is published for this family" is one query per audience kind.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Q, QuerySet

ALL = "all"


@dataclass(frozen=True)
class Audience:
    key: str
    label: str
    choices: Callable[[], Iterable[tuple[str, str]]]
    recipients: Callable[[str], QuerySet]
    values_for: Callable[[int], Iterable[str]]


_registry: dict[str, Audience] = {}


def register(audience: Audience) -> None:
    _registry[audience.key] = audience


def get(key: str) -> Audience:
    return _registry[key]


def registered() -> list[Audience]:
    return list(_registry.values())


def recipient_model():
    return apps.get_model("accounts.Family")


def describe(kind: str, value: str) -> str:
    """A readable name of one audience, e.g. « Une école : École Jules-Ferry »."""
    audience = _registry.get(kind)
    if audience is None:
        return kind
    if kind == ALL:
        return audience.label
    labels = dict(audience.choices())
    return f"{audience.label} : {labels.get(value, value)}"


def recipients(kind: str, value: str) -> QuerySet:
    return get(kind).recipients(value)


def visible_to(recipient_id: int) -> Q:
    """A filter on models with audience_kind/audience_value: what this family may see."""
    condition = Q(audience_kind=ALL)
    for audience in registered():
        if audience.key == ALL:
            continue
        values = list(audience.values_for(recipient_id))
        if values:
            condition |= Q(audience_kind=audience.key, audience_value__in=values)
    return condition


register(
    Audience(
        key=ALL,
        label="Toutes les familles",
        choices=lambda: [("", "Toutes les familles")],
        recipients=lambda value: recipient_model().objects.values_list("pk", flat=True),
        values_for=lambda recipient_id: [""],
    )
)
