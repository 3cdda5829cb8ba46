"""A rule's predicate is written once, as a Django `Q` over named facts; `holds` reads the same `Q` in Python.

SQL evaluates the `Q` over the annotated facts of `facts.py` (`CASE WHEN <q> THEN true ELSE false`); `holds`
evaluates it over a mapping of the same facts (stored with a checklist suggestion, say) with SQL's three-valued
logic: a comparison with NULL is unknown, NOT unknown is unknown, and an unknown verdict is "not met", as in the
CASE. Only the lookups the rules use are understood; any other one is refused rather than guessed.
"""

import operator
from collections.abc import Mapping

from django.db.models import F, Q

_COMPARE = {"exact": operator.eq, "gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}


def _value(value, facts: Mapping):
    return facts[value.name] if isinstance(value, F) else value


def _lookup(key: str, value, facts: Mapping) -> bool | None:
    name, _, lookup = key.partition("__")
    lookup = lookup or "exact"
    left, right = facts[name], _value(value, facts)
    if lookup == "isnull":
        return (left is None) == bool(right)
    if lookup == "exact" and value is None:  # Django turns `x=None` (not `x=F(y)` with y null) into `x IS NULL`
        return left is None
    if lookup == "in":
        return None if left is None else left in right
    if lookup not in _COMPARE:
        raise ValueError(f"lookup {lookup!r} is not understood by holds()")
    if left is None or right is None:
        return None
    return _COMPARE[lookup](left, right)


def _node(node, facts: Mapping) -> bool | None:
    if isinstance(node, Q):
        values = [_node(child, facts) for child in node.children]
        if node.connector == Q.AND:
            result = False if False in values else (None if None in values else True)
        else:
            result = True if True in values else (None if None in values else False)
        if node.negated:
            result = None if result is None else not result
        return result
    key, value = node
    return _lookup(key, value, facts)


def holds(predicate: Q, facts: Mapping) -> bool:
    """Whether `facts` satisfy `predicate`, as `CASE WHEN predicate THEN true ELSE false END` would say."""
    return _node(predicate, facts) is True
