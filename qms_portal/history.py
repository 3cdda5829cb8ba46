"""Field-level change history from django-simple-history, merged across models, newest first."""


import datetime

from django.core.exceptions import FieldDoesNotExist

HIDDEN_FIELDS = {"version", "search_text", "updated_at"}


def _plain(value):
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def _shown(field, value):
    """A value as people read it: a choice's label, a date as dd/mm/yyyy."""
    if value is None or value == "":
        return ""
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return _plain(value)


def _change(model, change) -> dict:
    try:
        field = model._meta.get_field(change.field)
    except FieldDoesNotExist:
        field = None
    return {"field": change.field, "label": str(field.verbose_name) if field is not None else change.field,
            "old": _plain(change.old), "new": _plain(change.new),
            "old_display": _shown(field, change.old), "new_display": _shown(field, change.new)}


def history_entries(*histories) -> list[dict]:
    """`histories` are historical-record querysets; one query each, whatever their size."""
    entries = []
    for history in histories:
        previous: dict = {}
        for record in history.select_related("history_user").order_by("history_date", "history_id"):
            prev = previous.get(record.id)
            changes = []
            if prev is not None:
                delta = record.diff_against(prev)
                changes = [_change(record.instance_type, c) for c in delta.changes if c.field not in HIDDEN_FIELDS]
            previous[record.id] = record
            entries.append({
                "object": record.instance_type._meta.model_name,
                "object_label": str(record.instance_type._meta.verbose_name),
                "object_id": record.id,
                "type": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                "date": record.history_date,
                "user": record.history_user.get_username() if record.history_user else None,
                "reason": record.history_change_reason or "",
                "changes": changes,
            })
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries
