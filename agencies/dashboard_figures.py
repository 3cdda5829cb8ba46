"""Dashboard figures shared per scope: a province's are computed over the province; the nation's are the sum of its
provinces', each kept under the province's own key (`qms_portal.panels.figures_each`).

So the national dashboard does not evaluate every agency of the country in a request: when its figures have expired
it reads the provinces' (one round trip to the cache) and adds them up, and the worker's warming task
(`dashboard_warming`) recomputes the provinces' figures once for both the province and the national dashboards.
When some province's figures are not kept either (no worker has run yet), the nation's are computed in one pass
over the country, which is several times cheaper than each province's in turn.
"""

from collections.abc import Callable

from qms_portal.panels import figures_cached, figures_each, figures_kept, figures_refreshing_now

from .access import Scope, scope_of
from .models import Province, Role


class ScopeReader:
    """The reader of the figures a whole scope shares, with no account behind it: the worker's warming task, and the
    national sum when a province's figures are not cached yet. It sees what the scope's readers see and may do what
    its role may (`access.can`); it is never a request's user."""

    is_authenticated = True

    def __init__(self, scope: Scope):
        self._qms_scope = scope


def province_reader(province_id: int) -> ScopeReader:
    return ScopeReader(Scope(Role.DEPARTMENT_LEADER, province_id=province_id))


def national_reader() -> ScopeReader:
    return ScopeReader(Scope(Role.MINISTRY))


def province_ids() -> list[int]:
    """Every province, current or not: a national figure counts every row of the country."""
    return list(Province.objects.order_by("pk").values_list("pk", flat=True))


def _province_key(name: str, province_id: int) -> str:
    return f"{name}:province:{province_id}"


def province_figures(name: str, *, user, province_id: int, compute: Callable):
    """The figures `name` of one province that `user` reads whole (a national reader, or the province's own), as
    `shared_figures` keeps them for that province; None for any other reader, whose scope the province's figures
    do not match."""
    scope = scope_of(user)
    if scope.is_national:
        return figures_cached(_province_key(name, province_id), lambda: compute(province_reader(province_id)))
    if scope.is_provincial and scope.province_id == province_id:
        return figures_cached(_province_key(name, province_id), lambda: compute(user))
    return None


def shared_figures(name: str, *, user, compute: Callable, combine: Callable):
    """The figures `name` of the user's scope: `compute(reader)` over a province (or the reader's own scope when it
    is neither a province nor the nation); for the nation, `combine([figures of each province])` in province
    order, or `combine([compute(user)])` when some province's are not kept. `compute` must give numbers and codes
    only (no labels), and `combine` of the provinces' figures the same as of the nation's: each app's tests hold
    both equal."""
    scope = scope_of(user)
    if scope.is_provincial:
        return figures_cached(_province_key(name, scope.province_id), lambda: compute(user))
    if not scope.is_national:
        return compute(user)

    def national():
        keys = {_province_key(name, pk): pk for pk in province_ids()}
        if figures_refreshing_now():  # the worker: every province recomputed and kept, then added up
            each = figures_each({key: (lambda pk=pk: compute(province_reader(pk))) for key, pk in keys.items()})
        else:
            each = figures_kept(list(keys))
            if len(each) < len(keys):  # not every province's kept: the nation in one pass
                return combine([compute(user)])
        return combine([each[key] for key in keys])

    return figures_cached(f"{name}:national", national)
