"""Which permission-matrix test covers each reports API endpoint (by URL name); merged into
tests/permission_registry.py's COVERED so that tests/test_permission_coverage.py knows them."""

M = "tests/reports/test_permission_matrix.py"

COVERED: dict[str, list[str]] = {
    "reporting-period-list": [f"{M}::test_period_create", f"{M}::test_anonymous_is_refused"],
    "reporting-period-detail": [f"{M}::test_period_read", f"{M}::test_period_update"],
    "agency-report-list": [f"{M}::test_agency_report_list_is_scoped", f"{M}::test_agency_report_create"],
    "agency-report-detail": [f"{M}::test_agency_report_read", f"{M}::test_agency_report_edit"],
    "agency-report-submit": [f"{M}::test_agency_report_submit"],
    "agency-report-accept": [f"{M}::test_agency_report_review"],
    "agency-report-return": [f"{M}::test_agency_report_review"],
    "agency-report-reopen": [f"{M}::test_agency_report_review"],
    "agency-report-pdf": [f"{M}::test_agency_report_files", f"{M}::test_a_draft_agency_report_has_no_files"],
    "agency-report-docx": [f"{M}::test_agency_report_files", f"{M}::test_a_draft_agency_report_has_no_files"],
    "report-completeness": [f"{M}::test_completeness"],
    "consolidated-report-list": [f"{M}::test_consolidated_list_is_scoped", f"{M}::test_consolidated_request",
                                 f"{M}::test_inspection_summary_request", f"{M}::test_national_rollup"],
    "consolidated-report-detail": [f"{M}::test_consolidated_read_and_download", f"{M}::test_national_rollup"],
    "consolidated-report-download": [f"{M}::test_consolidated_read_and_download"],
}
