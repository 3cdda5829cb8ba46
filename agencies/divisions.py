"""Administrative units: their names composed from the division type, once, and loading the current units from
the `vietnam-provinces` package, idempotently, in bulk.

The package names a centrally-run city with its type ("Thành phố Hồ Chí Minh", type "thành phố trung ương"), a
province without it ("An Giang", type "tỉnh") and every commune with it ("Đặc khu Phú Quốc", type "đặc khu").
Everything printed is composed here from the bare name and the type word, so no type is written twice
("UBND THÀNH PHỐ THÀNH PHỐ HỒ CHÍ MINH", "đặc khu khu Phú Quốc").
"""

from collections.abc import Callable
from datetime import date

import vietnam_provinces as vp
from django.db import transaction

from .models import Commune, Province

# The two-level structure (province, commune) took effect on 01/07/2025.
CURRENT_FROM = date(2025, 7, 1)

CENTRAL_CITY = "thành phố trung ương"
# Decree 30/2020, Appendix I, IV: the place in a date line is the unit's official name without its type, except
# Ho Chi Minh City, which is written in full.
PLACE_IN_FULL = frozenset({"hồ chí minh"})


def division_word(division_type: str) -> str:
    """The type as written before a name: "thành phố", "tỉnh", "xã", "phường", "đặc khu", "huyện"."""
    division_type = (division_type or "").strip().lower()
    return "thành phố" if division_type.startswith("thành phố") else division_type


def bare_name(name: str, division_type: str) -> str:
    """The name without its type word: "Hồ Chí Minh", "An Giang", "Phú Quốc", "Long Xuyên"."""
    name = " ".join((name or "").split())
    word = division_word(division_type)
    if word and name.lower().startswith(word + " "):
        return name[len(word) + 1:]
    return name


def division_name(unit) -> str:
    """In running text: "thành phố Hồ Chí Minh", "tỉnh An Giang", "đặc khu Phú Quốc"."""
    return f"{division_word(unit.division_type)} {bare_name(unit.name, unit.division_type)}".strip()


def division_title(unit) -> str:
    """At the start of a line or as a heading: "Thành phố Hồ Chí Minh", "Tỉnh An Giang", "Đặc khu Phú Quốc"."""
    text = division_name(unit)
    return text[:1].upper() + text[1:]


def committee_name(unit) -> str:
    """"Ủy ban nhân dân thành phố Hồ Chí Minh", "Ủy ban nhân dân đặc khu Phú Quốc"."""
    return f"Ủy ban nhân dân {division_name(unit)}"


def committee_short(unit) -> str:
    """"UBND tỉnh An Giang", "UBND thành phố Hồ Chí Minh": as recipients are written."""
    return f"UBND {division_name(unit)}"


def committee_header(unit) -> str:
    """The parent-body line of a body under the committee: "UBND TỈNH AN GIANG", "UBND THÀNH PHỐ HỒ CHÍ MINH"."""
    return committee_short(unit).upper()


def place_name(unit) -> str:
    """The place of a date line: "An Giang", "Hà Nội", "Thành phố Hồ Chí Minh", "Phú Quốc"."""
    bare = bare_name(unit.name, unit.division_type)
    return division_title(unit) if bare.lower() in PLACE_IN_FULL else bare


def load_divisions(*, progress: Callable[[int], None] = lambda n: None) -> dict[str, int]:
    """Create or update the 34 provinces and 3,321 communes; older units are left untouched as history."""
    created = {"provinces": 0, "communes": 0, "updated": 0}
    with transaction.atomic():
        existing = {p.code: p for p in Province.objects.current()}
        new_provinces, changed = [], []
        for source in vp.Province.iter_all():
            values = {"name": source.name, "division_type": source.division_type.value, "codename": source.codename}
            province = existing.get(int(source.code))
            if province is None:
                new_provinces.append(Province(code=int(source.code), valid_from=CURRENT_FROM, **values))
            elif any(getattr(province, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(province, key, value)
                changed.append(province)
        Province.objects.bulk_create(new_provinces)
        Province.objects.bulk_update(changed, ["name", "division_type", "codename"])
        created["provinces"], created["updated"] = len(new_provinces), len(changed)
        progress(len(existing) + len(new_provinces))

        province_ids = dict(Province.objects.current().values_list("code", "pk"))
        existing_communes = {c.code: c for c in Commune.objects.current()}
        new_communes, changed_communes = [], []
        for source in vp.Ward.iter_all():
            values = {
                "name": source.name,
                "division_type": source.division_type.value,
                "codename": source.codename,
                "province_id": province_ids[int(source.province_code)],
            }
            commune = existing_communes.get(int(source.code))
            if commune is None:
                new_communes.append(Commune(code=int(source.code), valid_from=CURRENT_FROM, **values))
            elif any(getattr(commune, k) != v for k, v in values.items()):
                for key, value in values.items():
                    setattr(commune, key, value)
                changed_communes.append(commune)
            if len(new_communes) >= 500:
                Commune.objects.bulk_create(new_communes)
                created["communes"] += len(new_communes)
                progress(len(new_communes))
                new_communes = []
        Commune.objects.bulk_create(new_communes)
        Commune.objects.bulk_update(changed_communes, ["name", "division_type", "codename", "province_id"])
        created["communes"] += len(new_communes)
        created["updated"] += len(changed_communes)
        progress(len(new_communes) + len(changed_communes))
    return created
