"""Issuing bodies as data (issue 14): header lines broken where a clerk breaks them, titles and the signing forms
Decree 30/2020 allows each body; names of divisions composed from the division type once, for every unit."""

from types import SimpleNamespace

import pytest
import vietnam_provinces as vp

from agencies.divisions import (
    bare_name,
    committee_header,
    committee_name,
    division_name,
    division_title,
    place_name,
)
from agencies.issuers import SigningForm, header_lines, issuer_of, ministry_issuer
from agencies.models import AgencyKind
from tests.factories import AgencyFactory, CommuneFactory, ProvinceFactory

PROVINCES = [SimpleNamespace(name=p.name, division_type=p.division_type.value) for p in vp.Province.iter_all()]
COMMUNES = [SimpleNamespace(name=w.name, division_type=w.division_type.value) for w in vp.Ward.iter_all()]
TYPE_WORDS = ("thành phố", "tỉnh", "xã", "phường", "đặc khu")


def test_the_package_holds_34_provinces_and_3321_communes():
    assert len(PROVINCES) == 34 and len(COMMUNES) == 3321


@pytest.mark.parametrize("unit", PROVINCES + COMMUNES, ids=lambda u: u.name)
def test_every_division_name_carries_its_type_exactly_once(unit):
    word = "thành phố" if unit.division_type.startswith("thành phố") else unit.division_type
    bare = bare_name(unit.name, unit.division_type)
    assert bare and not any(bare.lower().startswith(w + " ") for w in TYPE_WORDS if w == word)
    assert division_name(unit) == f"{word} {bare}"
    assert division_title(unit) == f"{word[0].upper()}{word[1:]} {bare}"
    assert committee_name(unit) == f"Ủy ban nhân dân {word} {bare}"
    assert committee_header(unit) == f"UBND {word.upper()} {bare.upper()}"
    for text in (division_name(unit), committee_name(unit).lower(), committee_header(unit).lower()):
        assert f"{word} {word}" not in text and "khu khu" not in text and "phố thành phố" not in text


def test_names_as_the_issue_saw_them_wrong():
    hcm = next(p for p in PROVINCES if p.name == "Thành phố Hồ Chí Minh")
    phu_quoc = next(c for c in COMMUNES if c.name == "Đặc khu Phú Quốc")
    assert committee_header(hcm) == "UBND THÀNH PHỐ HỒ CHÍ MINH"
    assert division_name(hcm) == "thành phố Hồ Chí Minh"
    assert committee_name(phu_quoc) == "Ủy ban nhân dân đặc khu Phú Quốc"
    assert place_name(hcm) == "Thành phố Hồ Chí Minh"
    assert place_name(next(p for p in PROVINCES if p.name == "Thành phố Hà Nội")) == "Hà Nội"
    assert place_name(next(p for p in PROVINCES if p.name == "An Giang")) == "An Giang"
    assert place_name(phu_quoc) == "Phú Quốc"


@pytest.mark.parametrize(("name", "lines"), [
    ("Chi cục Tiêu chuẩn Đo lường Chất lượng", ("CHI CỤC TIÊU CHUẨN ĐO LƯỜNG", "CHẤT LƯỢNG")),
    ("Sở Khoa học và Công nghệ", ("SỞ KHOA HỌC VÀ CÔNG NGHỆ",)),
    ("Sở Nông nghiệp và Môi trường", ("SỞ NÔNG NGHIỆP", "VÀ MÔI TRƯỜNG")),
    ("Sở Văn hóa, Thể thao và Du lịch", ("SỞ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH")),
    ("Văn phòng Ủy ban nhân dân tỉnh An Giang", ("VĂN PHÒNG ỦY BAN NHÂN DÂN", "TỈNH AN GIANG")),
])
def test_header_lines_break_where_a_clerk_breaks_them(name, lines):
    assert header_lines(name, keep=("TỈNH AN GIANG",)) == lines




@pytest.mark.django_db
@pytest.mark.parametrize("province", PROVINCES, ids=lambda p: p.name)
def test_every_province_committee_and_sub_department_header_fits_without_breaking_a_name(province):
    place = ProvinceFactory(name=province.name, division_type=province.division_type)
    ubnd = AgencyFactory(name=committee_name(place), short_code="UBND", province=place,
                         kind=AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE)
    so = AgencyFactory(name="Sở Khoa học và Công nghệ", short_code="SKHCN", province=place, parent=ubnd,
                       kind=AgencyKind.DEPARTMENT)
    unit = AgencyFactory(name="Chi cục Tiêu chuẩn Đo lường Chất lượng", short_code="CCTDC", province=place,
                         parent=so, kind=AgencyKind.SUB_DEPARTMENT)
    bare = bare_name(province.name, province.division_type).upper()
    committee = issuer_of(ubnd)
    assert committee.parent_lines == ()
    word = "THÀNH PHỐ" if province.division_type.startswith("thành phố") else "TỈNH"
    assert committee.body_lines == ("ỦY BAN NHÂN DÂN", f"{word} {bare}")  # the place name is never split
    assert issuer_of(so).parent_lines == (committee_header(place),)
    assert issuer_of(so).body_lines == ("SỞ KHOA HỌC VÀ CÔNG NGHỆ",)
    assert issuer_of(unit).parent_lines == ("SỞ KHOA HỌC VÀ CÔNG NGHỆ",)
    assert issuer_of(unit).body_lines == ("CHI CỤC TIÊU CHUẨN ĐO LƯỜNG", "CHẤT LƯỢNG")


@pytest.mark.django_db
def test_signing_forms_and_titles_per_body():
    place = ProvinceFactory(name="An Giang", division_type="tỉnh")
    ubnd = AgencyFactory(name="Ủy ban nhân dân tỉnh An Giang", short_code="UBND", province=place,
                         kind=AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE)
    so = AgencyFactory(name="Sở Khoa học và Công nghệ", short_code="SKHCN", province=place, parent=ubnd,
                       kind=AgencyKind.DEPARTMENT)
    unit = AgencyFactory(name="Chi cục Tiêu chuẩn Đo lường Chất lượng", short_code="CCTDC", province=place,
                         parent=so, kind=AgencyKind.SUB_DEPARTMENT)
    committee = issuer_of(ubnd)
    assert committee.capacity_lines(SigningForm.COLLECTIVE_DEPUTY) == ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH",
                                                                       "PHÓ CHỦ TỊCH")
    assert committee.capacity_lines(SigningForm.COLLECTIVE) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert committee.blank_number("BC").endswith("/BC-UBND")
    sub = issuer_of(unit)
    assert sub.capacity_lines(SigningForm.DEPUTY) == ("KT. CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG")
    assert sub.capacity_lines(SigningForm.HEAD) == ("CHI CỤC TRƯỞNG",)
    assert sub.capacity_lines(SigningForm.ACTING) == ("Q. CHI CỤC TRƯỞNG",)
    assert sub.capacity_lines(SigningForm.ON_ORDER)[0] == "TL. CHI CỤC TRƯỞNG"
    assert issuer_of(so).capacity_lines(SigningForm.AUTHORISED)[0] == "TUQ. GIÁM ĐỐC"
    # a body signs only in the forms Decree 30 gives it
    with pytest.raises(ValueError):
        sub.capacity_lines(SigningForm.COLLECTIVE_DEPUTY)
    with pytest.raises(ValueError):
        committee.capacity_lines(SigningForm.ACTING)
    assert dict(sub.form_choices())[SigningForm.DEPUTY] == "KT. CHI CỤC TRƯỞNG / PHÓ CHI CỤC TRƯỞNG"
    assert ministry_issuer().capacity_lines(SigningForm.DEPUTY) == ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG")


@pytest.mark.django_db
def test_a_commune_committee_speaks_for_its_commune_and_a_printed_name_overrides():
    place = ProvinceFactory(name="An Giang", division_type="tỉnh")
    commune = CommuneFactory(name="Đặc khu Phú Quốc", division_type="đặc khu", province=place)
    ubnd = AgencyFactory(name="Ủy ban nhân dân đặc khu Phú Quốc", short_code="UBND-PQ", province=place,
                         commune=commune, kind=AgencyKind.COMMUNE_PEOPLES_COMMITTEE)
    issuer = issuer_of(ubnd)
    assert issuer.parent_lines == ("UBND TỈNH AN GIANG",)
    assert issuer.body_lines == ("ỦY BAN NHÂN DÂN", "ĐẶC KHU PHÚ QUỐC")
    assert issuer.place == "Phú Quốc"
    school = AgencyFactory(name="Trường Trung học phổ thông Nguyễn Bỉnh Khiêm", short_code="THPTNBK",
                           province=place, kind=AgencyKind.PUBLIC_SERVICE_UNIT,
                           printed_name="Trường Trung học phổ thông\nNguyễn Bỉnh Khiêm")
    assert issuer_of(school).body_lines == ("TRƯỜNG TRUNG HỌC PHỔ THÔNG", "NGUYỄN BỈNH KHIÊM")
