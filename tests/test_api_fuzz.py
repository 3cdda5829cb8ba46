"""Property-based API tests: schemathesis generates requests from our OpenAPI schema and sends them to the live
test server with a token of each of the seven roles; no answer may be a server error, break the documented schema
or have a status the operation does not document.

The server holds a small world in both provinces (the inspection world of tests/audits: plans, decisions, signed
records, findings with evidence; a reporting period with agency reports and a consolidated report; a QMS file with
a record of every part), and path ids are drawn from those records as well as from the schema, so that the
requests reach real objects, in and out of the caller's scope, and not only 404.

Bounded for CI: FUZZ_EXAMPLES examples (default 2) per operation, role and generation mode (data that fits the
schema, and data that does not): 130 operations x 7 roles x 2 modes x 2 examples, about 3,600 requests. Run it
longer with e.g. FUZZ_EXAMPLES=10 when hunting.
"""

import os
import re
from datetime import date

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True)]

ROLES = ("ag_officer", "ag_head", "ag_inspector", "ag_leader", "ag_ubnd", "ministry", "admin")
SKIPPED = {"/api/v1/auth/token/"}  # throttled and locked out by design; covered by its own tests
PATH_PARAMETER = re.compile(r"([\w-]+)/\{(\w+)\}")


def _schema_dict():
    import json

    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


def _qms_file(agency, officer) -> dict[str, list[int]]:
    """A record of every part of the QMS file of `agency`, with a stored file on the announcement and document."""
    from qms import services as qms_services
    from qms.parts import PARTS
    from qms_portal.files import stored_bytes_create

    day = date(2025, 3, 3)
    values = {
        "announcements": {"kind": "first", "decision_number": "12/QĐ-STP", "decision_date": day, "signer": "Giám đốc",
                          "edition": "2015", "scope": "Toàn bộ thủ tục hành chính"},
        "procedures": {"code": "1.0001", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "covered": True},
        "documents": {"kind": "policy", "code": "CS-01", "title": "Chính sách chất lượng", "status": "in_force"},
        "legal-updates": {"legal_document": "Nghị định 30/2020/NĐ-CP", "effective_on": day},
        "internal-audits": {"held_on": day, "auditors": "Tổ đánh giá nội bộ", "nonconformities": 1},
        "management-reviews": {"held_on": day, "chair": "Giám đốc"},
        "corrective-actions": {"description": "Thiếu hồ sơ", "action": "Bổ sung", "owner": "Văn phòng",
                               "due_on": day},
        "complaints": {"received_on": day, "summary": "Chậm trả kết quả"},
        "improvements": {"done_on": day, "description": "Số hóa hồ sơ"},
        "trainings": {"held_on": day, "topic": "ISO 9001:2015", "attendees": 12},
    }
    ids = {}
    for slug, data in values.items():
        record = qms_services.qms_part_create(actor=officer, agency=agency, part=PARTS[slug], data=data, today=day)
        ids[slug] = [record.pk]
    pdf = stored_bytes_create(content=b"%PDF-1.4\n%%EOF\n", name="quyet-dinh.pdf", kind="pdf", actor=officer)
    for slug, field in (("announcements", "decision_file"), ("documents", "file")):
        model = PARTS[slug].model
        model.objects.filter(pk=ids[slug][0]).update(**{field: pdf})
    return ids


def _world(cast) -> dict[str, list[int]]:
    """The records the fuzzed requests may name, by the resource their id follows in the path."""
    from agencies.models import Province
    from audits.checklist_data import load_reference_data
    from audits.models import (
        AgencyChecklistAnswer,
        ChecklistItem,
        ChecklistVersion,
        FindingClass,
        FindingEvidence,
        InspectionDecision,
        PlanEntry,
        ReportRequest,
    )
    from reports import services as reports
    from reports.models import PeriodKind
    from tests.audits.conftest import build_world

    load_reference_data(ChecklistVersion=ChecklistVersion, ChecklistItem=ChecklistItem, FindingClass=FindingClass)
    world = build_world(cast, responded=True)
    periods = [reports.reporting_period_create(actor=None, province=cast.provinces[prefix], year=date.today().year,
                                               kind=PeriodKind.ANNUAL) for prefix in ("ag", "cb")]
    agency_reports = [reports.agency_report_create(actor=cast.users[f"{prefix}_officer"], period=period,
                                                   agency=cast.agencies[f"{prefix}_stp"])
                      for prefix, period in zip(("ag", "cb"), periods, strict=True)]
    consolidated, _created = reports.consolidated_report_request(actor=cast.users["ag_leader"], kind="provincial",
                                                                 period=periods[0])
    parts = _qms_file(cast.agencies["ag_stp"], cast.users["ag_officer"])
    evidence = [*FindingEvidence.objects.values_list("pk", flat=True),
                *AgencyChecklistAnswer.evidence.through.objects.values_list("storedfile_id", flat=True)]
    return {
        "agencies": [agency.pk for agency in cast.agencies.values()],
        "provinces": list(Province.objects.values_list("pk", flat=True)),
        "inspection-plans": [plan.pk for plan in world.plans.values()],
        "plan-entries": list(PlanEntry.objects.values_list("pk", flat=True)),
        "inspections": [inspection.pk for inspection in world.inspections.values()],
        "inspection-decisions": list(InspectionDecision.objects.values_list("pk", flat=True)),
        "report-requests": list(ReportRequest.objects.values_list("pk", flat=True)),
        "findings": [finding.pk for finding in world.findings.values()],
        "evidence": evidence,
        "reporting-periods": [period.pk for period in periods],
        "agency-reports": [report.pk for report in agency_reports],
        "reports": [consolidated.pk],
        **parts,
    }


def _strategy(operation, mode, known: dict[str, list[int]]):
    """Cases as the schema allows them, or with every path id one of the world's records."""
    from hypothesis import strategies as st

    generated = operation.as_strategy(generation_mode=mode)
    choices = {name: known.get(resource) for resource, name in PATH_PARAMETER.findall(operation.path)}
    if not choices or not all(choices.values()):
        return generated
    ids = st.fixed_dictionaries({name: st.sampled_from(values) for name, values in choices.items()})
    return st.one_of(ids.flatmap(lambda values: operation.as_strategy(generation_mode=mode, path_parameters=values)),
                     generated)


def _runner(operation, mode, role, token, base_url, examples, known, failures):
    """One bounded hypothesis run of `operation` as `role`; problems are collected into `failures`."""
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.checks import CHECKS
    from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

    checks = [CHECKS.get_by_names(["not_a_server_error"])[0], response_schema_conformance, status_code_conformance]

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=_strategy(operation, mode, known))
    def run(case):
        response = case.call(base_url=base_url, headers={"Authorization": f"Token {token}"})
        try:
            case.validate_response(response, checks=checks)
        except BaseException as exc:  # noqa: BLE001 - collected, so one run lists every broken operation
            failures.append((operation.label, role, f"{mode} {response.status_code}: {str(exc)[:600]}"))

    return run


def _token(base_url: str, username: str) -> str:
    """A token from the token endpoint, whatever kind of token it issues."""
    import requests

    response = requests.post(f"{base_url}/api/v1/auth/token/", json={"username": username, "password": PASSWORD},
                             timeout=60)
    assert response.status_code == 200, response.text
    return response.json()["token"]


def test_api_answers_without_server_errors(live_server, cast):
    import schemathesis
    from hypothesis.errors import Unsatisfiable
    from schemathesis.generation.modes import GenerationMode

    examples = int(os.environ.get("FUZZ_EXAMPLES", "2"))
    known = _world(cast)
    schema = schemathesis.openapi.from_dict(_schema_dict())
    tokens = {role: _token(live_server.url, cast.users[role].username) for role in ROLES}
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path in SKIPPED:
            continue
        for role, token in tokens.items():
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                try:
                    _runner(operation, mode, role, token, live_server.url, examples, known, failures)()
                except Unsatisfiable:  # nothing to make invalid: no parameters and no body
                    assert mode == GenerationMode.NEGATIVE, operation.label
    broken = sorted({label for label, _role, _message in failures})
    first = {label: f"{role}: {message}" for label, role, message in reversed(failures)}
    report = "\n".join(f"{label}\n    {first[label]}" for label in broken)
    assert not broken, f"{len(broken)} operations fail ({len(failures)} failing requests):\n{report}"
