"""Admin pages answer a request edited by hand with a French message, never with a 500.

Django's admin trusts a few values its own pages write and reads them before any form
could say they are wrong:

- the ids of the rows ticked for an action (`_selected_action`): « abc » makes the
  action's `pk__in` filter raise;
- the counts of each formset's management form (`units-INITIAL_FORMS=-1`,
  `…-TOTAL_FORMS=abc`): a negative count makes the formset index its forms backwards;
- the value of an autocomplete field (`?family=abc` on an add page, `activity=abc` in a
  posted inline): the widget looks the value up in the database to show its label;
- an add page's values in its address (`?booking_opens_at=abc`): a date widget formats them;
- `_to_field=abc`, a history page's id « abc »: Django's bare « Bad Request », or a 500;
- a private file (no public address by design, see messaging/storage.py): the file
  widget links to its `url()`.

`protect(site)` gives every ModelAdmin of the site, and each of its inlines, the mixin
below: the hidden values are checked first (a 400 page in French that says what was
unreadable, and nothing done); autocomplete widgets show nothing for a value that cannot
be an id (the form then says « Sélectionnez un choix valide »); an unreadable value in an
add page's address is left out, and the page says so; the file widget never links to a
private file; an action the user's groups do not allow is refused with a 403 instead
of Django's silent « Aucune action sélectionnée »; and a list filters only on what its
page offers.

That last one closes an oracle: Django's admin filters a list on any field of its model
named in the address (`?body_text__regex=^.*reinitialiser/MQ/[0-7]`), whatever the page
shows. Counting the rows of such lists, a clerk could read an outgoing reset link or
search a health value a bit at a time. A list here takes a lookup only on a field of its
`list_filter`, its `date_hierarchy`, or one its admin's own links use (`link_lookups`),
and only as an equality, a range, `in` or `isnull` — never a text search or a regex.
"""

from django.contrib import admin, messages
from django.contrib.admin import SimpleListFilter
from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IS_POPUP_VAR, TO_FIELD_VAR
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG
from django.contrib.admin.widgets import (
    AdminFileWidget,
    AutocompleteSelect,
    AutocompleteSelectMultiple,
)
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.template.response import TemplateResponse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

MANAGEMENT_COUNTS = ("-TOTAL_FORMS", "-INITIAL_FORMS", "-MIN_NUM_FORMS", "-MAX_NUM_FORMS")
# What a list's own filters write in its address (Django's field, date, boolean, choice,
# related and empty-field filters, and the date hierarchy): equalities, ranges, `in`,
# `isnull`, `isempty`, a year, a month, a day.
SAFE_LOOKUPS = {
    "exact",
    "in",
    "isnull",
    "isempty",
    "gte",
    "gt",
    "lte",
    "lt",
    "year",
    "month",
    "day",
}


# --- the checks ----------------------------------------------------------------------------


def _readable(field: models.Field, value) -> bool:
    try:
        field.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return False
    return True


def _model_field(model, name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _initial_readable(field, value) -> bool:
    if field.is_relation:
        if not field.concrete or field.related_model is None:
            return True
        target = field.target_field if field.many_to_one or field.one_to_one else None
        target = target or field.related_model._meta.pk
        values = value if isinstance(value, list) else [value]
        return all(_readable(target, v) for v in values if v != "")
    if value == "" or not field.concrete:
        return True
    return _readable(field, value)


def unreadable_selection(model: type[models.Model], data) -> str | None:
    """The first ticked row id that cannot be one of the model's ids."""
    pk = model._meta.pk
    return next((v for v in data.getlist(ACTION_CHECKBOX_NAME) if not _readable(pk, v)), None)


def field_path(model, lookup: str) -> tuple[str, list[str]]:
    """`family__id__exact` → (« family », [« exact »]): the fields a lookup follows (a
    relation's own id folded into it) and what it then applies to the last one."""
    path: list[str] = []
    parts = lookup.split(LOOKUP_SEP)
    for index, part in enumerate(parts):
        field = _model_field(model, part) if model is not None else None
        if field is None:
            return LOOKUP_SEP.join(path), parts[index:]
        if path and field.primary_key and part in ("id", "pk", model._meta.pk.name):
            return LOOKUP_SEP.join(path), parts[index + 1 :]  # family__id → family
        path.append(part)
        model = field.related_model if field.is_relation else None
    return LOOKUP_SEP.join(path), []


def offered_lookups(model_admin, request) -> set[str]:
    """The field paths a list's page itself filters on."""
    offered = {model_admin.date_hierarchy} if model_admin.date_hierarchy else set()
    offered |= set(getattr(model_admin, "link_lookups", ()))
    for item in model_admin.get_list_filter(request):
        if isinstance(item, type) and issubclass(item, SimpleListFilter):
            offered.add(item.parameter_name)
        elif isinstance(item, list | tuple):
            offered.add(item[0])
        else:
            offered.add(item)
    return offered


def _count(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() else None


def unreadable_management_form(data) -> str | None:
    """The first management-form count that is not a whole number, or INITIAL > TOTAL."""
    for key, value in data.items():
        if key.endswith(MANAGEMENT_COUNTS) and _count(value) is None:
            return f"{key}={value}"
        if key.endswith("-INITIAL_FORMS"):
            total = data.get(key.removesuffix("-INITIAL_FORMS") + "-TOTAL_FORMS", "")
            if _count(total) is not None and _count(value) > _count(total):
                return f"{key}={value}"
    return None


def bad_request(request, model_admin, *, what: str) -> TemplateResponse:
    opts = model_admin.model._meta
    return TemplateResponse(
        request,
        "admin/bad_request.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": _("Demande illisible"),
            "what": Truncator(what).chars(80),
            "opts": opts,
            "back_url": request.path,
        },
        status=400,
    )


def _posted_action(data) -> str | None:
    """The action a changelist POST runs, read as Django's response_action reads it."""
    try:
        index = int(data.get("index", 0))
    except ValueError:
        index = 0
    try:
        return data.getlist("action")[index]
    except IndexError:
        return None


# --- the widgets ---------------------------------------------------------------------------


def _ids_only(widget, value):
    remote = widget.field.remote_field
    to_field = remote.model._meta.get_field(
        getattr(remote, "field_name", None) or remote.model._meta.pk.name
    )
    return [v for v in value if _readable(to_field, v)]


class SafeAutocompleteSelect(AutocompleteSelect):
    """Shows nothing, rather than raising, for a value that cannot be an id."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _ids_only(self, value), attr)


class SafeAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _ids_only(self, value), attr)


class PrivateFileWidget(AdminFileWidget):
    """A private file has no public address: the widget never links to it (the page shows
    it through a view of its own, if any), it only offers to replace it."""

    def is_initial(self, value) -> bool:
        return False


def _is_private(storage) -> bool:
    return getattr(storage, "public_urls", True) is False


# --- the mixin -----------------------------------------------------------------------------


class FieldGuard:
    """For ModelAdmins and inlines alike: widgets that never raise on a hand-made value."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.FileField) and _is_private(db_field.storage):
            kwargs.setdefault("widget", PrivateFileWidget)
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class AdminGuard(FieldGuard):
    """For ModelAdmins: hidden values checked before Django reads them."""

    def get_inline_instances(self, request, obj=None):
        return [_guarded(inline) for inline in super().get_inline_instances(request, obj)]

    def _unreadable_to_field(self, request) -> str | None:
        to_field = request.POST.get(TO_FIELD_VAR, request.GET.get(TO_FIELD_VAR))
        if to_field and not self.to_field_allowed(request, to_field):
            return f"{TO_FIELD_VAR}={to_field}"
        return None

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        problem = self._unreadable_to_field(request)
        if request.method == "POST":
            problem = problem or unreadable_management_form(request.POST)
        if problem:
            return bad_request(request, self, what=problem)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_changeform_initial_data(self, request):
        """The add page's values given in its address (?family=12), minus those that
        cannot be a value of their field (?family=abc), which the page says it ignored."""
        initial = super().get_changeform_initial_data(request)
        ignored = []
        for name, value in list(initial.items()):
            field = _model_field(self.model, name)
            if field is not None and not _initial_readable(field, value):
                ignored.append(f"{name}={request.GET.get(name)}")
                del initial[name]
        if ignored:
            messages.warning(
                request,
                _("Valeur illisible ignorée dans l'adresse de la page : %(values)s.")
                % {"values": ", ".join(ignored)},
            )
        return initial

    def _missing(self, request, object_id: str):
        """What Django answers for an id that names no row: back to the index, with a message."""
        return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)

    def history_view(self, request, object_id, extra_context=None):
        if not _readable(self.opts.pk, unquote(object_id)):
            return self._missing(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # django-simple-history's page of one past version (its ModelAdmins only).
        history_pk = self.model.history.model._meta.pk
        if not _readable(self.opts.pk, unquote(object_id)) or not _readable(
            history_pk, unquote(version_id)
        ):
            return self._missing(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        if problem := self._unreadable_to_field(request):
            return bad_request(request, self, what=problem)
        if request.method == "POST" and (refused := self._check_changelist_post(request)):
            return refused
        try:
            response = super().changelist_view(request, extra_context)
        except DisallowedModelAdminLookup as refused:  # a filter the page does not offer
            lookup = str(refused).removeprefix("Filtering by ").removesuffix(" not allowed")
            what = f"filtre « {lookup} » que la page ne propose pas"
            return bad_request(request, self, what=what)
        redirect = getattr(response, "url", "") or ""
        if response.status_code == 302 and redirect.endswith(f"?{ERROR_FLAG}=1"):
            messages.warning(
                request,
                _(
                    "Un filtre ou une recherche de la liste est illisible : "
                    "la liste est affichée sans filtre."
                ),
            )
        return response

    def lookup_allowed(self, lookup, value, request=None):
        path, applied = field_path(self.model, lookup)
        # A field of the model: only those the page filters on, as its filters do.
        if path and (path not in offered_lookups(self, request) or set(applied) - SAFE_LOOKUPS):
            return False
        return super().lookup_allowed(lookup, value, request)

    def _check_changelist_post(self, request):
        data = request.POST
        if selected := unreadable_selection(self.model, data):
            return bad_request(request, self, what=f"{ACTION_CHECKBOX_NAME}={selected}")
        if problem := unreadable_management_form(data):
            return bad_request(request, self, what=problem)
        action = _posted_action(data)
        runs_action = "_save" not in data and ("index" in data or ACTION_CHECKBOX_NAME in data)
        if action and runs_action and IS_POPUP_VAR not in request.GET:
            declared = {name for _func, name, _desc in self._get_base_actions()}
            if action in declared and action not in self.get_actions(request):
                raise PermissionDenied  # an action the user's groups do not allow
        return None


_GUARDED: dict[type, type] = {}


def _guarded(model_admin):
    """The same ModelAdmin (or inline), with the guard's methods in front of its own."""
    if isinstance(model_admin, FieldGuard):
        return model_admin
    cls = type(model_admin)
    if cls not in _GUARDED:
        guard = AdminGuard if isinstance(model_admin, admin.ModelAdmin) else FieldGuard
        attrs = {"__module__": cls.__module__, "__qualname__": cls.__qualname__}
        _GUARDED[cls] = type(cls.__name__, (guard, cls), attrs)
    model_admin.__class__ = _GUARDED[cls]
    return model_admin


def protect(site: admin.AdminSite) -> None:
    """Give every ModelAdmin of the site the guard, now and when registered later (an app's
    ready() may register one after the admin's autodiscovery). A second call changes nothing."""
    for model_admin in site._registry.values():
        _guarded(model_admin)
    if getattr(site, "_guards_registrations", False):
        return
    register = site.register

    def register_guarded(model_or_iterable, admin_class=None, **options):
        register(model_or_iterable, admin_class, **options)
        for model_admin in site._registry.values():
            _guarded(model_admin)

    site.register = register_guarded
    site._guards_registrations = True
