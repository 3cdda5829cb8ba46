"""The inspection world on top of the named cast: each province gets its inspecting unit (CCTDC), an approved
2026 plan covering its four mandatory agencies (STP and SNV on site, UBND and SKHCN by documents), and
on-site inspections of STP and SNV with a decision, every checklist item answered and one finding each.

Dates are fixed in 2026 and passed as `today=` to the services, so the tests do not depend on the clock.
"""

import io
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agencies.models import AgencyKind, ProvinceSettings, Role
from audits import services
from audits.models import ChecklistItem, FindingClass, InspectionForm
from tests.factories import AgencyFactory, MembershipFactory, UserFactory

YEAR = 2026
SUBMITTED_ON = date(2026, 1, 12)
APPROVED_ON = date(2026, 1, 15)
DECIDED_ON = date(2026, 3, 2)
VISIT_ON = date(2026, 3, 10)
SIGNED_ON = date(2026, 3, 10)
DEFAULT_DUE = date(2026, 5, 10)  # signed + 2 months


@pytest.fixture(autouse=True)
def reference_data(request):
    """The checklist and finding classes come from a data migration, and a transactional test elsewhere in the
    suite flushes them: put them back for every test that uses the database."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db", "cast"} & set(request.fixturenames):
        return
    transactional = "transactional_db" in request.fixturenames or bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    ensure_reference_data()


def ensure_reference_data() -> None:
    """The checklist and finding classes, put back if a transactional test flushed them (also called by
    `approved_plan` for the tests outside this folder that build an inspection world)."""
    from audits.checklist_data import load_reference_data
    from audits.models import ChecklistItem, ChecklistVersion, FindingClass

    if not (ChecklistItem.objects.exists() and FindingClass.objects.exists()):
        load_reference_data(ChecklistVersion=ChecklistVersion, ChecklistItem=ChecklistItem, FindingClass=FindingClass)


def pdf_upload(name="bien-ban-khac-phuc.pdf", size=None) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    if size:
        body += b"0" * (size - len(body))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@dataclass
class World:
    cast: object
    plans: dict = field(default_factory=dict)
    inspections: dict = field(default_factory=dict)
    findings: dict = field(default_factory=dict)
    units: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)

    def items(self, inspection):
        return {i.code: i for i in ChecklistItem.objects.filter(version_id=inspection.checklist_version_id)}


def setup_province(cast, prefix: str) -> None:
    province = cast.provinces[prefix]
    unit = AgencyFactory(name="Chi cục Tiêu chuẩn Đo lường Chất lượng", short_code="CCTDC", province=province,
                         kind=AgencyKind.SUB_DEPARTMENT, parent=cast.agencies[f"{prefix}_skhcn"])
    cast.agencies[f"{prefix}_cctdc"] = unit
    ProvinceSettings.objects.create(province=province, lead_agency=cast.agencies[f"{prefix}_skhcn"],
                                    inspecting_agency=unit)


def draft_plan(cast, prefix: str, *, forms=None):
    """A draft plan; `forms` maps cast agency keys to a form (default: STP and SNV on site, the rest documents)."""
    inspector = cast.users[f"{prefix}_inspector"]
    forms = forms if forms is not None else {"stp": InspectionForm.ON_SITE, "snv": InspectionForm.ON_SITE,
                      "ubnd": InspectionForm.DOCUMENTS, "skhcn": InspectionForm.DOCUMENTS}
    plan = services.plan_create(actor=inspector, year=YEAR, province=cast.provinces[prefix])
    for key, form in forms.items():
        services.plan_entry_add(actor=inspector, plan=plan, agency=cast.agencies[f"{prefix}_{key}"], data={
            "form": form, "expected_from": date(YEAR, 3, 9), "expected_to": date(YEAR, 3, 13),
            "cooperating_unit": "Sở Nội vụ", "budget_vnd": 2_500_000})
    return plan


def approved_plan(cast, prefix: str):
    ensure_reference_data()
    plan = draft_plan(cast, prefix)
    services.plan_submit(actor=cast.users[f"{prefix}_inspector"], plan=plan, today=SUBMITTED_ON)
    services.plan_approve(actor=cast.users[f"{prefix}_leader"], plan=plan, approval_number="215/QĐ-UBND",
                          approval_date=APPROVED_ON, today=APPROVED_ON)
    plan.refresh_from_db()
    return plan


def inspect(world: World, prefix: str, key: str, *, sign: bool):
    cast = world.cast
    inspector = cast.users[f"{prefix}_inspector"]
    inspection = world.plans[prefix].inspections.get(agency=cast.agencies[f"{prefix}_{key}"])
    services.decision_issue(actor=inspector, inspections=[inspection], issued_on=DECIDED_ON, starts_on=VISIT_ON,
                            ends_on=VISIT_ON, team_leader="Lê Minh Tuấn", team_leader_position="Phó Chi cục trưởng",
                            members=[{"name": "Nguyễn Văn An", "position": "Chuyên viên", "role": "secretary"}],
                            today=DECIDED_ON)
    items = world.items(inspection)
    services.record_save(actor=inspector, inspection=inspection, results=[
        {"item": code, "result": "partly" if code == "review-audit-corrective-action" else "met",
         "notes": "Chưa xem xét của lãnh đạo." if code == "review-audit-corrective-action" else ""}
        for code in items], data={"agency_representative": "Trần Văn Hùng",
                                  "agency_representative_position": "Giám đốc"})
    finding = services.finding_create(
        actor=inspector, inspection=inspection, checklist_item=items["review-audit-corrective-action"],
        classification=FindingClass.objects.get(code="nonconformity"), clause="9.3",
        description="Chưa tổ chức xem xét của lãnh đạo trong năm 2026.", today=VISIT_ON)
    if sign:
        services.record_sign(actor=inspector, inspection=inspection, signed_on=SIGNED_ON, today=SIGNED_ON)
    inspection.refresh_from_db()
    world.inspections[f"{prefix}_{key}"] = inspection
    world.findings[f"{prefix}_{key}"] = finding
    return inspection


def respond(world: World, key: str, actor=None):
    finding = world.findings[key]
    actor = actor or world.users[f"{key}_officer"]
    return services.finding_respond(actor=actor, finding=finding, action_taken="Đã tổ chức xem xét của lãnh đạo.",
                                    files=[pdf_upload()])


def build_world(cast, *, sign=True, responded=False) -> World:
    world = World(cast=cast)
    for prefix in ("ag", "cb"):
        setup_province(cast, prefix)
        world.plans[prefix] = approved_plan(cast, prefix)
        on_site = list(world.plans[prefix].inspections.filter(form=InspectionForm.ON_SITE))
        services.report_request_send(actor=cast.users[f"{prefix}_inspector"], inspections=on_site,
                                     deadline=date(YEAR, 2, 28), today=date(YEAR, 2, 2))
        for key in ("stp", "snv"):
            user = UserFactory(username=f"{prefix}_{key}_officer")
            MembershipFactory(user=user, role=Role.ISO_OFFICER, agency=cast.agencies[f"{prefix}_{key}"],
                              province=cast.provinces[prefix])
            world.users[f"{prefix}_{key}_officer"] = user
            inspection = world.plans[prefix].inspections.get(agency=cast.agencies[f"{prefix}_{key}"])
            services.self_assessment_evidence_add(actor=user, inspection=inspection, item_code="documents-rolled-out",
                                                  uploaded=pdf_upload("danh-sach-tai-lieu.pdf"))
            inspect(world, prefix, key, sign=sign)
    if sign and responded:
        for key in ("ag_stp", "ag_snv", "cb_stp", "cb_snv"):
            respond(world, key)
    for finding in world.findings.values():
        finding.refresh_from_db()
    return world


@pytest.fixture
def units(cast):
    for prefix in ("ag", "cb"):
        setup_province(cast, prefix)
    return cast


@pytest.fixture
def world(cast) -> World:
    return build_world(cast)


@pytest.fixture
def open_world(cast) -> World:
    """The same, with the records not signed yet."""
    return build_world(cast, sign=False)


@pytest.fixture
def responded_world(cast) -> World:
    return build_world(cast, responded=True)


@pytest.fixture
def pdf_file():
    return pdf_upload


@pytest.fixture
def png_upload():
    return lambda name="anh.png": SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def read_pdf_text(data: bytes) -> str:
    """All the text of a PDF, NFC-normalised, whitespace collapsed."""
    import unicodedata

    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(unicodedata.normalize("NFC", page.extract_text()).split()) for page in pages)
