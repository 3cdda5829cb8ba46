"""The dashboard's QMS overview, counted in SQL by kind, stage and edition, equals the per-agency verdicts counted
one by one (what it did before it was grouped), for the nation and for a province of generated data; the nation's
overview is the sum of its provinces'."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from agencies.dashboard_figures import province_ids, province_reader
from agencies.models import Membership, Role
from agencies.selectors import agencies_in_scope
from qms.dashboard import ACTIVITY, overviews_added, qms_overview
from qms.rules import RULES, STARTED_STAGES, rules_met, with_compliance_facts

pytestmark = pytest.mark.django_db


def counted_one_by_one(user, today) -> dict:
    rows = rules_met(with_compliance_facts(agencies_in_scope(user=user).filter(is_active=True), today=today))
    codes = list(RULES)
    return {
        "totals": Counter(row.kind for row in rows),
        "stages": Counter((row.kind, row.stage) for row in rows),
        "editions": Counter((row.kind, row.edition) for row in rows if row.stage in STARTED_STAGES and row.edition),
        "met": Counter((code, row.kind) for row in rows for code in ACTIVITY if row.met[codes.index(code)]),
    }


def flattened(overview: dict) -> dict:
    return {
        "totals": Counter(overview["totals"]),
        "stages": Counter({(k, s): n for k, by in overview["stages"].items() for s, n in by.items() if n}),
        "editions": Counter({(k, e): n for k, by in overview["editions"].items() for e, n in by.items() if n}),
        "met": Counter({(c, k): n for c, by in overview["met"].items() for k, n in by.items() if n}),
    }


def test_overview_counts_equal_the_verdicts_of_every_agency():
    call_command("generate_scale_data", seed=11, scale=0.01, no_analyze=True, verbosity=0)
    today = timezone.localdate()
    readers = [Membership.objects.filter(role=Role.MINISTRY).first().user,
               Membership.objects.filter(role=Role.INSPECTOR).first().user]
    for user, at_least in zip(readers, (100, 5), strict=True):
        expected = counted_one_by_one(user, today)
        assert sum(expected["totals"].values()) > at_least and expected["met"] and expected["stages"]
        assert flattened(qms_overview(user=user, today=today)) == expected
    # the national dashboard adds up the provinces' overviews (agencies.dashboard_figures): the same figures
    provinces = [qms_overview(user=province_reader(pk), today=today) for pk in province_ids()]
    assert len([p for p in provinces if p["totals"]]) > 1
    assert overviews_added(provinces) == qms_overview(user=readers[0], today=today)
