"""How a model's rows belong to a province and to an agency: declared once on each model as `scope_paths`, read by
the one scope filter (`agencies.access.in_scope`). Kept apart from the access module so that models can import it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class ScopePaths:
    """`province`: the lookup of the province id ("province_id", "agency__province_id"), or a function of the
    province id returning a Q (rows of the province and national rows), or None when province roles see no row.
    `agency`: the lookup of the agency id, or a function of the agency id returning a Q (for rows the agency
    reaches through a relation, or only in some states), or None when agency roles see no row."""

    province: str | Callable[[int], Q] | None
    agency: str | Callable[[int], Q] | None
