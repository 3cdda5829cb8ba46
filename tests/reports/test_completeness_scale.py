"""Completeness at national scale: the page and the API cost the same queries for any number of agencies, the
light paths (plain values, direct JSON, contacts in two queries) give exactly what the model paths give."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from agencies.models import AgencyKind, ObligationLevel, Role
from qms.models import Stage
from reports import selectors
from reports.models import AgencyReport, AgencyReportStatus
from reports.serializers import CompletenessSerializer, completeness_data
from tests.factories import AgencyFactory, MembershipFactory, ObligationFactory, UserFactory

from .conftest import give_qms

pytestmark = pytest.mark.django_db


def _grow(period, *, today, n: int = 24) -> None:
    """`n` more agencies: on time, late, missing (each with two contacts), encouraged with or without a QMS."""
    late = timezone.now() + timedelta(days=period.deadline.toordinal() - today.toordinal() + 3)
    for i in range(n):
        agency = AgencyFactory(name=f"Xã {i:02d}", short_code=f"X{i:02d}", kind=AgencyKind.COMMUNE_PEOPLES_COMMITTEE,
                               province=period.province)
        level = ObligationLevel.ENCOURAGED if i % 6 in (4, 5) else ObligationLevel.MANDATORY
        ObligationFactory(agency=agency, year=period.year, level=level)
        if i % 2:
            give_qms(agency, today=today, stage=Stage.APPLYING, total=1, audit=False)
        if i % 3 == 0:
            AgencyReport.objects.create(period=period, agency=agency, status=AgencyReportStatus.SUBMITTED,
                                        first_submitted_at=late if i % 2 else timezone.now())
        else:
            for role in (Role.ISO_OFFICER, Role.AGENCY_HEAD):
                MembershipFactory(user=UserFactory(username=f"x{i:02d}_{role}", first_name="Văn", last_name=f"Lê {i}"),
                                  role=role, agency=agency, province=period.province)


def test_period_page_and_api_cost_the_same_queries_for_more_agencies(client, api, cast, reporting, agency_reports,
                                                                     today):
    period = reporting["ag"]
    # one report received from the start: the page lists the received reports (a page of them in both counts)
    AgencyReport.objects.filter(pk=agency_reports["ag_snv"].pk).update(status=AgencyReportStatus.SUBMITTED,
                                                                       first_submitted_at=timezone.now())
    client.force_login(cast.users["ag_inspector"])
    api_client = api.as_user(cast.users["ag_inspector"])
    page_url, api_url = f"/reports/periods/{period.pk}/", f"/api/v1/completeness/?period={period.pk}"
    client.get(page_url)  # the user's scope is looked up once, then cached
    api_client.get(api_url)
    with CaptureQueriesContext(connection) as page_few:
        assert client.get(page_url).status_code == 200
    with CaptureQueriesContext(connection) as api_few:
        few = api_client.get(api_url).json()

    _grow(period, today=today)
    with CaptureQueriesContext(connection) as page_many:
        page = client.get(page_url).content.decode()
    with CaptureQueriesContext(connection) as api_many:
        many = api_client.get(api_url).json()

    assert many["total"]["expected"] > few["total"]["expected"] + 15
    assert len(many["missing"]) > len(few["missing"]) + 10 and many["late"]
    assert len(page_many) == len(page_few) <= 20
    assert len(api_many) == len(api_few) <= 20
    # The rows are still all there, with their links, kinds in the reader's language and contacts.
    assert all(f'href="{reverse("agencies:detail", args=[row["id"]])}"' in page for row in many["missing"])
    assert '<td data-label="Kind">Commune People&#x27;s Committee</td>' in page  # the missing table, a card a row
    assert "Lê 1 Văn (Agency head)" in page  # family name first


def test_api_body_is_what_the_serializer_gives(cast, reporting, agency_reports, today):
    period = reporting["ag"]
    _grow(period, today=today, n=12)
    result = selectors.completeness(period=period)
    assert result.late_agencies and any(a.contacts for a in result.missing_agencies)
    through_serializer = CompletenessSerializer({
        "period": period, "total": result.total.as_dict(), "by_kind": [row.as_dict() for row in result.rows],
        "missing": [{"id": a.pk, "name": a.name, "kind": a.kind, "email": a.email, "phone": a.phone,
                     "contacts": a.contacts} for a in result.missing_agencies],
        "late": [{"id": a.pk, "name": a.name, "kind": a.kind} for a in result.late_agencies],
    }).data
    direct = completeness_data(period=period, result=result)
    assert JSONRenderer().render(direct) == JSONRenderer().render(through_serializer)  # keys in the same order too


def test_page_numbers_equal_those_of_the_model_instances(cast, reporting, agency_reports, today):
    """The page reads plain values; the reminders read model instances with their QMS record: same verdicts."""
    period = reporting["ag"]
    _grow(period, today=today)
    light = selectors.completeness(period=period, with_contacts=False)
    models = selectors.completeness_from_rows(selectors.period_agencies(period=period))
    assert [r.as_dict() for r in light.rows] == [r.as_dict() for r in models.rows]
    assert light.total.as_dict() == models.total.as_dict()
    assert [a.pk for a in light.missing_agencies] == [a.pk for a in models.missing_agencies]
    assert [a.pk for a in light.late_agencies] == [a.pk for a in models.late_agencies]
    # An encouraged agency counts only with its QMS applied, whichever path reads it.
    encouraged = {a.pk: a for a in selectors.period_agencies(period=period)
                  if a.obligation_level == ObligationLevel.ENCOURAGED}
    assert {selectors.is_expected(a) for a in encouraged.values()} == {True, False}
    for agency in encouraged.values():
        verdict = selectors.is_expected(agency)
        assert verdict == (agency.qms_stage == Stage.APPLYING)
        del agency.qms_stage  # without the annotation, the QMS record decides
        assert selectors.is_expected(agency) == verdict


def test_contacts_by_role_and_name_active_agency_staff_only(cast, reporting):
    agency = cast.agencies["ag_snv"]
    province = cast.provinces["ag"]
    for username, role, first, last, active in [
        ("snv_b", Role.ISO_OFFICER, "Bình", "Trần", True), ("snv_a", Role.ISO_OFFICER, "An", "Nguyễn", True),
        ("snv_head", Role.AGENCY_HEAD, "", "", True), ("snv_gone", Role.ISO_OFFICER, "Cũ", "Lê", False),
    ]:
        user = UserFactory(username=username, first_name=first, last_name=last, is_active=active)
        MembershipFactory(user=user, role=role, agency=agency, province=province)
    result = selectors.completeness(period=reporting["ag"])
    snv = next(a for a in result.missing_agencies if a.pk == agency.pk)
    assert [(c["name"], c["role"], c["email"]) for c in snv.contacts] == [
        ("snv_head", "Thủ trưởng cơ quan", "snv_head@example.invalid"),  # no name: the username
        ("Nguyễn An", "Cán bộ đầu mối ISO", "snv_a@example.invalid"),  # family name first
        ("Trần Bình", "Cán bộ đầu mối ISO", "snv_b@example.invalid"),
    ]
    stp = next(a for a in result.missing_agencies if a.pk == cast.agencies["ag_stp"].pk)
    assert {c["email"] for c in stp.contacts} == {"ag_officer@example.invalid", "ag_head@example.invalid"}
    ubnd = next(a for a in result.missing_agencies if a.pk == cast.agencies["ag_ubnd"].pk)
    assert ubnd.contacts == []  # the province's inspectors are not the agency's contacts


def test_completeness_is_three_queries_of_plain_values(cast, reporting, agency_reports, today):
    period = reporting["ag"]
    _grow(period, today=today, n=6)
    with CaptureQueriesContext(connection) as queries:
        result = selectors.completeness(period=period)
    assert len(queries) == 3  # the agencies with their facts, then the memberships and the users of the missing
    assert isinstance(result.missing_agencies[0], selectors.AgencyFacts)
