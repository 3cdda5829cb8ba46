"""The period page's list of agency reports received counts what its completeness table counts as received: a
report the agency has started but never submitted is not received (the demo's An Giang annual period listed 99
"received" reports under a table saying 90 were received)."""

import pytest
from django.utils import timezone

from reports import selectors
from reports.models import AgencyReport

pytestmark = pytest.mark.django_db


def test_the_received_list_is_the_received_count(client, cast, reporting, agency_reports):
    submitted, draft = agency_reports["ag_stp"], agency_reports["ag_snv"]
    AgencyReport.objects.filter(pk=submitted.pk).update(status="submitted", first_submitted_at=timezone.now())
    period = reporting["ag"]
    client.force_login(cast.users["ag_leader"])
    page = client.get(f"/reports/periods/{period.pk}/").content.decode()
    assert f'href="/reports/agency/{submitted.pk}/"' in page
    assert f'href="/reports/agency/{draft.pk}/"' not in page
    listed = selectors.period_report_rows(user=cast.users["ag_leader"], period=period)
    assert [r.pk for r in listed] == [submitted.pk]
    assert len(listed) == selectors.completeness(period=period).total.received == 1
