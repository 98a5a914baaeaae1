"""Every page of the admin, read from its registry and its URL patterns, never typed in.

`pages()` lists, for each registered ModelAdmin, its list, add, change, delete and history
pages, each custom view of its get_urls(), each action, and the autocomplete of each of
its autocomplete_fields, plus the admin's index and each app's index. A new ModelAdmin, a
new custom view or a new action joins the tests that walk this list on its own.

A custom URL's parameters are filled from the model's own row: `pk`, `object_id`, `id` and
`<model>_pk` with its primary key, `<name>_pk` with a row of the model its relation `<name>`
(or a related model whose name ends in `<name>`) points to — and when that row belongs to
the model (a message's attachment), the model's row is its parent. A parameter none of
these explains makes `pages()` fail with its name, so that no page is silently skipped.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import models
from django.urls import URLPattern, reverse
from django.utils.http import urlencode

# Admin URLs that are not pages to open: logging in or out, and Django's redirect to a
# public page of a model (none of ours has one).
NOT_PAGES = {"login", "logout", "view_on_site", "password_change_done"}

STANDARD = {"changelist", "add", "change", "delete", "history"}


@dataclass(frozen=True)
class Page:
    kind: str  # index, app, changelist, add, change, delete, history, version, custom,
    #            action, autocomplete, site
    url: str
    model_admin: admin.ModelAdmin | None = None
    name: str = ""  # the URL name, or the action's name
    method: str = "GET"
    data: dict = field(default_factory=dict)

    @property
    def model(self) -> type[models.Model] | None:
        return self.model_admin.model if self.model_admin else None

    @property
    def label(self) -> str:
        shown = f"{self.method} {self.url}"
        if self.kind == "action":
            shown += f" [action {self.name}]"
        return shown


class MissingRow(Exception):
    pass


def row_of(model: type[models.Model]) -> models.Model:
    obj = model._default_manager.order_by("pk").first()
    if obj is None:
        raise MissingRow(
            f"Aucune ligne de {model._meta.label} : ajoutez-en une dans tests/admin_data.py."
        )
    return obj


def _related_model(model, name: str):
    """The model a `<name>_pk` parameter of `model`'s custom URL names."""
    base = name.removesuffix("_pk")
    if base == model._meta.model_name:
        return model
    for relation in model._meta.get_fields():
        related = relation.related_model if relation.is_relation else None
        if related is not None and (
            relation.name == base or related._meta.model_name.endswith(base)
        ):
            return related
    return None


def _custom_url(model_admin, pattern: URLPattern, parameter_rows: dict) -> str:
    model = model_admin.model
    obj = row_of(model)
    if pattern.name in parameter_rows:
        return reverse(f"admin:{pattern.name}", kwargs=parameter_rows[pattern.name]())
    if pattern.pattern.regex.groups and not pattern.pattern.converters:
        # simple_history's « ^([^/]+)/history/([^/]+)/$ »: a row and one of its versions
        version = obj.history.order_by("history_id").first()
        return reverse(f"admin:{pattern.name}", args=[obj.pk, version.history_id])
    kwargs, own = {}, None
    for name in pattern.pattern.converters:
        if name in ("pk", "object_id", "id") or _related_model(model, name) is model:
            own = name
            continue
        related = _related_model(model, name)
        if related is None:
            raise KeyError(
                f"Paramètre « {name} » de admin:{pattern.name} : dites à la page qui "
                "l'essaie quelle ligne le remplit (PARAMETER_ROWS)."
            )
        row = row_of(related)
        kwargs[name] = row.pk
        # A row of the model's own (a message's attachment): the URL names its parent.
        for parent in related._meta.get_fields():
            if parent.many_to_one and parent.related_model is model:
                obj = getattr(row, parent.name)
    if own:
        kwargs[own] = obj.pk
    return reverse(f"admin:{pattern.name}", kwargs=kwargs)


def model_pages(model_admin, *, parameter_rows: dict) -> Iterator[Page]:
    opts = model_admin.model._meta
    prefix = f"{opts.app_label}_{opts.model_name}_"
    obj = row_of(model_admin.model)
    for pattern in model_admin.get_urls():
        if not isinstance(pattern, URLPattern) or pattern.name is None:
            continue  # the bare <object_id>/ redirect to <object_id>/change/
        suffix = pattern.name.removeprefix(prefix)
        if suffix in STANDARD:
            args = [] if suffix in ("changelist", "add") else [obj.pk]
            url = reverse(f"admin:{pattern.name}", args=args)
            yield Page(kind=suffix, url=url, model_admin=model_admin, name=pattern.name)
        else:
            url = _custom_url(model_admin, pattern, parameter_rows)
            kind = "version" if suffix == "simple_history" else "custom"
            yield Page(kind=kind, url=url, model_admin=model_admin, name=pattern.name)
            if pattern.name in PAGE_QUERIES:
                query = urlencode(PAGE_QUERIES[pattern.name]())
                yield Page(
                    kind=kind, url=f"{url}?{query}", model_admin=model_admin, name=pattern.name
                )
    changelist = reverse(f"admin:{prefix}changelist")
    for name in _action_names(model_admin):
        yield Page(
            kind="action",
            url=changelist,
            model_admin=model_admin,
            name=name,
            method="POST",
            data={"action": name, ACTION_CHECKBOX_NAME: [str(obj.pk)], "index": "0"},
        )
    for field_name in model_admin.autocomplete_fields:
        yield Page(
            kind="autocomplete",
            url=reverse("admin:autocomplete")
            + f"?app_label={opts.app_label}&model_name={opts.model_name}"
            f"&field_name={field_name}&term=a",
            model_admin=model_admin,
            name=f"autocomplete {opts.label}.{field_name}",
        )


def _action_names(model_admin) -> list[str]:
    """Every action the ModelAdmin declares (the site's delete_selected included)."""
    return [name for _function, name, _description in model_admin._get_base_actions()]


def site_pages(site=admin.site) -> Iterator[Page]:
    yield Page(kind="index", url=reverse("admin:index"), name="index")
    for label in sorted({model._meta.app_label for model in site._registry}):
        yield Page(kind="app", url=reverse("admin:app_list", args=[label]), name=label)
    for pattern in site.get_urls():
        if isinstance(pattern, URLPattern) and pattern.name not in (
            NOT_PAGES | {"index", "app_list", "autocomplete", None}
        ):
            yield Page(kind="site", url=reverse(f"admin:{pattern.name}"), name=pattern.name)


def _thread_attachment() -> dict:
    from messaging.models import PostAttachment

    attachment = row_of(PostAttachment)
    return {"thread_pk": attachment.post.thread_id, "attachment_pk": attachment.pk}


# The custom URLs whose parameters their model does not explain: {URL name: its kwargs}.
PARAMETER_ROWS = {"messaging_thread_attachment": _thread_attachment}


def _booked_day() -> dict:
    from reservations.models import Booking

    booking = row_of(Booking)
    return {"activity": booking.activity_id, "day": booking.day.isoformat()}


def _attended_day() -> dict:
    from reservations.models import Booking

    booking = row_of(Booking)
    return {"unit": booking.unit_id, "day": booking.day.isoformat()}


def _journal_month() -> dict:
    from billing.models import Payment

    payment = row_of(Payment)
    return {"mois": f"{payment.received_at:%Y-%m}", "regie": payment.regie_id}


# Custom pages that show rows only once their form is filled in: opened a second time with
# the query their form makes for a row of the data set (the day Léa is booked…).
PAGE_QUERIES = {
    "reservations_daily_list": _booked_day,
    "reservations_daily_list_csv": _booked_day,
    "reservations_daily_list_pdf": _booked_day,
    "reservations_attendance": _attended_day,
    "billing_payment_journal": _journal_month,
    "billing_payment_journal_csv": _journal_month,
}


def pages(*, site=admin.site) -> list[Page]:
    found = list(site_pages(site))
    for model_admin in site._registry.values():
        found += model_pages(model_admin, parameter_rows=PARAMETER_ROWS)
    return found
