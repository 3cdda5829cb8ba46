"""Which permission-matrix test covers each API endpoint (by URL name).

tests/test_permission_coverage.py fails when an endpoint under /api/v1/ is missing here, so a new
endpoint cannot land without its row x column entry in a matrix.
"""

AGENCIES = "tests/agencies/test_permission_matrix.py"
QMS = "tests/agencies/test_qms_permission_matrix.py"

COVERED: dict[str, list[str]] = {
    "api-token": ["tests/agencies/test_agency_api.py::test_token_login"],
    "api-me": [f"{AGENCIES}::test_anonymous_is_refused", "tests/agencies/test_agency_api.py::test_provinces_and_me"],
    "province-list": [f"{AGENCIES}::test_anonymous_is_refused"],
    "province-detail": ["tests/test_permission_coverage.py::test_provinces_are_public_reference_data"],
    "agency-list": [f"{AGENCIES}::test_list_is_scoped", f"{AGENCIES}::test_create"],
    "agency-detail": [f"{AGENCIES}::test_read", f"{AGENCIES}::test_update", f"{AGENCIES}::test_delete_deactivates"],
    "agency-obligations": [f"{AGENCIES}::test_read", f"{AGENCIES}::test_set_obligation"],
    "agency-history": [f"{AGENCIES}::test_read"],
    "agency-successions": ["tests/agencies/test_qms_file.py::test_merger_closes_predecessor_and_makes_successor_reannounce",
                           "tests/agencies/test_qms_file.py::test_succession_to_an_agency_outside_scope_is_404"],
    "qms": [f"{QMS}::test_read", f"{QMS}::test_patch_record", f"{QMS}::test_only_the_head_confirms"],
    "qms-history": [f"{QMS}::test_read"],
    "compliance": [f"{QMS}::test_read"],
    "procedure-import": [f"{QMS}::test_import_permissions"],
    "province-compliance": [f"{QMS}::test_province_compliance_scope"],
}
for _slug in ("announcements", "procedures", "documents", "legal-updates", "internal-audits", "management-reviews",
              "corrective-actions", "complaints", "improvements", "trainings"):
    COVERED[f"qms-{_slug}-list"] = [f"{QMS}::test_read", f"{QMS}::test_create_and_update"]
    COVERED[f"qms-{_slug}-detail"] = [f"{QMS}::test_create_and_update"]
for _slug in ("announcements", "documents"):
    COVERED[f"qms-{_slug}-file"] = ["tests/agencies/test_qms_file.py::test_journey_not_started_to_announced"]

from tests.reports.permission_registry import COVERED as _REPORTS  # noqa: E402

COVERED.update(_REPORTS)
