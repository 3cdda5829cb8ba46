from django.core.management import call_command
from django.utils import timezone

from audits.models import Finding, Inspection, InspectionPlan
from audits.selectors import plan_coverage
from devdata.demo.audits import seed_demo


def test_demo_plan_and_inspection(db):
    from devdata.demo.agencies import seed_demo as seed_agencies

    call_command("load_divisions", verbosity=0)
    seed_agencies()
    assert seed_demo() == []
    plan = InspectionPlan.objects.get(province__code=91, year=2026)
    assert plan.state == "in_progress" and plan.approval_number == "215/QĐ-UBND"
    coverage = plan_coverage(plan=plan)
    assert coverage.ok and coverage.total > 100 and coverage.on_site >= coverage.required_on_site
    stp = Inspection.objects.get(plan=plan, agency__short_code="STP")
    assert stp.form == "on_site" and stp.status == "signed" and stp.record.number == "01/BB-CCTDC"
    findings = list(Finding.objects.filter(inspection=stp).with_overdue(timezone.localdate()).order_by("number"))
    assert [f.status for f in findings] == ["open", "open"]
    assert [f.is_overdue for f in findings] == [True, False]
    counts = (InspectionPlan.objects.count(), Inspection.objects.count(), Finding.objects.count())
    assert seed_demo() == []
    assert (InspectionPlan.objects.count(), Inspection.objects.count(), Finding.objects.count()) == counts
