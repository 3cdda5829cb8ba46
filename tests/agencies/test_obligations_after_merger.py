"""Yearly obligations after a merger (DOMAIN.md §3): next year's are proposed, and asked for before the year is
confirmed, for the agencies there that year (`agencies.selectors.there_in_year`, from `active_on`)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from agencies.models import Agency, AgencyObligation, ObligationLevel, SuccessionKind
from agencies.services import agency_succession_create, obligation_set, obligations_confirm, obligations_propose

pytestmark = pytest.mark.django_db


def test_next_years_obligations_leave_out_an_agency_merged_on_its_first_day(cast):
    """A merger recorded ahead for 01/01 next year: the agency is not there next year (`active_on` that day), so
    next year's obligations are not proposed for it, nor asked of it before the year can be confirmed; its successor
    is proposed as any agency that continues. A merger later in the year leaves the agency there for part of it: it
    keeps its obligation."""
    admin, province = cast.users["admin"], cast.provinces["ag"]
    agency_succession_create(actor=admin, predecessor=cast.agencies["ag_snv"], successor=cast.agencies["ag_stp"],
                             kind=SuccessionKind.MERGER, effective_date=date(2027, 1, 1), today=date(2026, 11, 20))
    agency_succession_create(actor=admin, predecessor=cast.agencies["ag_skhcn"], successor=cast.agencies["ag_ubnd"],
                             kind=SuccessionKind.MERGER, effective_date=date(2027, 7, 1), today=date(2026, 11, 20))
    assert Agency.objects.get(pk=cast.agencies["ag_snv"].pk).is_active  # not merged yet
    obligations_propose(actor=admin, province=province, year=2027)
    proposed = set(AgencyObligation.objects.filter(agency__province=province, year=2027)
                   .values_list("agency__name", flat=True))
    assert proposed == {"Ủy ban nhân dân tỉnh An Giang", "Sở Khoa học và Công nghệ", "Sở Tư pháp"}

    # the province confirms 2027 without an obligation for the agency that is gone by then
    AgencyObligation.objects.filter(agency=cast.agencies["ag_stp"], year=2027).delete()
    with pytest.raises(ValidationError, match="Sở Tư pháp"):
        obligations_confirm(actor=admin, province=province, year=2027)
    obligation_set(actor=admin, agency=cast.agencies["ag_stp"], year=2027, level=ObligationLevel.MANDATORY)
    assert obligations_confirm(actor=admin, province=province, year=2027).is_confirmed


def test_the_review_before_confirming_lists_an_agency_merged_on_1_january_as_dropped(cast):
    """The obligations page's review says what confirming asks: the agency merged on 1 January next year is not
    "still to decide" (confirming does not ask for it) but dropped, as an agency closed."""
    from agencies.selectors import obligation_changes

    admin, province = cast.users["admin"], cast.provinces["ag"]
    agency_succession_create(actor=admin, predecessor=cast.agencies["ag_snv"], successor=cast.agencies["ag_stp"],
                             kind=SuccessionKind.MERGER, effective_date=date(2027, 1, 1), today=date(2026, 11, 20))
    obligations_propose(actor=admin, province=province, year=2027)
    changes = obligation_changes(user=admin, province_id=province.pk, year=2027)
    assert [a.name for a in changes["unset"]] == []
    assert [a.name for a in changes["dropped"]] == ["Sở Nội vụ"]
    assert obligations_confirm(actor=admin, province=province, year=2027).is_confirmed
