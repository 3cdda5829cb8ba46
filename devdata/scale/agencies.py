"""National-scale data for benchmarks: every commune, every province's bodies, schools and other units.

`manage.py generate_scale_data` calls `generate(rng=..., scale=..., progress=..., state=...)` of each app's
`scale_data` module in INSTALLED_APPS order, and `reset(...)` in the reverse order. This module lays the
ground the others build on:

- on top of `load_divisions` (34 provinces, 3,321 communes): per province the UBND tỉnh and its Office, the
  departments (sở), sub-departments (chi cục), the public administrative service centre, a few vertical
  agencies, one UBND xã/phường/đặc khu per commune, the pre-2025 district committees (inactive, merged into
  communes), then schools, health and other public service units up to `state["agencies"] * scale` agencies;
- obligations for 5 years, set per province (provinces extend them to communes and schools, DOMAIN.md §3);
- a QMS record per agency that has one, with a realistic mix of stages and editions, and its 5-year history:
  record changes, announcements and re-announcements (new edition, 2025 mergers, scope), internal audits,
  management reviews, corrective actions, procedures, documents and their editions, legal updates, complaints,
  improvements and training;
- users: a head (thủ trưởng) for every agency, an ISO officer for the provincial bodies, the communes and a
  quarter of the other units, inspectors, department leaders and provincial leadership per province, ministry
  and administrators. One password for all, hashed once by the command (`state["password_hash"]`).

Deterministic for a seed, a scale and a reference date (`state["today"]`): the same arguments give the same
rows. Written with bulk inserts only, province by province (memory stays flat); history rows are bulk-created
too, dated when the thing happened. Generated agencies are recognised by the change reason of their creation
history row (`HISTORY_REASON`), generated users by their user name and e-mail (`USER_PREFIX`, `EMAIL_DOMAIN`).
Commune committees formed on 01/07/2025 carry the QMS of their main predecessor (most must re-announce).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import connection, models
from django.db.models.base import ModelState

from agencies.models import (
    Agency,
    AgencyKind,
    AgencyObligation,
    AgencySuccession,
    Commune,
    Membership,
    ObligationLevel,
    ObligationYear,
    ObligationYearState,
    Province,
    ProvinceSettings,
    Role,
    SuccessionKind,
)
from qms.models import (
    ActionStatus,
    Announcement,
    AnnouncementKind,
    Complaint,
    DocumentKind,
    DocumentStatus,
    Edition,
    Improvement,
    InternalAudit,
    InternalCorrectiveAction,
    LegalUpdate,
    ManagementReview,
    Procedure,
    QmsDocument,
    QmsRecord,
    ReannouncementReason,
    Stage,
    Training,
)
from qms_portal.dates import add_months

K = AgencyKind
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
HISTORY_REASON = "generate_scale_data"
USER_PREFIX = "s."
EMAIL_DOMAIN = "scale.invalid"
BATCH = 2000
MERGER_2025_PROVINCIAL = date(2025, 3, 1)  # departments merged (e.g. KH&CN with TT&TT)
MERGER_2025_COMMUNES = date(2025, 7, 1)  # two-level local government

Progress = Callable[[str, int], object]  # (description, total) -> a tqdm-like bar with update() and close()

# --- Reference lists ------------------------------------------------------------------------------------------
CORE_DEPARTMENTS = [("SKHCN", "Sở Khoa học và Công nghệ"), ("SNV", "Sở Nội vụ"), ("STP", "Sở Tư pháp"),
                    ("STC", "Sở Tài chính")]
OTHER_DEPARTMENTS = [("SCT", "Sở Công Thương"), ("SNNMT", "Sở Nông nghiệp và Môi trường"), ("SXD", "Sở Xây dựng"),
                     ("SGDDT", "Sở Giáo dục và Đào tạo"), ("SYT", "Sở Y tế"),
                     ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"), ("TTR", "Thanh tra tỉnh")]
OPTIONAL_DEPARTMENTS = [("SDTTG", "Sở Dân tộc và Tôn giáo", 0.7), ("SNGV", "Sở Ngoại vụ", 0.25),
                        ("SDL", "Sở Du lịch", 0.12), ("SQHKT", "Sở Quy hoạch - Kiến trúc", 0.06)]
# Departments formed by a merger on 01/03/2025: their systems had to be re-announced.
MERGED_DEPARTMENTS = {"SKHCN", "SNV", "STC", "SNNMT", "SXD", "SDTTG"}
SUB_DEPARTMENTS = [("CCKL", "Chi cục Kiểm lâm", "SNNMT"), ("CCTS", "Chi cục Thủy sản và Biển đảo", "SNNMT"),
                   ("CCQLDD", "Chi cục Quản lý đất đai", "SNNMT"), ("CCCNTY", "Chi cục Chăn nuôi và Thú y", "SNNMT"),
                   ("CCTTBVTV", "Chi cục Trồng trọt và Bảo vệ thực vật", "SNNMT"),
                   ("CCBVMT", "Chi cục Bảo vệ môi trường", "SNNMT"), ("CCDS", "Chi cục Dân số", "SYT"),
                   ("CCATTP", "Chi cục An toàn vệ sinh thực phẩm", "SYT"),
                   ("CCGDXD", "Chi cục Giám định xây dựng", "SXD")]
VERTICAL = [("THUE", "Thuế {p}"), ("BHXH", "Bảo hiểm xã hội {p}"), ("TKE", "Thống kê {p}"),
            ("KBNN", "Kho bạc Nhà nước khu vực {p}")]
# Other units, by share of the remaining agencies: (key, kind, name pattern, parent, share)
UNIT_TYPES = [
    ("THPT", K.PUBLIC_SERVICE_UNIT, "Trường THPT {c}", "SGDDT", 0.12),
    ("THCS", K.PUBLIC_SERVICE_UNIT, "Trường THCS {c}", "commune", 0.30),
    ("TH", K.PUBLIC_SERVICE_UNIT, "Trường Tiểu học {c}", "commune", 0.26),
    ("MN", K.PUBLIC_SERVICE_UNIT, "Trường Mầm non {c}", "commune", 0.10),
    ("TTYT", K.PUBLIC_SERVICE_UNIT, "Trung tâm Y tế khu vực {c}", "SYT", 0.05),
    ("TTDVNN", K.PUBLIC_SERVICE_UNIT, "Trung tâm Dịch vụ nông nghiệp {c}", "SNNMT", 0.05),
    ("TTVHTT", K.PUBLIC_SERVICE_UNIT, "Trung tâm Văn hóa - Thể thao {c}", "commune", 0.04),
    ("VPXA", K.COMMUNE_OFFICE, "Văn phòng HĐND và UBND {t} {c}", "commune", 0.08),
]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Đinh", "Trương", "Lâm", "Mai"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Quốc", "Ngọc", "Đức", "Thu", "Hoàng", "Xuân", "Kim", "Công"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Hương", "Khánh", "Lan",
         "Linh", "Long", "Mai", "Minh", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Trang",
         "Tuấn", "Vinh", "Yến", "Thắng", "Hiếu", "Nhung"]
CONSULTANTS = ["Công ty TNHH Tư vấn Quản lý chất lượng Việt", "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng",
               "Công ty Cổ phần Chứng nhận và Tư vấn ISO Miền Nam", "Viện Năng suất Việt Nam"]
LEGAL_DOCUMENTS = [
    ("Nghị định số 107/2021/NĐ-CP sửa đổi, bổ sung Nghị định số 61/2018/NĐ-CP về cơ chế một cửa", date(2022, 2, 1)),
    ("Nghị định số 104/2022/NĐ-CP sửa đổi các nghị định liên quan đến sổ hộ khẩu, sổ tạm trú giấy",
     date(2023, 1, 1)),
    ("Thông tư số 01/2023/TT-VPCP về số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", date(2023, 5, 5)),
    ("Nghị định số 63/2024/NĐ-CP về liên thông điện tử hai nhóm thủ tục hành chính", date(2024, 6, 10)),
    ("Luật Căn cước số 26/2023/QH15", date(2024, 7, 1)),
    ("Luật Đất đai số 31/2024/QH15", date(2024, 8, 1)),
    ("Luật Nhà ở số 27/2023/QH15", date(2024, 8, 1)),
    ("Nghị quyết số 190/2025/QH15 về xử lý vấn đề liên quan đến sắp xếp tổ chức bộ máy nhà nước", date(2025, 2, 19)),
    ("Luật Tổ chức chính quyền địa phương số 72/2025/QH15", date(2025, 6, 16)),
    ("Nghị định số 118/2025/NĐ-CP về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên thông",
     date(2025, 7, 1)),
    ("Nghị định số 150/2025/NĐ-CP về tổ chức các cơ quan chuyên môn thuộc UBND cấp tỉnh, cấp xã", date(2025, 7, 1)),
    ("Luật Thuế thu nhập doanh nghiệp số 67/2025/QH15", date(2025, 10, 1)),
]
SYSTEM_PROCESSES = {
    Edition.ISO_2008: ["Kiểm soát tài liệu", "Kiểm soát hồ sơ", "Đánh giá nội bộ",
                       "Kiểm soát sản phẩm không phù hợp", "Hành động khắc phục", "Hành động phòng ngừa"],
    Edition.ISO_2015: ["Kiểm soát thông tin dạng văn bản", "Đánh giá nội bộ", "Xem xét của lãnh đạo",
                       "Kiểm soát sự không phù hợp và hành động khắc phục", "Quản lý rủi ro và cơ hội",
                       "Giải quyết phản ánh, kiến nghị"],
}
TRAINING_TOPICS = ["Phổ biến TCVN ISO 9001:2015 cho cán bộ, công chức", "Đào tạo chuyên gia đánh giá nội bộ",
                   "Hướng dẫn áp dụng quy trình giải quyết thủ tục hành chính",
                   "Quản lý rủi ro và cơ hội trong HTQLCL", "Ứng dụng phần mềm e-ISO"]
IMPROVEMENTS = ["Rút ngắn thời gian giải quyết hồ sơ so với quy định", "Số hóa kết quả giải quyết thủ tục hành chính",
                "Điện tử hóa quy trình nội bộ trên phần mềm một cửa", "Chuẩn hóa biểu mẫu tiếp nhận hồ sơ"]
COMPLAINTS = ["Phản ánh trả kết quả chậm so với giấy hẹn", "Phản ánh thái độ tiếp công dân",
              "Kiến nghị bổ sung hướng dẫn thành phần hồ sơ", "Phản ánh hệ thống dịch vụ công trực tuyến bị lỗi"]
NONCONFORMITIES = ["Hồ sơ lưu trữ chưa đầy đủ theo quy trình", "Mục tiêu chất lượng chưa được đo lường định kỳ",
                   "Biểu mẫu sử dụng chưa đúng phiên bản hiện hành",
                   "Chưa cập nhật văn bản pháp luật mới vào quy trình",
                   "Thời gian giải quyết vượt quá quy định ở một số hồ sơ"]
# Administrative procedures (TTHC) by the kind of agency that handles them: field -> typical names.
PROCEDURES_COMMUNE = {
    "Hộ tịch": ["Đăng ký khai sinh", "Đăng ký kết hôn", "Đăng ký khai tử", "Đăng ký nhận cha, mẹ, con",
                "Cấp bản sao trích lục hộ tịch", "Đăng ký giám hộ", "Thay đổi, cải chính, bổ sung thông tin hộ tịch",
                "Đăng ký lại khai sinh", "Cấp giấy xác nhận tình trạng hôn nhân"],
    "Chứng thực": ["Chứng thực bản sao từ bản chính", "Chứng thực chữ ký", "Chứng thực hợp đồng, giao dịch",
                   "Chứng thực việc sửa đổi, bổ sung hợp đồng"],
    "Đất đai": ["Đăng ký đất đai lần đầu", "Đăng ký biến động đất đai", "Hòa giải tranh chấp đất đai",
                "Cấp đổi Giấy chứng nhận quyền sử dụng đất"],
    "Bảo trợ xã hội": ["Trợ cấp xã hội hàng tháng", "Hỗ trợ chi phí mai táng", "Xác định mức độ khuyết tật"],
    "Kinh doanh": ["Đăng ký hộ kinh doanh", "Thay đổi nội dung đăng ký hộ kinh doanh", "Tạm ngừng kinh doanh"],
    "Xây dựng": ["Cấp giấy phép xây dựng nhà ở riêng lẻ", "Điều chỉnh giấy phép xây dựng"],
    "Người có công": ["Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", "Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ"],
}
PROCEDURES_PROVINCE = {
    "Cấp phép": ["Cấp giấy phép", "Cấp lại giấy phép", "Gia hạn giấy phép", "Điều chỉnh giấy phép"],
    "Chứng nhận": ["Cấp giấy chứng nhận đủ điều kiện", "Cấp lại giấy chứng nhận", "Thu hồi giấy chứng nhận"],
    "Đăng ký": ["Đăng ký hoạt động", "Thay đổi nội dung đăng ký", "Xác nhận đăng ký"],
    "Thẩm định": ["Thẩm định hồ sơ", "Phê duyệt kết quả thẩm định", "Công nhận kết quả"],
}
PROCEDURES_UNIT = {"Dịch vụ công": ["Xác nhận", "Cấp bản sao văn bằng, chứng chỉ", "Chuyển trường",
                                     "Tiếp nhận hồ sơ", "Cấp giấy chứng nhận"]}

# (stage, weight) per group of agencies and obligation this year
STAGE_WEIGHTS = {
    ("province", "mandatory"): [(Stage.MAINTAINING, 68), (Stage.ANNOUNCED, 6), (Stage.REANNOUNCEMENT_DUE, 14),
                                (Stage.APPLYING, 6), (Stage.BUILDING, 4), (Stage.NOT_STARTED, 2)],
    ("commune", "mandatory"): [(Stage.MAINTAINING, 45), (Stage.ANNOUNCED, 12), (Stage.REANNOUNCEMENT_DUE, 18),
                               (Stage.APPLYING, 10), (Stage.BUILDING, 10), (Stage.NOT_STARTED, 5)],
    ("commune", "encouraged"): [(Stage.MAINTAINING, 25), (Stage.ANNOUNCED, 10), (Stage.REANNOUNCEMENT_DUE, 10),
                                (Stage.APPLYING, 10), (Stage.BUILDING, 15), (Stage.NOT_STARTED, 30)],
    ("unit", "mandatory"): [(Stage.MAINTAINING, 30), (Stage.ANNOUNCED, 15), (Stage.REANNOUNCEMENT_DUE, 3),
                            (Stage.APPLYING, 20), (Stage.BUILDING, 20), (Stage.NOT_STARTED, 12)],
    ("unit", "encouraged"): [(Stage.MAINTAINING, 10), (Stage.ANNOUNCED, 5), (Stage.APPLYING, 8),
                             (Stage.BUILDING, 10), (Stage.NOT_STARTED, 67)],
    ("unit", "not_applicable"): [(None, 90), (Stage.NOT_STARTED, 5), (Stage.MAINTAINING, 5)],
}


# --- Small helpers (public: the audits and reports generators use them) ---------------------------------------
def at(day: date, rng: random.Random) -> datetime:
    """A moment in office hours on `day`, Vietnam time."""
    return datetime.combine(day, time(7 + rng.randrange(10), rng.randrange(60), rng.randrange(60)), tzinfo=TZ)


def day_between(rng: random.Random, start: date, end: date) -> date:
    """A day in [start, end]; `start` if the range is empty."""
    span = (end - start).days
    return start + timedelta(days=rng.randint(0, span)) if span > 0 else start


def weighted(rng: random.Random, pairs):
    total = sum(w for _, w in pairs)
    pick = rng.uniform(0, total)
    for value, weight in pairs:
        pick -= weight
        if pick <= 0:
            return value
    return pairs[-1][0]


_FIELD_CACHE: dict[type, tuple[dict, list, dict]] = {}


def _fields(model):
    """(name -> attname for relations, [(attname, callable default)], {attname: constant default}) of `model`."""
    cached = _FIELD_CACHE.get(model)
    if cached is None:
        relations, dynamic, constant = {}, [], {}
        for f in model._meta.concrete_fields:
            if f.is_relation:
                relations[f.name] = f.attname
            if f.has_default() and callable(f.default):
                dynamic.append((f.attname, f.get_default))
            else:
                constant[f.attname] = f.get_default()
        cached = _FIELD_CACHE[model] = (relations, dynamic, constant)
    return cached


def new(model, **values):
    """A model instance for a bulk insert, built without `Model.__init__` (no signals, no descriptors): 4x faster.

    Relations may be given as objects (`qms=record`, saved already) or as ids (`qms_id=1`).
    """
    relations, dynamic, constant = _fields(model)
    obj = model.__new__(model)
    data = obj.__dict__
    data.update(constant)
    for attname, default in dynamic:
        data[attname] = default()
    for key, value in values.items():
        attname = relations.get(key)
        if attname is not None and attname != key:
            data[attname] = value.pk if value is not None else None
        else:
            data[key] = value
    obj._state = ModelState()
    return obj


def bulk_insert(rows: list, model, counts: Counter, *, history: bool = True) -> list:
    """Insert `rows` in batches, then their '+' history rows (a bulk_create of the historical model, each row
    dated, attributed and explained by `stamp`); count both."""
    if not rows:
        return rows
    rows = model._default_manager.bulk_create(rows, batch_size=BATCH)
    counts[model._meta.label] += len(rows)
    if history:
        history_model = model.history.model
        tracked = [f.attname for f in history_model.tracked_fields]
        now = datetime.now(tz=TZ)
        history_rows = []
        for row in rows:
            data = row.__dict__
            history_rows.append(new(history_model, history_date=data.get("_history_date") or now, history_type="+",
                                    history_change_reason=data.get("_change_reason"),
                                    history_user_id=data.get("_history_user_id"),
                                    **{name: data[name] for name in tracked}))
        history_model.objects.bulk_create(history_rows, batch_size=BATCH)
        counts[f"{model._meta.label}.history"] += len(history_rows)
    return rows


def bulk_history(model, timelines: list, counts: Counter) -> None:
    """History rows of objects already inserted (without history): `timelines` is [(obj, steps)], each step
    (when, history_type, overrides, reason, user_id); a historical row is the object's final state with the
    step's `overrides` (attnames) applied, i.e. what it looked like at that moment."""
    history_model = model.history.model
    tracked = [f.attname for f in history_model.tracked_fields]
    rows = []
    for obj, steps in timelines:
        final = {name: obj.__dict__[name] for name in tracked}
        for when, kind, overrides, reason, user_id in steps:
            rows.append(new(history_model, history_date=when, history_type=kind, history_change_reason=reason or None,
                            history_user_id=user_id, **{**final, **overrides}))
    history_model.objects.bulk_create(rows, batch_size=BATCH)
    counts[f"{model._meta.label}.history"] += len(rows)


def stamp(obj, when: datetime, user_id: int | None = None, reason: str = ""):
    """Date (and attribute, and explain) the history row that `bulk_insert` will write for `obj`."""
    obj._history_date = when
    obj._history_user_id = user_id
    obj._change_reason = reason or None
    return obj


def generated_agencies() -> models.QuerySet:
    """Ids of the agencies made by the generator (a subquery: use with `agency_id__in=`)."""
    return (Agency.history.model.objects.filter(history_type="+", history_change_reason=HISTORY_REASON)
            .values("id"))


def generated_users() -> models.QuerySet:
    return get_user_model().objects.filter(username__startswith=USER_PREFIX, email__endswith=f"@{EMAIL_DOMAIN}")


def full_name(rng: random.Random) -> tuple[str, str]:
    """(last name incl. middle, first name), as Django's User keeps them: ("Nguyễn Thị", "Lan")."""
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)}", rng.choice(GIVEN)


def raw_delete(queryset: models.QuerySet) -> int:
    """DELETE the rows of `queryset` in one statement: no signals, no history rows, no cascade collection."""
    model = queryset.model
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)} "
                       f"WHERE {connection.ops.quote_name(model._meta.pk.column)} IN ({sql})", params)
        return cursor.rowcount


# --- Planning the agencies of a province ----------------------------------------------------------------------
@dataclass
class Unit:
    code: str
    name: str
    kind: str
    group: str  # province | commune | unit | legacy
    parent: str | None = None
    commune: Commune | None = None
    unit_type: str = ""
    active: bool = True
    agency: Agency | None = None
    head_user: object = None
    officer_user: object = None
    head_id: int | None = None
    officer_id: int | None = None
    head_name: str = ""
    levels: dict = field(default_factory=dict)  # year -> ObligationLevel


def _base_name(name: str, division_type: str) -> str:
    from agencies.divisions import bare_name

    return bare_name(name, division_type)


def _province_label(province: Province) -> tuple[str, str]:
    """("tỉnh", "An Giang") or ("thành phố", "Hà Nội")."""
    if province.division_type.startswith("thành phố"):
        return "thành phố", province.name.removeprefix("Thành phố ").strip()
    return "tỉnh", province.name


def plan_province(province: Province, communes: list[Commune], fill: int, rng: random.Random,
                  scale: float) -> list[Unit]:
    level, pname = _province_label(province)
    keep = min(1.0, scale)
    units = [Unit("UBND", f"Ủy ban nhân dân {level} {pname}", K.PROVINCIAL_PEOPLES_COMMITTEE, "province"),
             Unit("VPUBND", f"Văn phòng Ủy ban nhân dân {level} {pname}", K.PROVINCIAL_OFFICE, "province",
                  "UBND")]
    departments = list(CORE_DEPARTMENTS)
    departments += [d for d in OTHER_DEPARTMENTS if rng.random() < keep]
    departments += [(c, n) for c, n, p in OPTIONAL_DEPARTMENTS if rng.random() < p * keep]
    units += [Unit(code, name, K.DEPARTMENT, "province", "UBND") for code, name in departments]
    present = {u.code for u in units}
    # Some provinces inspect through a Phòng inside the Sở rather than a Chi cục (DOMAIN.md §3).
    if rng.random() < 0.7:
        units.append(Unit("CCTDC", "Chi cục Tiêu chuẩn Đo lường Chất lượng", K.SUB_DEPARTMENT, "province", "SKHCN"))
    units += [Unit(code, name, K.SUB_DEPARTMENT, "province", parent) for code, name, parent in SUB_DEPARTMENTS
              if parent in present and rng.random() < 0.6 * keep]
    units.append(Unit("TTPVHCC", f"Trung tâm Phục vụ hành chính công {level} {pname}",
                      K.PUBLIC_ADMIN_SERVICE_CENTRE, "province", "VPUBND"))
    units += [Unit(code, name.format(p=f"{level} {pname}"), K.VERTICAL_AGENCY, "province") for code, name in VERTICAL
              if rng.random() < keep]

    chosen = sorted(rng.sample(communes, min(len(communes), math.ceil(len(communes) * scale))), key=lambda c: c.code)
    commune_units = []
    for commune in chosen:
        base = _base_name(commune.name, commune.division_type)
        commune_units.append(Unit(f"UBND-{commune.code}", f"Ủy ban nhân dân {commune.division_type} {base}",
                                  K.COMMUNE_PEOPLES_COMMITTEE, "commune", commune=commune))
    units += commune_units
    # Pre-2025 district committees: dissolved on 01/07/2025, kept as history (never deleted).
    for n in range(round(len(communes) / 5 * scale)):
        base = _base_name(rng.choice(communes).name, "")
        units.append(Unit(f"UBNDH-{n + 1:02d}", f"Ủy ban nhân dân huyện {base} (trước 01/07/2025)",
                          K.DISTRICT_PEOPLES_COMMITTEE, "legacy", active=False))

    counts = _apportion(fill, [share for *_, share in UNIT_TYPES])
    seen: Counter = Counter()
    for (key, kind, pattern, parent, _share), count in zip(UNIT_TYPES, counts, strict=True):
        for n in range(count):
            commune = commune_units[n % len(commune_units)].commune if commune_units else rng.choice(communes)
            base = _base_name(commune.name, commune.division_type)
            name = pattern.format(c=base, t=commune.division_type)
            seen[name] += 1
            if seen[name] > 1:
                name = f"{name} số {seen[name]}"
            if parent == "commune":
                parent_code = f"UBND-{commune.code}" if commune_units else "UBND"
            else:
                parent_code = parent if parent in present else "UBND"
            units.append(Unit(f"{key}-{n + 1:04d}", name, kind, "unit" if kind != K.COMMUNE_OFFICE else "commune",
                              parent_code, commune=commune if parent == "commune" and commune_units else None,
                              unit_type=key))
    return units


def _apportion(total: int, shares: list[float]) -> list[int]:
    """Split `total` by `shares` with the largest-remainder rule (the parts add up to `total`)."""
    if total <= 0:
        return [0] * len(shares)
    raw = [total * s / sum(shares) for s in shares]
    counts = [int(r) for r in raw]
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)[:total - sum(counts)]:
        counts[i] += 1
    return counts


# --- Obligations: a per-province policy, never derived from the kind alone -----------------------------------
@dataclass
class Policy:
    communes: str  # all | from2025 | encouraged
    thpt_from: int | None
    thcs_from: int | None
    primary: str  # not_applicable | encouraged
    units_from: int | None


def province_policy(rng: random.Random) -> Policy:
    return Policy(
        communes=weighted(rng, [("all", 50), ("from2025", 30), ("encouraged", 20)]),
        thpt_from=weighted(rng, [(2024, 40), (2025, 20), (None, 40)]),
        thcs_from=weighted(rng, [(2025, 25), (None, 75)]),
        primary=weighted(rng, [(ObligationLevel.NOT_APPLICABLE, 70), (ObligationLevel.ENCOURAGED, 30)]),
        units_from=weighted(rng, [(2024, 20), (None, 80)]),
    )


def obligation_level(unit: Unit, year: int, policy: Policy) -> str | None:
    M, E, NA = ObligationLevel.MANDATORY, ObligationLevel.ENCOURAGED, ObligationLevel.NOT_APPLICABLE
    if unit.group == "province":
        return M
    if unit.group == "legacy":
        return M if year < 2025 else None
    if unit.kind == K.COMMUNE_PEOPLES_COMMITTEE:
        return M if policy.communes == "all" or (policy.communes == "from2025" and year >= 2025) else E
    if unit.kind == K.COMMUNE_OFFICE:
        return E
    if unit.unit_type == "THPT":
        return M if policy.thpt_from and year >= policy.thpt_from else E
    if unit.unit_type == "THCS":
        return M if policy.thcs_from and year >= policy.thcs_from else E if policy.primary == E else NA
    if unit.unit_type in ("TH", "MN"):
        return policy.primary if year >= 2023 or policy.primary == NA else NA
    return M if policy.units_from and year >= policy.units_from else E


# --- The QMS of one agency, as a timeline -------------------------------------------------------------------
@dataclass
class QmsPlan:
    snapshots: list = field(default_factory=list)  # (datetime, type, changes, reason)
    announcements: list = field(default_factory=list)  # (date, kind, reason, edition, decision number)
    build: date | None = None
    approved: date | None = None
    effective: date | None = None
    edition_move: date | None = None
    end: date | None = None  # last day of activity (inactive agencies)


def plan_qms(unit: Unit, stage: str, today: date, rng: random.Random) -> QmsPlan:
    plan = QmsPlan()
    T = today

    def announce(day, kind, reason, edition) -> str:
        number = f"{rng.randint(1, 400)}/QĐ-{unit.code}"
        plan.announcements.append((day, kind, reason, edition, number))
        return number

    head = unit.head_name
    code = unit.code
    if stage == Stage.NOT_STARTED:
        plan.snapshots.append((day_between(rng, T - timedelta(days=900), T - timedelta(days=30)), "+", {}, ""))
        return plan
    if stage == Stage.BUILDING:
        b = T - timedelta(days=rng.randint(20, 420))
    elif stage == Stage.APPLYING:
        b = T - timedelta(days=rng.randint(200, 800))
    else:
        if stage == Stage.ANNOUNCED:
            f = T - timedelta(days=rng.randint(15, 330))
        elif stage == Stage.INACTIVE:
            f = date(2024, 6, 1) - timedelta(days=rng.randint(0, 2500))
        else:
            f = T - timedelta(days=rng.randint(400, 3300))
        e = f - timedelta(days=rng.randint(5, 30))
        a = e - timedelta(days=rng.randint(90, 200))
        b = a - timedelta(days=rng.randint(60, 180))
    plan.build = b
    edition = Edition.ISO_2008 if b < date(2018, 6, 1) and rng.random() < 0.75 else Edition.ISO_2015
    start = {"stage": Stage.BUILDING, "edition": edition, "build_started_on": b,
             "steering_decision_number": f"{rng.randint(1, 300)}/QĐ-{code}", "steering_decision_date": b,
             "consultant": rng.choice(CONSULTANTS) if rng.random() < 0.3 else ""}
    plan.snapshots.append((b, "+", start, "Thành lập Ban Chỉ đạo ISO"))
    if stage == Stage.BUILDING:
        return plan
    if stage == Stage.APPLYING:
        a = min(b + timedelta(days=rng.randint(60, 150)), T - timedelta(days=5))
        plan.approved = a
        plan.snapshots.append((a, "~", {"stage": Stage.APPLYING, "documents_approved_on": a,
                                        "documents_approved_by": head}, ""))
        e = a + timedelta(days=rng.randint(90, 200))
        if e <= T - timedelta(days=5) and rng.random() < 0.5:
            plan.effective = e
            plan.snapshots.append((e, "~", {"effectiveness_confirmed_on": e, "effectiveness_confirmed_by": head},
                                   ""))
        return plan
    plan.approved, plan.effective = a, e
    plan.snapshots.append((a, "~", {"stage": Stage.APPLYING, "documents_approved_on": a,
                                    "documents_approved_by": head}, ""))
    plan.snapshots.append((e, "~", {"effectiveness_confirmed_on": e, "effectiveness_confirmed_by": head}, ""))
    number = announce(f, AnnouncementKind.FIRST, "", edition)
    plan.snapshots.append((f, "~", {"stage": Stage.ANNOUNCED}, f"Công bố {number}"))
    merged = (unit.kind == K.COMMUNE_PEOPLES_COMMITTEE and rng.random() < 0.8) or (
        unit.kind == K.DEPARTMENT and code in MERGED_DEPARTMENTS)
    merger_day = MERGER_2025_COMMUNES if unit.group == "commune" else MERGER_2025_PROVINCIAL
    merger_path = (stage in (Stage.MAINTAINING, Stage.REANNOUNCEMENT_DUE) and merged
                   and f < merger_day - timedelta(days=30) and merger_day < T - timedelta(days=5))
    due_day, due_reason = None, ""
    if stage == Stage.REANNOUNCEMENT_DUE:
        if merger_path:
            due_day, due_reason = merger_day, "Sắp xếp, hợp nhất đơn vị năm 2025: phạm vi áp dụng thay đổi"
        else:
            due_day = min(max(T - timedelta(days=rng.randint(10, 200)), f + timedelta(days=30)),
                          T - timedelta(days=1))
            due_reason = "Phạm vi áp dụng được mở rộng: bổ sung thủ tục hành chính mới"
    if stage == Stage.INACTIVE:
        cut = MERGER_2025_COMMUNES
    elif due_day:
        cut = due_day
    elif merger_path:
        cut = merger_day
    else:
        cut = T
    # Everything before `cut` is the ordinary life of the system; what follows is the due / merger story.
    maintaining = f + timedelta(days=rng.randint(180, 400))
    if stage != Stage.ANNOUNCED and maintaining < cut:
        plan.snapshots.append((maintaining, "~", {"stage": Stage.MAINTAINING}, ""))
    last = f
    move_end = min(date(2021, 6, 30), cut - timedelta(days=1))
    if edition == Edition.ISO_2008 and f + timedelta(days=60) < move_end and rng.random() < 0.93:
        move = day_between(rng, max(date(2019, 3, 1), f + timedelta(days=60)), move_end)
        plan.edition_move = move
        plan.snapshots.append((move, "~", {"edition": Edition.ISO_2015}, "Chuyển đổi sang TCVN ISO 9001:2015"))
        announce(move, AnnouncementKind.REANNOUNCEMENT, ReannouncementReason.NEW_EDITION, Edition.ISO_2015)
        last = move
    edition_now = Edition.ISO_2015 if plan.edition_move else edition
    if stage not in (Stage.ANNOUNCED, Stage.INACTIVE) and rng.random() < 0.2:
        scope_day = day_between(rng, last + timedelta(days=60), min(cut, date(2025, 1, 31)) - timedelta(days=1))
        if last + timedelta(days=60) <= scope_day < cut:
            reason = rng.choice([ReannouncementReason.SCOPE_EXTENDED, ReannouncementReason.SCOPE_ADJUSTED])
            announce(scope_day, AnnouncementKind.REANNOUNCEMENT, reason, edition_now)
    if due_day:
        plan.snapshots.append((due_day, "~", {"stage": Stage.REANNOUNCEMENT_DUE, "reannouncement_reason": due_reason},
                               due_reason))
    elif stage == Stage.MAINTAINING and merger_path:
        plan.snapshots.append((merger_day, "~", {"stage": Stage.REANNOUNCEMENT_DUE,
                                                 "reannouncement_reason": "Sắp xếp, hợp nhất đơn vị năm 2025"}, ""))
        again = day_between(rng, merger_day + timedelta(days=30), T - timedelta(days=20))
        number = announce(again, AnnouncementKind.REANNOUNCEMENT, ReannouncementReason.MERGER, edition_now)
        plan.snapshots.append((again, "~", {"stage": Stage.ANNOUNCED, "reannouncement_reason": ""},
                               f"Công bố lại {number}"))
        if again + timedelta(days=150) < T:
            plan.snapshots.append((again + timedelta(days=rng.randint(120, 150)), "~",
                                   {"stage": Stage.MAINTAINING}, ""))
    if stage == Stage.INACTIVE:
        plan.end = MERGER_2025_COMMUNES - timedelta(days=1)
        plan.snapshots.append((MERGER_2025_COMMUNES, "~", {"stage": Stage.INACTIVE},
                               "Giải thể cấp huyện từ 01/07/2025"))
    plan.snapshots.sort(key=lambda s: (s[0], s[1] != "+"))
    plan.announcements.sort()
    return plan


# --- Writing a province ---------------------------------------------------------------------------------------
class ProvinceWriter:
    def __init__(self, province: Province, units: list[Unit], *, rng, today: date, years: list[int],
                 password_hash: str, counts: Counter):
        self.province, self.units, self.rng, self.today, self.years = province, units, rng, today, years
        self.window_start = date(years[0], 1, 1)
        self.password_hash, self.counts = password_hash, counts
        self.by_code = {u.code: u for u in units}

    def write(self) -> None:
        self.agencies()
        self.users()
        self.obligations()
        self.qms()

    # agencies, parents first
    def agencies(self) -> None:
        province, rng = self.province, self.rng
        _level, pname = _province_label(province)
        created = at(self.window_start + timedelta(days=rng.randint(0, 30)), rng)
        pending = list(self.units)
        while pending:
            ready = [u for u in pending if u.parent is None or self.by_code[u.parent].agency is not None]
            rows = []
            for u in ready:
                slug = u.code.lower()
                agency = new(
                    Agency, name=u.name, short_code=u.code, kind=u.kind, province=province, commune=u.commune,
                    parent=self.by_code[u.parent].agency if u.parent else None,
                    address=f"{u.commune.name if u.commune else 'Trung tâm hành chính'}, {province.name}",
                    email=f"{slug}@{province.codename.replace('_', '')}.gov.invalid",
                    phone=f"0{rng.randint(200, 299)} {rng.randint(1000000, 9999999)}",
                )
                rows.append(stamp(agency, created, reason=HISTORY_REASON))
                u.agency = agency
            bulk_insert(rows, Agency, self.counts)
            pending = [u for u in pending if u.agency is None]
        legacy = [u for u in self.units if not u.active]
        if legacy:
            # Created active (the '+' row says so), closed on 01/07/2025 with a '~' row.
            Agency.objects.filter(pk__in=[u.agency.pk for u in legacy]).update(is_active=False,
                                                                               closed_on=MERGER_2025_COMMUNES)
            history = Agency.history.model
            when = at(MERGER_2025_COMMUNES, rng)
            rows = []
            for u in legacy:
                u.agency.is_active, u.agency.closed_on = False, MERGER_2025_COMMUNES
                rows.append(new(history, history_date=when, history_type="~",
                                history_change_reason="Giải thể cấp huyện",
                                **{f.attname: getattr(u.agency, f.attname) for f in history.tracked_fields}))
            bulk_insert(rows, history, self.counts, history=False)
            communes = [u for u in self.units if u.kind == K.COMMUNE_PEOPLES_COMMITTEE]
            if communes:
                successions = [stamp(new(AgencySuccession, predecessor=u.agency,
                                         successor=rng.choice(communes).agency, kind=SuccessionKind.MERGER,
                                         effective_date=MERGER_2025_COMMUNES,
                                         note="Sắp xếp đơn vị hành chính 2025", took_effect_at=when), when)
                               for u in legacy]
                bulk_insert(successions, AgencySuccession, self.counts)
        inspecting = self.by_code.get("CCTDC") or self.by_code["SKHCN"]
        bulk_insert([stamp(new(ProvinceSettings, province=province, lead_agency=self.by_code["SKHCN"].agency,
                               inspecting_agency=inspecting.agency), created)], ProvinceSettings, self.counts)

    # users: a head for every agency, an ISO officer for most, and the province's own roles
    def users(self) -> None:
        rng, province = self.rng, self.province
        User = get_user_model()
        users, roles = [], []

        def add(username: str, role: str, agency: Agency | None, staff=False) -> tuple[object, str]:
            last, first = full_name(rng)
            user = new(User, username=f"{USER_PREFIX}{username}", password=self.password_hash, first_name=first,
                       last_name=last, email=f"{USER_PREFIX}{username}@{EMAIL_DOMAIN}", is_staff=staff,
                       is_superuser=staff)
            users.append(user)
            roles.append((user, role, agency))
            return user, f"{last} {first}"

        prefix = f"{province.code}."
        for u in self.units:
            slug = u.code.lower()
            head, u.head_name = add(f"{prefix}{slug}.head", Role.AGENCY_HEAD, u.agency)
            u.head_user = head
            officer = None
            if u.group in ("province", "commune") or rng.random() < 0.25:
                officer, _name = add(f"{prefix}{slug}.officer", Role.ISO_OFFICER, u.agency)
            u.officer_user = officer
        inspecting = (self.by_code.get("CCTDC") or self.by_code["SKHCN"]).agency
        for n in range(1, 5):
            add(f"{prefix}inspector{n}", Role.INSPECTOR, inspecting)
        for n in range(1, 3):
            add(f"{prefix}leader{n}", Role.DEPARTMENT_LEADER, self.by_code["SKHCN"].agency)
            add(f"{prefix}ubnd{n}", Role.PROVINCIAL_LEADERSHIP, self.by_code["UBND"].agency)
        bulk_insert(users, User, self.counts, history=False)
        for u in self.units:
            u.head_id = u.head_user.pk
            u.officer_id = u.officer_user.pk if u.officer_user else None
        joined = at(self.window_start + timedelta(days=rng.randint(30, 60)), rng)
        memberships = [stamp(new(Membership, user=user, role=role, agency=agency, province=province), joined)
                       for user, role, agency in roles]
        bulk_insert(memberships, Membership, self.counts)

    def obligations(self) -> None:
        policy = province_policy(self.rng)
        rows = []
        for u in self.units:
            for year in self.years:
                level = obligation_level(u, year, policy)
                if level is None:
                    continue
                u.levels[year] = level
                when = at(date(year, 1, 1) + timedelta(days=self.rng.randint(2, 40)), self.rng)
                note = "Theo kế hoạch của UBND tỉnh" if level == ObligationLevel.MANDATORY else ""
                rows.append(stamp(new(AgencyObligation, agency=u.agency, year=year, level=level, note=note), when))
        bulk_insert(rows, AgencyObligation, self.counts)
        # Past and current years were settled by the province (a plan's coverage check needs them confirmed).
        # Kept by --delete like the provinces they belong to; a new run adds only the years missing.
        settled = set(ObligationYear.objects.filter(province=self.province).values_list("year", flat=True))
        years = [y for y in self.years if y <= self.today.year and y not in settled]
        bulk_insert([stamp(new(ObligationYear, province=self.province, year=y, state=ObligationYearState.CONFIRMED,
                               confirmed_at=at(date(y, 1, 15), self.rng)), at(date(y, 1, 15), self.rng))
                     for y in years], ObligationYear, self.counts)

    # QMS records and their files
    def qms(self) -> None:
        rng, today = self.rng, self.today
        plans: list[tuple[Unit, QmsPlan]] = []
        for u in self.units:
            if u.code == "VPUBND":
                continue  # shares the QMS of the UBND tỉnh (TT 26 Art. 6)
            if u.group == "legacy":
                stage = Stage.INACTIVE
            else:
                level = u.levels.get(today.year, ObligationLevel.ENCOURAGED)
                if u.group == "province":
                    key = ("province", ObligationLevel.MANDATORY)
                elif u.group == "commune":
                    key = ("commune", level if level == ObligationLevel.MANDATORY else ObligationLevel.ENCOURAGED)
                else:
                    key = ("unit", level)
                stage = weighted(rng, STAGE_WEIGHTS[key])
                if stage is None:
                    continue
            plans.append((u, plan_qms(u, stage, today, rng)))

        records = []
        for u, plan in plans:
            values = {}
            for _when, _type, changes, _reason in plan.snapshots:
                values.update(changes)
            record = new(QmsRecord, agency=u.agency, version=len(plan.snapshots), **values)
            records.append(record)
        bulk_insert(records, QmsRecord, self.counts, history=False)
        self._record_history(plans, records)
        self._also_covers(records)
        self._parts(plans, records)

    def _record_history(self, plans, records) -> None:
        history = QmsRecord.history.model
        tracked = [f.attname for f in history.tracked_fields]
        defaults = {name: getattr(new(QmsRecord), name) for name in tracked}
        rows = []
        for (u, plan), record in zip(plans, records, strict=True):
            values = dict(defaults, id=record.pk, agency_id=u.agency.pk, version=0)
            for when, kind, changes, reason in plan.snapshots:
                values.update(changes)
                values["version"] += 1
                rows.append(new(history, history_date=at(when, self.rng), history_type=kind,
                                history_change_reason=reason or None, history_user_id=u.officer_id or u.head_id,
                                **values))
        bulk_insert(rows, history, self.counts, history=False)
        self._history_rows = rows

    def _also_covers(self, records) -> None:
        ubnd, office = self.by_code["UBND"], self.by_code["VPUBND"]
        record = next((r for r in records if r.agency_id == ubnd.agency.pk), None)
        if record is None:
            return
        through = QmsRecord.also_covers.through
        link = bulk_insert([new(through, qmsrecord_id=record.pk, agency_id=office.agency.pk)], through, self.counts,
                           history=False)[0]
        history_through = _m2m_history_model()
        if history_through is not None:
            rows = [new(history_through, id=link.pk, history_id=row.history_id, qmsrecord_id=record.pk,
                        agency_id=office.agency.pk)
                    for row in self._history_rows if row.id == record.pk]
            bulk_insert(rows, history_through, self.counts, history=False)

    def _parts(self, plans, records) -> None:
        rng, today, ws = self.rng, self.today, self.window_start
        announcements, audits, reviews, legal, complaints, improvements, trainings, procedures = ([] for _ in range(8))
        documents, later_editions = [], []
        for (u, plan), qms in zip(plans, records, strict=True):
            user = u.officer_id or u.head_id
            site = f"https://{u.code.lower()}.{self.province.codename.replace('_', '')}.gov.invalid/iso"
            for day, kind, reason, edition, number in plan.announcements:
                announcements.append(stamp(new(
                    Announcement, qms=qms, kind=kind, reason=reason, edition=edition,
                    decision_number=number, decision_date=day, signer=u.head_name,
                    scope="Toàn bộ thủ tục hành chính thuộc thẩm quyền giải quyết và các hoạt động nội bộ",
                    notification_number=f"{rng.randint(1, 900)}/{u.code}-VP", notification_date=day + timedelta(days=3),
                    posted_at_office_on=day + timedelta(days=2), website_url=site), at(day, rng), user))
            handled = self._procedures(u, qms, plan, user)  # kept whatever the stage of the QMS
            procedures += handled
            if plan.build is None:
                continue
            self._documents(u, qms, plan, user, sum(p.covered for p in handled), documents, later_editions)
            if plan.effective:
                for year in range(max(plan.effective.year, ws.year), (plan.end or today).year + 1):
                    if year == plan.effective.year:
                        held = plan.effective - timedelta(days=rng.randint(10, 40))
                    elif (year == today.year and rng.random() < 0.25) or rng.random() < 0.04:
                        continue  # not held (yet) this year
                    else:
                        held = day_between(rng, date(year, 3, 1), min(date(year, 12, 10), today - timedelta(days=1)))
                    if held < ws or held >= today:
                        continue
                    found = weighted(rng, [(0, 35), (1, 25), (2, 20), (3, 12), (4, 5), (5, 3)])
                    audits.append(stamp(new(InternalAudit, qms=qms, held_on=held, auditors="Tổ đánh giá nội bộ",
                                            nonconformities=found, summary=f"Đánh giá nội bộ năm {year}"),
                                        at(held, rng), user))
                    review_day = held + timedelta(days=rng.randint(7, 30))
                    if rng.random() < 0.88 and review_day < today:
                        reviews.append(stamp(new(ManagementReview, qms=qms, held_on=review_day, chair=u.head_name,
                                                 decisions="Duy trì và cải tiến HTQLCL"), at(review_day, rng),
                                             u.head_id))
            if plan.approved:
                for text, effective in LEGAL_DOCUMENTS:
                    if (effective < max(ws, plan.approved) or effective >= today or rng.random() > 0.3
                            or (plan.end and effective > plan.end)):
                        continue
                    due, roll = add_months(effective, 3), rng.random()
                    if due > today:
                        updated = day_between(rng, effective, today) if roll < 0.5 else None
                    elif roll < 0.78:
                        updated = effective + timedelta(days=rng.randint(10, 85))  # in time
                    elif roll < 0.9:
                        updated = min(due + timedelta(days=rng.randint(5, 120)), today)  # late
                    else:
                        updated = None  # overdue
                    legal.append(stamp(new(LegalUpdate, qms=qms, legal_document=text, effective_on=effective,
                                           due_on=due, updated_on=updated), at(effective, rng), user))
            for year in range(max(plan.build.year, ws.year), (plan.end or today).year + 1):
                held = day_between(rng, date(year, 3, 1), min(date(year, 11, 30), today - timedelta(days=1)))
                if held < plan.build or held >= today:
                    continue
                if rng.random() < 0.55:
                    trainings.append(stamp(new(Training, qms=qms, held_on=held, topic=rng.choice(TRAINING_TOPICS),
                                               attendees=rng.randint(5, 60)), at(held, rng), user))
                if plan.approved and held > plan.approved and rng.random() < 0.25:
                    improvements.append(stamp(new(Improvement, qms=qms, done_on=held,
                                                  description=rng.choice(IMPROVEMENTS)), at(held, rng), user))
                if u.group != "unit" and rng.random() < 0.12:
                    resolved = held + timedelta(days=rng.randint(3, 40))
                    answered = resolved < today and rng.random() < 0.9
                    complaints.append(stamp(new(
                        Complaint, qms=qms, received_on=held, summary=rng.choice(COMPLAINTS),
                        resolved_on=resolved if answered else None,
                        outcome="Đã giải quyết, trả lời công dân" if answered else ""), at(held, rng), user))

        bulk_insert(announcements, Announcement, self.counts)
        bulk_insert(procedures, Procedure, self.counts)
        bulk_insert(audits, InternalAudit, self.counts)
        actions = []
        for audit in audits:
            for _ in range(min(audit.nonconformities, 3)):
                due = audit.held_on + timedelta(days=rng.randint(30, 90))
                done = audit.held_on + timedelta(days=rng.randint(10, 120))
                is_done = done < today and rng.random() < 0.92
                actions.append(stamp(new(
                    InternalCorrectiveAction, qms_id=audit.qms_id, internal_audit=audit,
                    description=rng.choice(NONCONFORMITIES), cause="Cán bộ chưa nắm vững quy trình",
                    action="Phổ biến lại quy trình, bổ sung hồ sơ", owner="Thư ký ISO", due_on=due,
                    status=ActionStatus.DONE if is_done else ActionStatus.OPEN, done_on=done if is_done else None),
                    audit._history_date + timedelta(hours=2), audit._history_user_id))
        for model, rows in ((ManagementReview, reviews), (InternalCorrectiveAction, actions), (LegalUpdate, legal),
                            (Complaint, complaints), (Improvement, improvements), (Training, trainings),
                            (QmsDocument, documents)):
            bulk_insert(rows, model, self.counts)
        for row in later_editions:
            row.supersedes_id = row._previous.pk
        bulk_insert(later_editions, QmsDocument, self.counts)

    def _procedures(self, u: Unit, qms: QmsRecord, plan: QmsPlan, user) -> list[Procedure]:
        rng = self.rng
        catalogue, prefix, (low, high) = _catalogue_for(u)
        count = min(len(catalogue), rng.randint(low, high))
        if count == 0:
            return []
        picked = sorted(rng.sample(range(len(catalogue)), count))
        if qms.stage == Stage.NOT_STARTED or plan.build is None:
            covered = 0
        elif qms.stage == Stage.BUILDING:
            covered = int(count * rng.uniform(0, 0.4))
        elif qms.stage == Stage.APPLYING:
            covered = int(count * rng.uniform(0.6, 1.0))
        else:
            covered = count if rng.random() < 0.85 else int(count * rng.uniform(0.8, 0.99))
        when = at(plan.build or self.window_start, rng)
        rows = []
        for n, index in enumerate(picked):
            field_name, name = catalogue[index]
            rows.append(stamp(new(Procedure, agency=u.agency, code=f"{prefix}{index + 1:03d}", name=name,
                                  field=field_name, covered=n < covered,
                                  process_code=f"QT-TTHC-{n // 5 + 1:02d}" if n < covered else "",
                                  is_active=rng.random() > 0.03), when, user))
        return rows

    def _documents(self, u: Unit, qms: QmsRecord, plan: QmsPlan, user, covered: int, first: list, later: list):
        """Policy, model/manual, system processes (per edition), yearly objectives, one work process per five
        covered procedures; some documents in a second edition that supersedes the first."""
        rng, today, approved = self.rng, self.today, plan.approved

        def doc(kind, code, title, issued, status, edition=1, year=None, previous=None):
            row = new(QmsDocument, qms=qms, kind=kind, code=code, title=title, edition=edition, year=year,
                      issued_on=issued, approver=u.head_name if issued else "", status=status)
            row._previous = previous
            stamp(row, at(issued or plan.build, rng), user)
            (later if previous else first).append(row)
            return row

        if approved is None:  # still building: drafts only
            doc(DocumentKind.POLICY, "CS-01", "Chính sách chất lượng", None, DocumentStatus.DRAFT)
            doc(DocumentKind.MANUAL, "ST-01", "Sổ tay chất lượng", None, DocumentStatus.DRAFT)
            return
        in_force, superseded = DocumentStatus.IN_FORCE, DocumentStatus.SUPERSEDED
        for kind, code, title, chance in ((DocumentKind.POLICY, "CS-01", "Chính sách chất lượng", 0.35),
                                          (DocumentKind.MANUAL, "ST-01", "Mô hình HTQLCL", 0.2)):
            second = plan.edition_move if code == "ST-01" and plan.edition_move else None
            if second is None and rng.random() < chance and approved + timedelta(days=365) < today:
                second = day_between(rng, approved + timedelta(days=365), today - timedelta(days=1))
            one = doc(kind, code, title, approved, superseded if second else in_force)
            if second:
                doc(kind, code, title, second, in_force, edition=2, previous=one)
        if plan.edition_move:  # the 2008 set, replaced by the 2015 set
            for n, title in enumerate(SYSTEM_PROCESSES[Edition.ISO_2008], 1):
                doc(DocumentKind.SYSTEM_PROCESS, f"QT-{n:02d}", title, approved, superseded)
        for n, title in enumerate(SYSTEM_PROCESSES[qms.edition], 1):
            doc(DocumentKind.SYSTEM_PROCESS, f"QT-HT-{n:02d}", title, plan.edition_move or approved, in_force)
        for year in range(max(approved.year, self.window_start.year), (plan.end or today).year + 1):
            issued_on = max(approved, date(year, 1, 5) + timedelta(days=rng.randint(0, 50)))
            if issued_on < today:
                doc(DocumentKind.OBJECTIVES, f"MT-{year}", f"Mục tiêu chất lượng năm {year}", issued_on, in_force,
                    year=year)
        for n in range(1, min(25, math.ceil(covered / 5)) + 1):
            title = f"Quy trình giải quyết thủ tục hành chính nhóm {n}"
            second = rng.random() < 0.15 and approved + timedelta(days=200) < today
            one = doc(DocumentKind.WORK_PROCESS, f"QT-TTHC-{n:02d}", title, approved,
                      superseded if second else in_force)
            if second:
                doc(DocumentKind.WORK_PROCESS, one.code, title,
                    day_between(rng, approved + timedelta(days=200), today - timedelta(days=1)), in_force,
                    edition=2, previous=one)


def _m2m_history_model():
    for model in QmsRecord.history.model._meta.apps.get_models():
        if model._meta.db_table.endswith("historicalqmsrecord_also_covers"):
            return model
    return None


_CATALOGUES: dict[str, tuple[list, str, tuple[int, int]]] = {}
QUALIFIERS = ["", " (trực tuyến)", " (liên thông)", " (cấp lại)", " (điều chỉnh)", " (gia hạn)",
              " có yếu tố nước ngoài", " cho tổ chức", " cho cá nhân", " trong khu công nghiệp",
              " (trường hợp đặc biệt)"]


def _catalogue_for(u: Unit):
    """(catalogue of (field, name), code prefix, (min, max) handled) for the agency's kind."""
    if u.kind in (K.COMMUNE_PEOPLES_COMMITTEE, K.DISTRICT_PEOPLES_COMMITTEE):
        key, source, span = "commune", PROCEDURES_COMMUNE, (20, 60) if u.group == "commune" else (20, 40)
    elif u.kind == K.DEPARTMENT:
        key, source, span = "department", PROCEDURES_PROVINCE, (40, 140)
    elif u.kind in (K.SUB_DEPARTMENT, K.VERTICAL_AGENCY):
        key, source, span = "sub", PROCEDURES_PROVINCE, (8, 35)
    elif u.kind in (K.PROVINCIAL_PEOPLES_COMMITTEE, K.PUBLIC_ADMIN_SERVICE_CENTRE):
        key, source, span = "province", PROCEDURES_PROVINCE, (3, 15)
    elif u.kind == K.COMMUNE_OFFICE:
        key, source, span = "office", PROCEDURES_UNIT, (0, 4)
    else:
        key, source, span = "unit", PROCEDURES_UNIT, (1, 8)
    if key not in _CATALOGUES:
        items = [(field_name, f"{name}{q}") for q in QUALIFIERS for field_name, names in source.items()
                 for name in names]
        prefix = {"commune": "1.004", "department": "1.01", "sub": "1.02", "province": "1.03", "office": "2.001",
                  "unit": "2.002"}[key]
        _CATALOGUES[key] = (items, prefix, span)
    return _CATALOGUES[key]


# --- Entry points called by generate_scale_data ---------------------------------------------------------------
def generate(*, rng: random.Random, scale: float, progress: Progress, state: dict) -> dict[str, int]:
    today: date = state["today"]
    years = list(range(today.year - 4, today.year + 1))
    state["years"] = years
    counts: Counter = Counter()
    provinces = list(Province.objects.current().order_by("code"))
    communes_by_province: dict[int, list[Commune]] = {p.pk: [] for p in provinces}
    for commune in Commune.objects.current().order_by("code"):
        communes_by_province[commune.province_id].append(commune)
    total = round(state["agencies"] * scale)
    token = rng.getrandbits(64)
    fixed = [len(plan_province(p, communes_by_province[p.pk], 0, random.Random(f"{token}:{p.code}:units"), scale))
             for p in provinces]
    fills = _apportion(max(0, total - sum(fixed)), [len(communes_by_province[p.pk]) for p in provinces])
    bar = progress("agencies & QMS files (provinces)", len(provinces))
    for province, fill in zip(provinces, fills, strict=True):
        units = plan_province(province, communes_by_province[province.pk], fill,
                              random.Random(f"{token}:{province.code}:units"), scale)
        ProvinceWriter(province, units, rng=random.Random(f"{token}:{province.code}:data"), today=today,
                       years=years, password_hash=state["password_hash"], counts=counts).write()
        bar.update(1)
        bar.set_postfix(agencies=counts["agencies.Agency"], rows=sum(counts.values()), refresh=False)
    bar.close()
    national = []
    User = get_user_model()
    for username, role, staff in [("ministry1", Role.MINISTRY, False), ("ministry2", Role.MINISTRY, False),
                                  ("ministry3", Role.MINISTRY, False), ("admin1", Role.ADMINISTRATOR, True),
                                  ("admin2", Role.ADMINISTRATOR, True)]:
        last, first = full_name(rng)
        national.append((new(User, username=f"{USER_PREFIX}{username}", password=state["password_hash"],
                             first_name=first, last_name=last, email=f"{USER_PREFIX}{username}@{EMAIL_DOMAIN}",
                             is_staff=staff, is_superuser=staff), role))
    bulk_insert([u for u, _ in national], User, counts, history=False)
    bulk_insert([stamp(new(Membership, user=u, role=role), at(date(years[0], 1, 5), rng)) for u, role in national],
                Membership, counts)
    return dict(counts)


def reset(*, progress: Progress, state: dict) -> dict[str, int]:
    """Delete everything `generate` made (and what was later added to those agencies and users)."""
    agencies = generated_agencies()
    qms = QmsRecord.objects.filter(agency_id__in=agencies).values("pk")
    users = generated_users().values("pk")
    deleted: Counter = Counter()
    part_models = [InternalCorrectiveAction, Announcement, QmsDocument, LegalUpdate, InternalAudit, ManagementReview,
                   Complaint, Improvement, Training]
    steps: list[tuple[type, models.Q]] = []
    for model in part_models:
        steps.append((model.history.model, models.Q(qms_id__in=qms)))
        steps.append((model, models.Q(qms_id__in=qms)))
    history_through = _m2m_history_model()
    if history_through is not None:
        steps.append((history_through, models.Q(history__id__in=qms)))
    through = QmsRecord.also_covers.through
    steps += [(through, models.Q(qmsrecord_id__in=qms) | models.Q(agency_id__in=agencies)),
              (QmsRecord.history.model, models.Q(agency_id__in=agencies)),
              (QmsRecord, models.Q(agency_id__in=agencies))]
    for model in (Procedure, AgencyObligation):
        steps += [(model.history.model, models.Q(agency_id__in=agencies)), (model, models.Q(agency_id__in=agencies))]
    succession = models.Q(predecessor_id__in=agencies) | models.Q(successor_id__in=agencies)
    steps += [(AgencySuccession.history.model, succession), (AgencySuccession, succession)]
    settings_q = models.Q(lead_agency_id__in=agencies) | models.Q(inspecting_agency_id__in=agencies)
    steps += [(ProvinceSettings.history.model, settings_q), (ProvinceSettings, settings_q)]
    from agencies.models import DocumentSequence

    steps.append((DocumentSequence, models.Q(issuer_id__in=agencies)))
    member_q = models.Q(agency_id__in=agencies) | models.Q(user_id__in=users)
    steps += [(Membership.history.model, member_q), (Membership, member_q)]
    bar = progress("reset agencies", len(steps) + 3)
    for model, condition in steps:
        deleted[model._meta.label] += raw_delete(model._default_manager.filter(condition))
        bar.update(1)
    deleted.update(detach_users(users))
    bar.update(1)
    deleted[get_user_model()._meta.label] += raw_delete(get_user_model().objects.filter(pk__in=users))
    deleted["agencies.Agency"] += raw_delete(Agency.objects.filter(pk__in=agencies))
    bar.update(1)
    deleted["agencies.HistoricalAgency"] += raw_delete(Agency.history.model.objects.filter(id__in=agencies))
    bar.update(1)
    bar.close()
    return {k: v for k, v in deleted.items() if v}


def detach_users(users) -> Counter:
    """Clear or delete every row that points at the generated users (tokens, devices, audit log, history...)."""
    from django.apps import apps

    User = get_user_model()
    counts: Counter = Counter()
    for model in apps.get_models(include_auto_created=True):
        for fk in model._meta.concrete_fields:
            if not fk.is_relation or fk.related_model is not User or model is Membership:
                continue
            rows = model._default_manager.filter(**{f"{fk.name}__in": users})
            if fk.null:
                counts[f"{model._meta.label}.{fk.name}=NULL"] += rows.update(**{fk.name: None})
            else:
                counts[model._meta.label] += raw_delete(rows)
    return counts
