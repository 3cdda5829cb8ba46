"""Load the current administrative units from the `vietnam-provinces` package, idempotently, in bulk."""

from collections.abc import Callable
from datetime import date

import vietnam_provinces as vp
from django.db import transaction

from .models import Commune, Province

# The two-level structure (province, commune) took effect on 01/07/2025.
CURRENT_FROM = date(2025, 7, 1)


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
