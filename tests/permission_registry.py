"""Which permission-matrix test covers each API endpoint (by URL name).

tests/test_permission_coverage.py fails when an endpoint under /api/v1/ is missing here, so a new
endpoint cannot land without its row x column entry in a matrix.
"""

AGENCIES = "tests/agencies/test_permission_matrix.py"
QMS = "tests/qms/test_permission_matrix.py"

COVERED: dict[str, list[str]] = {
    "api-token": ["tests/agencies/test_agency_api.py::test_token_login",
                  "tests/accounts/test_tokens.py::test_a_role_that_must_use_two_factor_gets_no_token_without_a_device"],
    "api-tokens": ["tests/accounts/test_tokens.py::test_users_list_and_revoke_their_own_tokens_only",
                   "tests/accounts/test_tokens.py::test_an_administrator_revokes_anyones_token"],
    "api-token-revoke": ["tests/accounts/test_tokens.py::test_users_list_and_revoke_their_own_tokens_only",
                         "tests/accounts/test_tokens.py::test_an_administrator_revokes_anyones_token"],
    "api-agency-import": ["tests/agencies/test_imports.py::test_import_endpoint_matrix"],
    "staff-list": ["tests/accounts/test_staff.py::test_permission_matrix",
                   "tests/accounts/test_staff.py::test_invite_endpoint_matrix"],
    "staff-detail": ["tests/accounts/test_staff.py::test_permission_matrix"],
    "api-me": [f"{AGENCIES}::test_anonymous_is_refused", "tests/agencies/test_agency_api.py::test_provinces_and_me"],
    "province-list": [f"{AGENCIES}::test_anonymous_is_refused"],
    "province-detail": ["tests/test_permission_coverage.py::test_provinces_are_public_reference_data"],
    "agency-list": [f"{AGENCIES}::test_list_is_scoped", f"{AGENCIES}::test_create"],
    "agency-detail": [f"{AGENCIES}::test_read", f"{AGENCIES}::test_update", f"{AGENCIES}::test_delete_deactivates"],
    "agency-obligations": [f"{AGENCIES}::test_read", f"{AGENCIES}::test_set_obligation"],
    "agency-history": [f"{AGENCIES}::test_read"],
    "agency-successions": [
        "tests/qms/test_file.py::test_merger_closes_predecessor_and_makes_successor_reannounce",
        "tests/qms/test_file.py::test_succession_to_an_agency_outside_scope_looks_missing",
    ],
    "qms": [f"{QMS}::test_read", f"{QMS}::test_patch_record", f"{QMS}::test_only_the_head_confirms"],
    "qms-history": [f"{QMS}::test_read"],
    "compliance": [f"{QMS}::test_read"],
    "procedure-import": [f"{QMS}::test_import_permissions"],
    "province-compliance": [f"{QMS}::test_province_compliance_scope"],
    "api-import-job": ["tests/qms_portal/test_imports.py::test_a_job_is_seen_by_its_owner_only"],
    "api-import-job-apply": ["tests/qms_portal/test_imports.py::test_a_job_is_seen_by_its_owner_only",
                             "tests/qms_portal/test_imports.py::test_a_check_saves_nothing_and_a_clean_check_is_applied"],
}
for _slug in ("announcements", "procedures", "documents", "legal-updates", "internal-audits", "management-reviews",
              "corrective-actions", "complaints", "improvements", "trainings"):
    COVERED[f"qms-{_slug}-list"] = [f"{QMS}::test_read", f"{QMS}::test_create_and_update"]
    COVERED[f"qms-{_slug}-detail"] = [f"{QMS}::test_create_and_update"]
for _slug in ("announcements", "documents"):
    COVERED[f"qms-{_slug}-file"] = ["tests/qms/test_file.py::test_journey_not_started_to_announced"]

from tests.reports.permission_registry import COVERED as _REPORTS  # noqa: E402

COVERED.update(_REPORTS)

AUDITS = "tests/audits/test_permission_matrix.py"
COVERED.update({
    "checklist-list": [f"{AUDITS}::test_anonymous_is_refused"],
    "finding-class-list": [f"{AUDITS}::test_anonymous_is_refused"],
    "inspection-plan-list": [f"{AUDITS}::test_plan_decision_and_request_lists_are_scoped", f"{AUDITS}::test_create"],
    "inspection-plan-detail": [f"{AUDITS}::test_read_plan", f"{AUDITS}::test_edit_and_submit_plan"],
    "inspection-plan-entries": [f"{AUDITS}::test_read_plan", f"{AUDITS}::test_edit_and_submit_plan"],
    "inspection-plan-coverage": [f"{AUDITS}::test_read_plan"],
    "inspection-plan-pdf": [f"{AUDITS}::test_read_plan"],
    "inspection-plan-submit": [f"{AUDITS}::test_edit_and_submit_plan"],
    "inspection-plan-approve": [f"{AUDITS}::test_approve_or_return_plan"],
    "inspection-plan-return": [f"{AUDITS}::test_approve_or_return_plan"],
    "inspection-plan-close": [f"{AUDITS}::test_remove_entry_and_close"],
    "plan-entry-detail": [f"{AUDITS}::test_read_plan", f"{AUDITS}::test_remove_entry_and_close"],
    "inspection-decision-list": [f"{AUDITS}::test_plan_decision_and_request_lists_are_scoped",
                                 f"{AUDITS}::test_create"],
    "inspection-decision-detail": [f"{AUDITS}::test_read"],
    "inspection-decision-pdf": [f"{AUDITS}::test_download_pdfs"],
    "report-request-list": [f"{AUDITS}::test_plan_decision_and_request_lists_are_scoped", f"{AUDITS}::test_create"],
    "report-request-detail": [f"{AUDITS}::test_plan_decision_and_request_lists_are_scoped"],
    "inspection-list": [f"{AUDITS}::test_lists_are_scoped", f"{AUDITS}::test_create"],
    "inspection-detail": [f"{AUDITS}::test_read", f"{AUDITS}::test_checklist_schedule_and_sign"],
    "inspection-checklist": [f"{AUDITS}::test_read", f"{AUDITS}::test_checklist_schedule_and_sign"],
    "inspection-sign": [f"{AUDITS}::test_checklist_schedule_and_sign"],
    "inspection-record-pdf": [f"{AUDITS}::test_download_pdfs", f"{AUDITS}::test_change_due_date_and_regenerate_pdf"],
    "inspection-self-assessment": [f"{AUDITS}::test_read", f"{AUDITS}::test_self_assessment"],
    "inspection-self-assessment-evidence": [f"{AUDITS}::test_self_assessment"],
    "inspection-self-assessment-file": [f"{AUDITS}::test_read"],
    "inspection-self-assessment-submit": [f"{AUDITS}::test_self_assessment"],
    "finding-list": [f"{AUDITS}::test_lists_are_scoped", f"{AUDITS}::test_record_a_finding_and_change_it"],
    "finding-detail": [f"{AUDITS}::test_read", f"{AUDITS}::test_record_a_finding_and_change_it"],
    "finding-respond": [f"{AUDITS}::test_respond"],
    "finding-accept": [f"{AUDITS}::test_review"],
    "finding-reject": [f"{AUDITS}::test_review"],
    "finding-withdraw": ["tests/audits/test_merged_agency_findings.py::test_withdraw_matrix"],
    "finding-evidence": [f"{AUDITS}::test_add_evidence"],
    "finding-evidence-file": [f"{AUDITS}::test_read"],
})

LEGAL = "tests/qms/test_legal_api_and_pages.py"
COVERED.update({
    "legal-change-list": [f"{LEGAL}::test_who_registers",
                          f"{LEGAL}::test_another_province_sees_neither_the_entry_nor_its_due_updates"],
    "legal-change-detail": [f"{LEGAL}::test_another_province_sees_neither_the_entry_nor_its_due_updates"],
    "legal-change-import": [f"{LEGAL}::test_the_import_checks_then_applies_all_or_nothing"],
    "due-legal-update-list": [f"{LEGAL}::test_another_province_sees_neither_the_entry_nor_its_due_updates"],
    "due-legal-update-detail": [f"{LEGAL}::test_another_province_sees_neither_the_entry_nor_its_due_updates"],
    "due-legal-update-record": [f"{LEGAL}::test_the_agency_answers_and_the_province_decides_through_the_api"],
    "due-legal-update-declare": [f"{LEGAL}::test_the_agency_answers_and_the_province_decides_through_the_api"],
    "due-legal-update-decide": [f"{LEGAL}::test_the_agency_answers_and_the_province_decides_through_the_api"],
})

REGISTER = "tests/agencies/test_register.py"
COVERED.update({
    "outgoing-document-list": [f"{REGISTER}::test_list_is_scoped", f"{REGISTER}::test_api_filters_and_search"],
    "outgoing-document-detail": [f"{REGISTER}::test_read_matrix"],
    "outgoing-document-withdraw": [f"{REGISTER}::test_withdraw_matrix"],
    "outgoing-document-signed-pdf": ["tests/qms_portal/signing/test_register_upload.py::test_upload_matrix"],
})
