"""Demo data: An Giang fully set up, Cao Bằng enough to show that provinces do not see each other."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from agencies.divisions import committee_name
from agencies.models import (
    Agency,
    AgencyKind,
    AgencyObligation,
    Commune,
    ObligationLevel,
    ObligationYear,
    ObligationYearState,
    Province,
    ProvinceSettings,
    Role,
)
from agencies.services import membership_set
from devdata.demo.constants import DEMO_PASSWORD  # noqa: E402

K = AgencyKind


@dataclass(frozen=True)
class Spec:
    short_code: str
    name: str
    kind: str
    parent: str | None = None


def _province_bodies(province_name: str, extra_departments: list[tuple[str, str]]) -> list[Spec]:
    specs = [
        Spec("UBND", f"Ủy ban nhân dân tỉnh {province_name}", K.PROVINCIAL_PEOPLES_COMMITTEE),
        Spec("VPUBND", f"Văn phòng Ủy ban nhân dân tỉnh {province_name}", K.PROVINCIAL_OFFICE, "UBND"),
        Spec("SKHCN", "Sở Khoa học và Công nghệ", K.DEPARTMENT, "UBND"),
        Spec("CCTDC", "Chi cục Tiêu chuẩn Đo lường Chất lượng", K.SUB_DEPARTMENT, "SKHCN"),
        Spec("SNV", "Sở Nội vụ", K.DEPARTMENT, "UBND"),
        Spec("STP", "Sở Tư pháp", K.DEPARTMENT, "UBND"),
        Spec("STC", "Sở Tài chính", K.DEPARTMENT, "UBND"),
    ]
    specs += [Spec(code, name, K.DEPARTMENT, "UBND") for code, name in extra_departments]
    return specs


AN_GIANG_DEPARTMENTS = [
    ("SCT", "Sở Công Thương"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường"),
    ("SXD", "Sở Xây dựng"),
    ("SGDDT", "Sở Giáo dục và Đào tạo"),
    ("SYT", "Sở Y tế"),
    ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("SDTTG", "Sở Dân tộc và Tôn giáo"),
    ("TTR", "Thanh tra tỉnh"),
]
AN_GIANG_OTHERS = [
    Spec("TTPVHCC", "Trung tâm Phục vụ hành chính công tỉnh An Giang", K.PUBLIC_ADMIN_SERVICE_CENTRE, "VPUBND"),
    Spec("CCKL", "Chi cục Kiểm lâm", K.SUB_DEPARTMENT, "SNNMT"),
    Spec("CCTS", "Chi cục Thủy sản và Biển đảo", K.SUB_DEPARTMENT, "SNNMT"),
    Spec("CCQLDD", "Chi cục Quản lý đất đai", K.SUB_DEPARTMENT, "SNNMT"),
    Spec("THPT-LX", "Trường THPT Long Xuyên", K.PUBLIC_SERVICE_UNIT, "SGDDT"),
    Spec("THPT-TNH", "Trường THPT chuyên Thoại Ngọc Hầu", K.PUBLIC_SERVICE_UNIT, "SGDDT"),
    Spec("THPT-HMD", "Trường THPT chuyên Huỳnh Mẫn Đạt", K.PUBLIC_SERVICE_UNIT, "SGDDT"),
    Spec("THPT-NTT", "Trường THPT Nguyễn Trung Trực", K.PUBLIC_SERVICE_UNIT, "SGDDT"),
    Spec("THPT-CD", "Trường THPT Châu Đốc", K.PUBLIC_SERVICE_UNIT, "SGDDT"),
]

# username, role, agency short code (None for province and national roles), full name
AN_GIANG_USERS = [
    ("ag_officer", Role.ISO_OFFICER, "STP", "Nguyễn Thị Lan"),
    ("ag_head", Role.AGENCY_HEAD, "STP", "Trần Văn Hùng"),
    ("ag_inspector", Role.INSPECTOR, "CCTDC", "Lê Minh Tuấn"),
    ("ag_leader", Role.DEPARTMENT_LEADER, "SKHCN", "Phạm Quốc Bảo"),
    ("ag_ubnd", Role.PROVINCIAL_LEADERSHIP, "UBND", "Võ Thanh Sơn"),
    ("ag_padmin", Role.PROVINCE_ADMINISTRATOR, "SKHCN", "Đinh Thị Thu"),
]
CAO_BANG_USERS = [
    ("cb_officer", Role.ISO_OFFICER, "STP", "Hoàng Thị Mai"),
    ("cb_head", Role.AGENCY_HEAD, "STP", "Nông Văn Đức"),
    ("cb_inspector", Role.INSPECTOR, "CCTDC", "Bế Văn Long"),
    ("cb_leader", Role.DEPARTMENT_LEADER, "SKHCN", "Đàm Quang Vinh"),
    ("cb_ubnd", Role.PROVINCIAL_LEADERSHIP, "UBND", "Lục Thị Hà"),
    ("cb_padmin", Role.PROVINCE_ADMINISTRATOR, "SKHCN", "Hà Văn Thắng"),
]
NATIONAL_USERS = [
    ("bo_khcn", Role.MINISTRY, None, "Đỗ Hải Nam"),
    ("admin", Role.ADMINISTRATOR, None, "Quản trị hệ thống"),
]


def commune_specs(province: Province, limit: int | None = None) -> list[tuple[Spec, Commune]]:
    communes = list(Commune.objects.current().filter(province=province).order_by("code"))[:limit]
    return [
        (
            Spec(
                f"UBND-{c.code}",
                committee_name(c),  # "Ủy ban nhân dân đặc khu Phú Quốc", never "đặc khu khu"
                K.COMMUNE_PEOPLES_COMMITTEE,
            ),
            c,
        )
        for c in communes
    ]


def ensure_agencies(
    province: Province, specs: list[Spec], communes: dict[str, Commune] | None = None
) -> dict[str, Agency]:
    """Create the agencies that do not exist yet (by short code), parents first; return all by code."""
    communes = communes or {}
    by_code = {a.short_code: a for a in Agency.objects.filter(province=province)}
    pending = [s for s in specs if s.short_code not in by_code]
    while pending:
        ready = [s for s in pending if s.parent is None or s.parent in by_code]
        if not ready:
            raise ValueError(f"unknown parents in {[s.short_code for s in pending]}")
        new = [
            Agency(
                name=s.name,
                short_code=s.short_code,
                kind=s.kind,
                province=province,
                parent=by_code.get(s.parent) if s.parent else None,
                commune=communes.get(s.short_code),
            )
            for s in ready
        ]
        bulk_create_with_history(new, Agency, batch_size=500)
        by_code.update(
            {
                a.short_code: a
                for a in Agency.objects.filter(province=province, short_code__in=[s.short_code for s in ready])
            }
        )
        pending = [s for s in pending if s not in ready]
    return by_code


def ensure_obligations(agencies: list[Agency], years: list[int], level=ObligationLevel.MANDATORY) -> None:
    have = set(AgencyObligation.objects.filter(agency__in=agencies, year__in=years).values_list("agency_id", "year"))
    new = [AgencyObligation(agency=a, year=y, level=level) for a in agencies for y in years if (a.pk, y) not in have]
    bulk_create_with_history(new, AgencyObligation, batch_size=500)
    # The demo's years are settled: the province confirmed them (a plan's coverage check needs it).
    for year in years:
        ObligationYear.objects.get_or_create(province=agencies[0].province, year=year, defaults={
            "state": ObligationYearState.CONFIRMED, "confirmed_at": timezone.now()})


def ensure_users(users, province: Province | None, agencies: dict[str, Agency]) -> list[tuple[str, str]]:
    User = get_user_model()
    created = []
    for username, role, agency_code, full_name in users:
        user, _ = User.objects.get_or_create(username=username)
        first, last = full_name.rsplit(" ", 1) if " " in full_name else ("", full_name)
        user.last_name, user.first_name = first, last
        user.email = f"{username}@example.invalid"
        user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
        user.set_password(DEMO_PASSWORD)
        user.save()
        membership_set(
            actor=None,
            user=user,
            role=role,
            agency=agencies.get(agency_code) if agency_code else None,
            province=province,
        )
        created.append((username, str(Role(role).label)))
    return created


def setup_province(code: int, departments, others, users, commune_limit=None) -> list[tuple[str, str]]:
    province = Province.objects.current().get(code=code)
    specs = _province_bodies(province.name, departments) + list(others)
    commune_rows = commune_specs(province, commune_limit)
    specs += [spec for spec, _ in commune_rows]
    agencies = ensure_agencies(province, specs, {spec.short_code: c for spec, c in commune_rows})
    ProvinceSettings.objects.update_or_create(
        province=province, defaults={"lead_agency": agencies["SKHCN"], "inspecting_agency": agencies["CCTDC"]}
    )
    year = timezone.localdate().year
    ensure_obligations(list(agencies.values()), [year - 1, year])
    return ensure_users(users, province, agencies)


@transaction.atomic
def seed_demo() -> list[tuple[str, str]]:
    accounts = setup_province(91, AN_GIANG_DEPARTMENTS, AN_GIANG_OTHERS, AN_GIANG_USERS)
    accounts += setup_province(4, [("SCT", "Sở Công Thương")], [], CAO_BANG_USERS, commune_limit=8)
    accounts += ensure_users(NATIONAL_USERS, None, {})
    for code in (91, 4):
        ensure_qms_files(Province.objects.current().get(code=code))
    return accounts


def ensure_qms_files(province: Province, today=None) -> None:
    """Give the province's agencies varied, believable QMS files (deterministic, created once)."""
    import random
    from datetime import timedelta

    from qms.models import (
        Announcement,
        DocumentStatus,
        Edition,
        InternalAudit,
        ManagementReview,
        Procedure,
        QmsDocument,
        QmsRecord,
        Stage,
    )

    today = today or timezone.localdate()
    agencies = list(Agency.objects.filter(province=province, qms__isnull=True).order_by("pk"))
    if not agencies:
        return
    rng = random.Random(province.code)
    stages = (
        [Stage.MAINTAINING] * 5
        + [Stage.ANNOUNCED] * 2
        + [Stage.APPLYING, Stage.BUILDING, Stage.NOT_STARTED, Stage.REANNOUNCEMENT_DUE]
    )
    records = []
    for agency in agencies:
        stage = stages[rng.randrange(len(stages))] if agency.short_code != "STP" else Stage.NOT_STARTED
        started = today - timedelta(days=rng.randint(400, 2500))
        records.append(
            QmsRecord(
                agency=agency,
                stage=stage,
                edition=Edition.ISO_2008 if rng.random() < 0.08 else Edition.ISO_2015,
                build_started_on=None if stage == Stage.NOT_STARTED else started,
                steering_decision_number=""
                if stage == Stage.NOT_STARTED
                else f"{rng.randint(1, 300)}/QĐ-{agency.short_code}",
                steering_decision_date=None if stage == Stage.NOT_STARTED else started,
                documents_approved_on=started + timedelta(days=90)
                if stage not in (Stage.NOT_STARTED, Stage.BUILDING)
                else None,
                effectiveness_confirmed_on=started + timedelta(days=200)
                if stage in (Stage.ANNOUNCED, Stage.MAINTAINING, Stage.REANNOUNCEMENT_DUE)
                else None,
                reannouncement_reason="Phạm vi áp dụng thay đổi sau sắp xếp bộ máy"
                if stage == Stage.REANNOUNCEMENT_DUE
                else "",
            )
        )
    bulk_create_with_history(records, QmsRecord, batch_size=500)
    records = list(QmsRecord.objects.filter(agency__in=agencies).select_related("agency"))
    announcements, audits, reviews, documents, procedures = [], [], [], [], []
    for qms in records:
        if qms.effectiveness_confirmed_on:
            announced_on = qms.effectiveness_confirmed_on + timedelta(days=15)
            announcements.append(
                Announcement(
                    qms=qms,
                    kind="first",
                    decision_number=f"{rng.randint(1, 400)}/QĐ-{qms.agency.short_code}",
                    decision_date=announced_on,
                    signer="Thủ trưởng cơ quan",
                    edition=qms.edition,
                    scope="Toàn bộ thủ tục hành chính thuộc thẩm quyền giải quyết",
                    notification_date=announced_on,
                    posted_at_office_on=announced_on,
                )
            )
        if qms.stage in (Stage.MAINTAINING, Stage.ANNOUNCED, Stage.REANNOUNCEMENT_DUE):
            last_year = rng.random() < 0.3
            audit_on = date_in_year(today.year - (1 if last_year else 0), rng, today)
            audits.append(
                InternalAudit(
                    qms=qms, held_on=audit_on, auditors="Tổ đánh giá nội bộ", nonconformities=rng.randint(0, 6)
                )
            )
            if rng.random() < 0.8:
                reviews.append(
                    ManagementReview(
                        qms=qms,
                        held_on=audit_on + timedelta(days=10) if audit_on + timedelta(days=10) <= today else audit_on,
                        chair="Thủ trưởng cơ quan",
                    )
                )
        if qms.stage != Stage.NOT_STARTED:
            documents.append(
                QmsDocument(
                    qms=qms,
                    kind="policy",
                    code="CS-01",
                    title="Chính sách chất lượng",
                    status=DocumentStatus.IN_FORCE,
                    issued_on=qms.build_started_on,
                )
            )
            total = rng.randint(3, 12)
            covered = total if rng.random() < 0.7 else rng.randint(0, total - 1)
            procedures += [
                Procedure(
                    agency=qms.agency,
                    code=f"{qms.agency_id}.{n:03d}",
                    name=f"Thủ tục hành chính số {n}",
                    field="Hành chính tư pháp",
                    covered=n <= covered,
                )
                for n in range(1, total + 1)
            ]
    for model, rows in (
        (Announcement, announcements),
        (InternalAudit, audits),
        (ManagementReview, reviews),
        (QmsDocument, documents),
        (Procedure, procedures),
    ):
        bulk_create_with_history(rows, model, batch_size=500)


def date_in_year(year: int, rng, today):
    from datetime import date, timedelta

    start = date(year, 1, 15)
    end = min(date(year, 12, 15), today - timedelta(days=1))
    return start + timedelta(days=rng.randint(0, max((end - start).days, 0)))
