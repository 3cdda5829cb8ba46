"""One synthetic province of N agencies with believable QMS files, in bulk (no history rows), for measuring the
consolidated reports on a size chosen at will (bench/consolidated_reports.py builds it inside a transaction it rolls
back). The national data set is the other modules of this package.
"""

import random
from datetime import date, timedelta

from django.utils import timezone

KINDS_MIX = [("so", 0.03), ("chi_cuc", 0.03), ("ubnd_xa", 0.15), ("co_quan_xa", 0.09),
             ("don_vi_su_nghiep", 0.68), ("tt_hcc", 0.01), ("nganh_doc", 0.01)]


def build_province(*, code: int, name: str, agencies: int, year: int, today: date, seed: int = 1):
    """A province with `agencies` agencies and believable QMS files, in bulk (no history rows)."""
    from agencies.models import Agency, AgencyObligation, Province, ProvinceSettings
    from qms.models import Announcement, Edition, InternalAudit, ManagementReview, Procedure, QmsRecord, Stage
    from reports.models import AgencyReport, AgencyReportStatus
    from reports.services import reporting_period_create

    rng = random.Random(seed)
    province = Province.objects.create(code=code, name=name, division_type="tỉnh", codename=f"bench_{code}")
    lead = Agency.objects.create(name="Sở Khoa học và Công nghệ", short_code="SKHCN", kind="so", province=province)
    ProvinceSettings.objects.create(province=province, lead_agency=lead, inspecting_agency=lead)
    kinds = [k for k, _ in KINDS_MIX]
    weights = [w for _, w in KINDS_MIX]
    rows = [Agency(name=f"Cơ quan thử nghiệm số {n:05d} tỉnh {name}", short_code=f"B{n}",
                   kind=rng.choices(kinds, weights)[0], province=province)
            for n in range(1, agencies)]
    Agency.objects.bulk_create(rows, batch_size=2000)
    all_agencies = list(Agency.objects.filter(province=province))
    AgencyObligation.objects.bulk_create(
        [AgencyObligation(agency=a, year=year, level="mandatory" if rng.random() < 0.8 else "encouraged")
         for a in all_agencies], batch_size=2000)
    stages = [Stage.MAINTAINING] * 6 + [Stage.ANNOUNCED] * 2 + [Stage.APPLYING, Stage.BUILDING, Stage.NOT_STARTED]
    QmsRecord.objects.bulk_create(
        [QmsRecord(agency=a, stage=rng.choice(stages), edition=Edition.ISO_2008 if rng.random() < 0.05
                   else Edition.ISO_2015) for a in all_agencies], batch_size=2000)
    records = list(QmsRecord.objects.filter(agency__province=province).select_related("agency"))
    announcements, audits, reviews, procedures = [], [], [], []
    for qms in records:
        if qms.stage in (Stage.ANNOUNCED, Stage.MAINTAINING):
            announcements.append(Announcement(
                qms=qms, kind="first", decision_number=f"{rng.randint(1, 300)}/QĐ-{qms.agency.short_code}",
                decision_date=today - timedelta(days=rng.randint(100, 1500)), signer="Thủ trưởng",
                edition=qms.edition, scope="Toàn bộ TTHC"))
            held = today - timedelta(days=rng.randint(1, 300))
            if rng.random() < 0.85:
                audits.append(InternalAudit(qms=qms, held_on=held, auditors="Tổ ĐGNB", nonconformities=2))
            if rng.random() < 0.8:
                reviews.append(ManagementReview(qms=qms, held_on=held, chair="Thủ trưởng"))
        total = rng.randint(2, 8)
        covered = total if rng.random() < 0.7 else rng.randint(0, total)
        procedures += [Procedure(agency=qms.agency, code=f"{qms.agency_id}.{n}", name=f"Thủ tục {n}",
                                 covered=n < covered) for n in range(total)]
    for model, batch in ((Announcement, announcements), (InternalAudit, audits), (ManagementReview, reviews),
                         (Procedure, procedures)):
        model.objects.bulk_create(batch, batch_size=5000)
    period = reporting_period_create(actor=None, province=province, year=year, kind="annual",
                                     window_start=today - timedelta(days=330), window_end=today,
                                     deadline=today - timedelta(days=1))
    submitted = timezone.now() - timedelta(days=3)
    AgencyReport.objects.bulk_create(
        [AgencyReport(period=period, agency=a, status=AgencyReportStatus.SUBMITTED, first_submitted_at=submitted,
                      submitted_at=submitted, difficulties="Không", proposals="Không")
         for a in all_agencies if rng.random() < 0.85], batch_size=2000)
    return province, period
