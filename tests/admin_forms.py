"""Post an admin change page back as a browser would, with only the changes a test makes."""

from datetime import date, datetime
from decimal import Decimal


def _encode(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def change_form_data(response, **changes) -> dict:
    """The values the change page shows (main form, every inline and its management form)."""
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms += list(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif value is not None:
                data[key] = _encode(value)
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
