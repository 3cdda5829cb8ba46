"""Field-level change history from django-simple-history, merged across models, newest first.

Bounded whatever the age of the file: each kind of record gives at most `limit` entries, in at most two queries
(the newest rows, then the older versions they are compared with) plus one per many-to-many field.
`recent_changes` is the one-query summary (no field values) for pages that only show the latest few.
"""

import datetime
from collections import defaultdict
from functools import cache

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import OuterRef, Subquery
from simple_history.utils import get_m2m_reverse_field_name

from .choices import value_label
from .dates import short_date
from .people import person_name, written_name

HIDDEN_FIELDS = {"version", "search_text", "updated_at"}
TYPES = {"+": "created", "~": "changed", "-": "deleted"}
DEFAULT_LIMIT = 200


def _plain(value):
    return value if value is None or isinstance(value, (str, int, float, bool)) else str(value)


def _shown(field, value):
    """A value as people read it: a choice's label, a date as dd/mm/yyyy."""
    if value is None or value == "":
        return ""
    if field is not None and field.choices:
        return str(value_label(field, value))
    if isinstance(value, datetime.date):
        return short_date(value)
    return _plain(value)


def _change(model, name, old, new) -> dict:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    return {"field": name, "label": str(field.verbose_name) if field is not None else name,
            "old": _plain(old), "new": _plain(new),
            "old_display": _shown(field, old), "new_display": _shown(field, new)}


def _m2m_members(history_model, fields, history_ids) -> dict:
    """{(field name, history id): sorted related ids}: one query per many-to-many field, not one per version."""
    members: dict = defaultdict(list)
    for field in fields:
        name = f"{history_model._meta.model_name}_{field.name}".lower()
        through = next(r.related_model for r in history_model._meta.related_objects
                       if r.related_model._meta.model_name == name)
        target = get_m2m_reverse_field_name(field)
        for history_id, related in (through.objects.filter(history_id__in=history_ids).order_by(target)
                                    .values_list("history_id", target)):
            members[(field.name, history_id)].append(related)
    return members


def _entries_of(history, limit: int) -> list[dict]:
    model = history.model
    older = model.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date")).order_by(
        "-history_date", "-history_id").values("history_id")[:1]
    rows = list(history.select_related("history_user").annotate(previous_id=Subquery(older))
                .order_by("-history_date", "-history_id")[:limit])
    by_id = {row.history_id: row for row in rows}
    missing = {row.previous_id for row in rows if row.previous_id and row.previous_id not in by_id}
    previous = {**by_id, **{row.history_id: row for row in model.objects.filter(history_id__in=missing)}}
    m2m_fields = list(getattr(model, "_history_m2m_fields", []))
    members = _m2m_members(model, m2m_fields, list(previous)) if m2m_fields else {}
    entries = []
    for record in rows:
        changes = []
        prev = previous.get(record.previous_id)
        if prev is not None:
            delta = record.diff_against(prev, excluded_fields=[f.name for f in m2m_fields])
            changes = [_change(record.instance_type, c.field, c.old, c.new) for c in delta.changes]
            for field in m2m_fields:
                old = members.get((field.name, prev.history_id), [])
                new = members.get((field.name, record.history_id), [])
                if old != new:
                    changes.append(_change(record.instance_type, field.name, ", ".join(map(str, old)),
                                           ", ".join(map(str, new))))
            changes = [c for c in changes if c["field"] not in HIDDEN_FIELDS]
        entries.append({
            "object": record.instance_type._meta.model_name,
            "object_label": str(record.instance_type._meta.verbose_name),
            "object_id": record.id,
            "type": TYPES[record.history_type],
            "date": record.history_date,
            "user": record.history_user.get_username() if record.history_user else None,
            # what the pages show: the person's name, family name first (the username is the API's "user")
            "person": person_name(record.history_user) or None,
            "reason": record.history_change_reason or "",
            "changes": changes,
        })
    return entries


def history_entries(*histories, limit: int = DEFAULT_LIMIT) -> list[dict]:
    """`histories` are historical-record querysets; the newest `limit` entries across them, with field changes."""
    entries = [entry for history in histories for entry in _entries_of(history, limit)]
    entries.sort(key=lambda e: e["date"], reverse=True)
    return entries[:limit]


@cache
def _recent_sql(sources: tuple[tuple[type, str], ...]) -> str:
    """The UNION ALL of `recent_changes` for these (historical model, owner field) pairs, written once per process
    from the models' metadata: building and compiling a dozen querysets cost more than running their union. Each
    branch takes its own newest rows first (the owner's and the date's indexes), so a long history is not sorted
    whole (each branch a subquery in FROM: SQLite refuses a parenthesised SELECT in a UNION). Parameters: (owner
    id, limit) per branch, then the limit."""
    quote = connection.ops.quote_name
    user = get_user_model()._meta
    username = quote(user.get_field(get_user_model().USERNAME_FIELD).column)
    last_name, first_name = quote(user.get_field("last_name").column), quote(user.get_field("first_name").column)
    branches = []
    for index, (model, owner) in enumerate(sources):
        meta = model._meta
        column = {name: quote(meta.get_field(name).column) for name in ("id", "history_user", owner)}
        branches.append(
            f"SELECT * FROM (SELECT {index} AS h_source, h.{column['id']} AS h_object, h.history_type, "
            f"h.history_date, COALESCE(u.{username}, '') AS h_user, COALESCE(u.{last_name}, '') AS h_last_name, "
            f"COALESCE(u.{first_name}, '') AS h_first_name, COALESCE(h.history_change_reason, '') AS h_reason "
            f"FROM {quote(meta.db_table)} h LEFT JOIN {quote(user.db_table)} u "
            f"ON u.{quote(user.pk.column)} = h.{column['history_user']} "
            f"WHERE h.{column[owner]} = %s ORDER BY h.history_date DESC LIMIT %s) AS branch{index}")
    return " UNION ALL ".join(branches) + " ORDER BY history_date DESC LIMIT %s"


def recent_changes(*sources: tuple[type, str, int | None], limit: int = 10) -> list[dict]:
    """The newest `limit` changes in one query (UNION ALL): what, when, who; no field values. `sources` are
    (historical model, owner field, owner id): the rows of that model whose field holds the id."""
    if not sources:
        return []
    sql = _recent_sql(tuple((model, owner) for model, owner, _ in sources))
    params = [value for _, _, owner_id in sources for value in (owner_id, limit)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        rows = cursor.fetchall()
    entries = []
    for source, object_id, history_type, date, username, last_name, first_name, reason in rows:
        model = sources[source][0].instance_type
        person = written_name(last_name, first_name, username)
        entries.append({"object": model._meta.model_name, "object_label": str(model._meta.verbose_name),
                        "object_id": object_id, "type": TYPES[history_type], "date": date,
                        "user": username or None, "person": person or None, "reason": reason, "changes": []})
    return entries
