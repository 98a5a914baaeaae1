"""The admin's « Historique » of an object, with the history of the rows of its inlines.

django-simple-history's page lists the versions of one object. A tariff's price lives in
its brackets, a régie's activities and an activity's units are edited in inlines: their
changes are listed on the parent's page too, below its own, each with who made it, when,
and the old and new values — so that « who changed this price? » has one page to read.
"""

from django.contrib.admin.utils import unquote
from django.forms.models import _get_foreign_key
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalChanges
from simple_history.template_utils import HistoricalRecordContextHelper

INLINE_ROWS_SHOWN = 200  # the latest changes of the inlines' rows, newest first


def _with_labels(model, records: list[HistoricalChanges]) -> None:
    """Set `label`, the row as it read then, reading the rows it names in one query each."""
    instances = [record.instance for record in records]
    for field in model._meta.concrete_fields:
        if not field.is_relation:
            continue
        ids = {getattr(instance, field.attname) for instance in instances} - {None}
        related = field.related_model._base_manager.in_bulk(ids)
        for instance in instances:
            row = related.get(getattr(instance, field.attname))
            if row is not None:
                setattr(instance, field.name, row)
    for record, instance in zip(records, instances, strict=True):
        record.label = str(instance)


def _with_deltas(model, records: list[HistoricalChanges]) -> list[HistoricalChanges]:
    """Set `history_delta_changes` on each record that follows an older one of its row."""
    older: dict = {}
    for record in reversed(records):  # oldest first
        previous = older.get(record.id)
        if previous is not None:
            delta = record.diff_against(previous, foreign_keys_are_objs=True)
            helper = HistoricalRecordContextHelper(model, record)
            record.history_delta_changes = helper.context_for_delta_changes(delta)
        older[record.id] = record
    return records


class HistoryWithInlinesAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose history page adds the history of its tracked inlines."""

    object_history_template = "admin/history_with_inlines.html"

    def inline_histories(self, object_id) -> list[dict]:
        sections = []
        for inline in self.inlines:
            model = inline.model
            manager_name = getattr(model._meta, "simple_history_manager_attribute", None)
            if manager_name is None:
                continue
            fk = _get_foreign_key(self.model, model, fk_name=inline.fk_name)
            records = list(
                getattr(model, manager_name)
                .filter(**{fk.attname: object_id})
                .select_related("history_user")
                .order_by("-history_date", "-history_id")[:INLINE_ROWS_SHOWN]
            )
            _with_labels(model, records)
            sections.append(
                {
                    "title": model._meta.verbose_name_plural,
                    "records": _with_deltas(model, records),
                }
            )
        return sections

    def history_view(self, request, object_id, extra_context=None):
        context = {"inline_histories": self.inline_histories(unquote(object_id))}
        return super().history_view(request, object_id, {**context, **(extra_context or {})})
