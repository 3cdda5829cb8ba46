"""The kinds of consolidated report: one module each, registered in one place, and nothing else branches on them."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import get_template

from reports.kinds import KINDS, ReportKindSpec, kind_spec, register
from reports.models import PeriodKind, ReportingPeriod, ReportKind

ROOT = Path(__file__).resolve().parents[2]
MEMBER = re.compile(r"ReportKind\.(" + "|".join(member.name for member in ReportKind) + r")\b")


def test_every_stored_kind_has_one_module_and_nothing_else_is_registered():
    assert list(KINDS) == list(ReportKind.values)
    for code, spec in KINDS.items():
        assert spec.code == code
        assert type(spec).__module__ == f"reports.kinds.{code}"
        assert spec.label == ReportKind(code).label


@pytest.mark.parametrize("code", ReportKind.values)
def test_each_kind_names_templates_that_exist_and_an_annex_with_columns(code):
    spec = kind_spec(code)
    get_template(spec.body_template)
    get_template(spec.annex_template)
    assert spec.annex.columns and all(column.column.title for column in spec.annex.columns)


def test_a_kind_outside_the_stored_choices_is_refused():
    class Unknown(ReportKindSpec):
        code = "quarterly"

    with pytest.raises(LookupError):
        register(Unknown)
    assert "quarterly" not in KINDS


def test_only_the_kind_modules_branch_on_a_kind():
    """A new kind is one module: no other app module names a particular kind (the stored choices aside)."""
    offenders = []
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "tests/", "reports/kinds/")) or "/migrations/" in relative:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if MEMBER.search(line) and "default=" not in line:
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


@pytest.mark.parametrize(("code", "period_kind", "refused"), [
    (ReportKind.PROVINCIAL, PeriodKind.SIX_MONTH, False),
    (ReportKind.PROVINCIAL, PeriodKind.AD_HOC, False),
    (ReportKind.MINISTRY, PeriodKind.ANNUAL, False),
    (ReportKind.MINISTRY, PeriodKind.SIX_MONTH, True),
    (ReportKind.MINISTRY, PeriodKind.AD_HOC, True),
    (ReportKind.INSPECTION_SUMMARY, PeriodKind.ANNUAL, False),
    (ReportKind.INSPECTION_SUMMARY, PeriodKind.SIX_MONTH, True),
])
def test_the_period_each_kind_accepts(code, period_kind, refused):
    period = ReportingPeriod(kind=period_kind, year=2026)
    if refused:
        with pytest.raises(ValidationError) as error:
            kind_spec(code).period_check(period)
        assert list(error.value.message_dict) == ["period"]
        assert str(kind_spec(code).period_refusal) in error.value.message_dict["period"]
    else:
        kind_spec(code).period_check(period)


def test_who_signs_and_who_numbers():
    assert [code for code, spec in KINDS.items() if spec.signed_by_requester] == [
        ReportKind.PROVINCIAL, ReportKind.INSPECTION_SUMMARY]
    assert all(spec.numbered_in_portal for spec in KINDS.values())  # the Ministry's roll-up: no issuer here
    assert [code for code, spec in KINDS.items() if spec.national] == [ReportKind.NATIONAL]
