"""Overdue has one definition (`audits.models.finding_overdue_on`): open past its due date once the inspection
record is signed, the day the agency is given its findings. The findings board, its overdue list, the API's
`overdue` filter, a finding's own badge and the dashboard's chart read it alike; the board counted a finding of a
record not yet signed (with a due date set in the draft) as overdue while the dashboard did not."""

from datetime import date

import pytest
from django.utils import timezone

from audits import services
from audits.dashboard import findings_over_time
from audits.models import Finding
from audits.selectors import board_findings, findings_board
from tests.audits.conftest import SIGNED_ON, build_world

pytestmark = pytest.mark.django_db


def overdue_everywhere(api, inspector, finding, today) -> dict:
    rows = findings_board(user=inspector, today=today)[0:100]
    listed = api.as_user(inspector).get("/api/v1/findings/", {"overdue": "true", "page_size": 200}).json()
    return {"dashboard": findings_over_time(user=inspector, today=today)[-1]["overdue"],
            "board": sum(row["overdue"] for row in rows),
            "board list": board_findings(user=inspector, today=today).overdue(today).count(),
            "api": int(finding.pk in {f["id"] for f in listed["results"]}),
            "badge": int(Finding.objects.get(pk=finding.pk).is_overdue_on(today))}


def test_a_finding_is_overdue_once_its_record_is_signed_and_alike_everywhere(api, cast):
    world = build_world(cast, sign=False)  # visited on 10/03/2026, the records still drafts
    inspector, finding = cast.users["ag_inspector"], world.findings["ag_stp"]
    services.finding_update(actor=inspector, finding=finding, data={"due_on": date(2026, 3, 31)},
                            today=date(2026, 3, 12))
    today = timezone.localdate()  # (the API reads today's date)
    assert today > date(2026, 3, 31)
    assert overdue_everywhere(api, inspector, finding, today) == dict.fromkeys(
        ("dashboard", "board", "board list", "api", "badge"), 0)
    assert not board_findings(user=inspector, today=today).filter(pk=finding.pk).exists()  # a draft: not on it

    services.record_sign(actor=inspector, inspection=finding.inspection, signed_on=SIGNED_ON,
                         data={"agency_representative": "Trần Văn Hùng"}, today=SIGNED_ON)
    assert Finding.objects.get(pk=finding.pk).record_signed
    assert overdue_everywhere(api, inspector, finding, today) == dict.fromkeys(
        ("dashboard", "board", "board list", "api", "badge"), 1)
