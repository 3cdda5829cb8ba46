"""Field-level change history from django-simple-history, merged across models, newest first."""


def _plain(value):
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


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
                changes = [{"field": c.field, "old": _plain(c.old), "new": _plain(c.new)} for c in delta.changes]
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
