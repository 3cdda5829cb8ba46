"""qms_portal.people.person_name: Vietnamese names family name first."""

from django.contrib.auth import get_user_model


def _user(**fields):
    return get_user_model()(username=fields.pop("username", "nguoidung"), **fields)


def test_family_name_comes_first():
    assert _user(first_name="Lan", last_name="Nguyễn Thị").get_full_name() == "Lan Nguyễn Thị"
    from qms_portal.people import person_name

    assert person_name(_user(first_name="Lan", last_name="Nguyễn Thị")) == "Nguyễn Thị Lan"


def test_one_part_of_the_name_alone_is_shown_without_extra_spaces():
    from qms_portal.people import person_name

    assert person_name(_user(first_name="Lan")) == "Lan"
    assert person_name(_user(last_name="Nguyễn")) == "Nguyễn"


def test_the_username_stands_in_when_no_name_is_recorded():
    from qms_portal.people import person_name

    assert person_name(_user(username="canbo.iso")) == "canbo.iso"


def test_nobody_has_an_empty_name():
    from qms_portal.people import person_name

    assert person_name(None) == ""
