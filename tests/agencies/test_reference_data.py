import pytest
from django.core.management import call_command

from agencies.divisions import load_divisions
from agencies.models import Agency, AgencyObligation, Commune, Membership, Province, ProvinceSettings, Role

pytestmark = pytest.mark.django_db


def test_load_divisions_is_complete_and_idempotent():
    first = load_divisions()
    assert first["provinces"] == 34 and first["communes"] == 3321
    assert Commune.objects.values("division_type").distinct().count() == 3
    second = load_divisions()
    assert second == {"provinces": 0, "communes": 0, "updated": 0}
    assert Province.objects.count() == 34 and Commune.objects.count() == 3321
    an_giang = Province.objects.get(code=91)
    assert an_giang.name == "An Giang" and an_giang.communes.count() > 90


def test_old_units_stay_as_history():
    from datetime import date

    load_divisions()
    old = Province.objects.create(code=42, name="Hà Tĩnh (cũ)", division_type="tỉnh", codename="ha_tinh_old",
                                  valid_from=date(1991, 8, 12), valid_to=date(2025, 6, 30))
    load_divisions()
    assert Province.objects.filter(pk=old.pk).exists()
    assert Province.objects.current().filter(code=42).count() == 1


def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo", verbosity=0)
    counts = (Agency.objects.count(), AgencyObligation.objects.count(), Membership.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Agency.objects.count(), AgencyObligation.objects.count(), Membership.objects.count()) == counts
    an_giang = Province.objects.get(code=91)
    communes = an_giang.communes.count()
    assert Agency.objects.filter(province=an_giang, kind="ubnd_xa").count() == communes
    assert Agency.objects.filter(province=an_giang, kind="don_vi_su_nghiep").count() >= 5
    settings = ProvinceSettings.objects.get(province=an_giang)
    assert settings.inspecting_agency.short_code == "CCTDC" and settings.lead_agency.short_code == "SKHCN"
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert "ag_officer" in capsys.readouterr().out


def test_seeded_accounts_log_in_and_are_scoped(client, api):
    call_command("seed_demo", verbosity=0)
    response = api.post("/api/v1/auth/token/", {"username": "ag_officer", "password": "qms-demo-2026"})
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    cao_bang_agency = Agency.objects.filter(province__code=4).first()
    assert api.get(f"/api/v1/agencies/{cao_bang_agency.pk}/").status_code == 404
    response = client.post("/accounts/login/", {"username": "cb_inspector", "password": "qms-demo-2026"})
    assert response.status_code == 302
