"""Reads of the register, always scoped to the user."""

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from agencies.access import in_scope

from ..models import Procedure
from .models import DueLegalUpdate, DueStatus, LegalChange
from .verdicts import verdict_counts, with_verdicts


def legal_changes_visible(*, user) -> QuerySet[LegalChange]:
    return in_scope(LegalChange.objects.select_related("province"), user=user).distinct()


def legal_change_get(*, user, pk: int) -> LegalChange:
    return get_object_or_404(legal_changes_visible(user=user), pk=pk)


def due_updates_in_scope(*, user) -> QuerySet[DueLegalUpdate]:
    return in_scope(DueLegalUpdate.objects.all(), user=user)


def due_updates_visible(*, user, as_of: date) -> QuerySet[DueLegalUpdate]:
    queryset = DueLegalUpdate.objects.select_related("change", "agency", "agency__province")
    return with_verdicts(in_scope(queryset, user=user), as_of=as_of)


def due_update_get(*, user, pk: int, as_of: date) -> DueLegalUpdate:
    return get_object_or_404(due_updates_visible(user=user, as_of=as_of), pk=pk)


def due_updates_of_agency(*, user, agency_id: int, as_of: date) -> list[DueLegalUpdate]:
    """The agency's due updates, most urgent first, with the procedures they touch and the documents changed."""
    queryset = (due_updates_visible(user=user, as_of=as_of).filter(agency_id=agency_id)
                .prefetch_related(Prefetch("procedures", queryset=Procedure.objects.order_by("code")), "documents")
                .order_by("status", "due_on"))
    return list(queryset)


def change_summary(*, user, change: LegalChange, as_of: date) -> dict[str, int]:
    """Verdict counts of one change over the agencies the user may see."""
    return verdict_counts(in_scope(change.due_updates.all(), user=user), as_of=as_of)


def claims_awaiting(*, user) -> QuerySet[DueLegalUpdate]:
    return in_scope(DueLegalUpdate.objects.filter(status=DueStatus.CLAIMED), user=user)
