"""Property-based API tests: schemathesis generates requests from our OpenAPI schema and sends them to a
live test server as each role; no answer may be a server error or break the schema.

Bounded for CI: FUZZ_EXAMPLES examples per operation and role (default 2).
"""

import json
import os

import pytest
from knox.models import AuthToken

pytestmark = [pytest.mark.django_db(transaction=True)]

ROLES = ("ag_officer", "ag_inspector", "ministry", "admin")


def _schema_dict():
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


def _runner(operation, role, token, base_url, examples, failures):
    """One bounded hypothesis run of `operation` as `role`; problems are collected into `failures`."""
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import CHECKS
    from schemathesis.specs.openapi.checks import response_schema_conformance

    not_a_server_error = CHECKS.get_by_names(["not_a_server_error"])[0]

    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        response = case.call(base_url=base_url, headers={"Authorization": f"Token {token}"})
        try:
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
        except BaseException as exc:  # noqa: BLE001 - collected, so one run lists every broken operation
            failures.append((operation.label, role, str(exc)[:600]))

    return run


def test_api_answers_without_server_errors(live_server, cast):
    import schemathesis

    examples = int(os.environ.get("FUZZ_EXAMPLES", "2"))
    schema = schemathesis.openapi.from_dict(_schema_dict())
    tokens = {role: AuthToken.objects.create(user=cast.users[role])[1] for role in ROLES}
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path == "/api/v1/auth/token/":
            continue  # throttled and locked out by design; covered by its own tests
        for role, token in tokens.items():
            _runner(operation, role, token, live_server.url, examples, failures)()
    broken = sorted({label for label, _role, _message in failures})
    first = {label: f"{role}: {message}" for label, role, message in reversed(failures)}
    report = "\n".join(f"{label}\n    {first[label]}" for label in broken)
    assert not broken, f"{len(broken)} operations fail:\n{report}"
