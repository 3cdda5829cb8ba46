"""The scope's compliance figures (`qms.compliance_figures`: agencies counted in SQL by kind, stage, edition,
obligation and the rules they meet) give the same figures as the per-agency verdicts counted one by one, for the
nation and for a province of generated data: the dashboard's QMS overview, and the compliance page's summary under
every filter (a rule's included); the nation's groups are its provinces' added up."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from agencies.access import scope_of
from agencies.dashboard_figures import province_ids, province_reader
from agencies.models import Membership, Province, Role
from agencies.selectors import agencies_in_scope
from qms.compliance_figures import compliance_groups, compliance_summary, groups_added, shared_groups
from qms.dashboard import ACTIVITY, overview_of, qms_overview
from qms.models import Stage
from qms.rules import RULES, STARTED_STAGES, rules_met, summary_by_kind, with_compliance_facts
from qms.selectors import compliance_list

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


@pytest.fixture
def generated():
    call_command("generate_scale_data", seed=11, scale=0.01, no_analyze=True, verbosity=0)
    return [Membership.objects.filter(role=Role.MINISTRY).first().user,
            Membership.objects.filter(role=Role.INSPECTOR).first().user]


def test_overview_counts_equal_the_verdicts_of_every_agency(generated):
    today = timezone.localdate()
    readers = generated
    for user, at_least in zip(readers, (100, 5), strict=True):
        expected = counted_one_by_one(user, today)
        assert sum(expected["totals"].values()) > at_least and expected["met"] and expected["stages"]
        assert flattened(qms_overview(user=user, today=today)) == expected
    # the national dashboard adds up the provinces' groups (agencies.dashboard_figures): the same groups
    provinces = [compliance_groups(user=province_reader(pk), today=today) for pk in province_ids()]
    assert len([groups for groups in provinces if groups]) > 1
    nation = compliance_groups(user=readers[0], today=today)
    assert Counter(groups_added(provinces)) == Counter(nation) and len(groups_added(provinces)) == len(nation)
    assert overview_of(groups_added(provinces), as_of=today) == qms_overview(user=readers[0], today=today)


def test_compliance_summary_equals_the_summary_of_the_judged_list_under_every_filter(generated):
    today = timezone.localdate()
    ministry, inspector = generated
    nation = compliance_groups(user=ministry, today=today)
    own = Province.objects.get(pk=scope_of(inspector).province_id).code
    other = Province.objects.exclude(code=own).filter(agencies__isnull=False).first().code
    filters = [{}, {"kind": nation[0].kind}, {"province": own}, {"province": other}, {"mandatory_only": True},
               {"kind": nation[-1].kind, "mandatory_only": True, "province": own}, {"province": 999},
               *({"stage": stage} for stage in Stage.values), *({"rule": code} for code in RULES),
               {"rule": "legal_updates", "kind": nation[0].kind, "mandatory_only": True, "province": other}]
    for user in (ministry, inspector):
        for chosen in filters:
            expected = summary_by_kind(rules_met(compliance_list(user=user, today=today, **chosen)))
            rest = {key: value for key, value in chosen.items() if key != "province"}
            groups = compliance_groups(user=user, today=today, province=chosen.get("province"))
            assert compliance_summary(groups, **rest) == expected, (user, chosen)
            assert compliance_summary(shared_groups(user=user, province=chosen.get("province")), **rest) == expected
    # the filters select something, and some of them nothing
    assert compliance_summary(compliance_groups(user=ministry, province=other)) and compliance_summary(
        nation, stage=Stage.ANNOUNCED)
    assert compliance_summary(shared_groups(user=inspector, province=other)) == []
