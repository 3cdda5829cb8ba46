"""The consolidated report's legal figures come from the register (issue 16): a decree for Sở Tư pháp and the
communes' People's Committees, one updated on time, one accepted as not applicable, the rest still within their 3
months: the report counts 1 on time, 1 not applicable and the rest pending, and prints those words."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from agencies.models import AgencyKind
from qms.legal.models import DueLegalUpdate
from qms.legal.services import (
    due_update_decide,
    due_update_declare_not_applicable,
    due_update_record,
    legal_change_compute_targets,
    legal_change_register,
)
from qms.models import Procedure
from reports.indicators import compute
from tests.factories import AgencyFactory, ObligationFactory

pytestmark = pytest.mark.django_db


def test_the_report_counts_the_registers_verdicts(cast):
    province, stp = cast.provinces["ag"], cast.agencies["ag_stp"]
    today = timezone.localdate()
    Procedure.objects.create(agency=stp, code="1.0001", name="Đăng ký khai sinh", field="Hộ tịch")
    communes = [AgencyFactory(province=province, kind=AgencyKind.COMMUNE_PEOPLES_COMMITTEE, short_code=f"X{n}")
                for n in range(3)]
    for commune in communes:
        ObligationFactory(agency=commune, year=today.year)
    change = legal_change_register(actor=cast.users["ag_inspector"], province_id=province.pk, data={
        "number": "20/2026/NĐ-CP", "title": "Sửa đổi thủ tục hộ tịch", "issuer": "Chính phủ",
        "issued_on": today - timedelta(days=40), "effective_on": today - timedelta(days=20),
        "procedure_fields": ["Hộ tịch"], "agency_kinds": [AgencyKind.COMMUNE_PEOPLES_COMMITTEE]})
    legal_change_compute_targets(change_id=change.pk)
    due_update_record(actor=cast.users["ag_officer"], due=DueLegalUpdate.objects.get(agency=stp),
                      updated_on=today, documents=[], note="Sửa quy trình hộ tịch.")
    first = DueLegalUpdate.objects.get(agency=communes[0])
    due_update_declare_not_applicable(actor=cast.users["admin"], due=first, reason="Xã không còn giải quyết hộ tịch.")
    due_update_decide(actor=cast.users["ag_inspector"], due=first, accept=True)

    figures = compute(agencies=province.agencies.all(), province_id=province.pk, year=today.year, as_of=today)
    assert (figures["legal_on_time"], figures["legal_not_applicable"], figures["legal_pending"]) == (1, 1, 2)
    assert figures["legal_none"] == 3  # the People's Committee and the other departments: owed nothing
    assert figures["legal_overdue"] == figures["legal_late"] == figures["legal_no_data"] == 0
    assert figures.text("legal_pending") == f"2/{figures['in_scope']} đơn vị, chiếm {round(200 / figures['in_scope'])}%"
    # As of the day before the decree was registered, the register was not yet in use: nothing is known.
    before = compute(agencies=province.agencies.all(), province_id=province.pk, year=today.year,
                     as_of=date(today.year, 1, 1))
    assert before["legal_on_time"] == before["legal_pending"] == 0
