"""The named cast shared by the tests: two provinces, a few agencies, one user per role per province."""

import os
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from agencies.models import AgencyKind, ObligationYear, ObligationYearState, Role
from tests.factories import (
    AgencyFactory,
    CommuneFactory,
    MembershipFactory,
    ObligationFactory,
    ProvinceFactory,
    UserFactory,
)

PASSWORD = "correct-horse-battery"


def require_services(reason: str) -> None:
    """Skip a test that needs PostgreSQL and Redis (or LibreOffice); where CI promises them (REQUIRE_SERVICES=1),
    fail instead."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"CI promised its services and tools (REQUIRE_SERVICES=1) but: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the portal's language, as a worker or a command does: a request made by an earlier
    test in English leaves English active in the thread (LocaleMiddleware activates, nothing deactivates), and
    text stored outside a request (checklist suggestions, e-mails) would then be English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@dataclass
class Cast:
    provinces: dict = field(default_factory=dict)
    communes: dict = field(default_factory=dict)
    agencies: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)


AGENCY_USERS = {"officer": Role.ISO_OFFICER, "head": Role.AGENCY_HEAD}
PROVINCE_USERS = {"inspector": Role.INSPECTOR, "leader": Role.DEPARTMENT_LEADER, "ubnd": Role.PROVINCIAL_LEADERSHIP}


@pytest.fixture
def cast(db) -> Cast:
    c = Cast()
    c.provinces["ag"] = ProvinceFactory(code=91, name="An Giang", codename="an_giang")
    c.provinces["cb"] = ProvinceFactory(code=4, name="Cao Bằng", codename="cao_bang")
    c.communes["ag"] = CommuneFactory(code=30280, name="Phường Long Xuyên", division_type="phường",
                                      province=c.provinces["ag"])
    c.communes["cb"] = CommuneFactory(code=1270, name="Phường Thục Phán", division_type="phường",
                                      province=c.provinces["cb"])
    for prefix in ("ag", "cb"):
        province = c.provinces[prefix]
        ubnd = AgencyFactory(name=f"Ủy ban nhân dân tỉnh {province.name}", short_code="UBND",
                             kind=AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE, province=province)
        c.agencies[f"{prefix}_ubnd"] = ubnd
        c.agencies[f"{prefix}_skhcn"] = AgencyFactory(name="Sở Khoa học và Công nghệ", short_code="SKHCN",
                                                      province=province, parent=ubnd)
        c.agencies[f"{prefix}_stp"] = AgencyFactory(name="Sở Tư pháp", short_code="STP", province=province, parent=ubnd)
        c.agencies[f"{prefix}_snv"] = AgencyFactory(name="Sở Nội vụ", short_code="SNV", province=province, parent=ubnd)
        for agency in [a for key, a in c.agencies.items() if key.startswith(prefix)]:
            ObligationFactory(agency=agency, year=2026)
        ObligationYear.objects.create(province=province, year=2026, state=ObligationYearState.CONFIRMED,
                                      confirmed_at=timezone.now())
        for name, role in AGENCY_USERS.items():
            user = UserFactory(username=f"{prefix}_{name}")
            MembershipFactory(user=user, role=role, agency=c.agencies[f"{prefix}_stp"], province=province)
            c.users[f"{prefix}_{name}"] = user
        for name, role in PROVINCE_USERS.items():
            user = UserFactory(username=f"{prefix}_{name}")
            MembershipFactory(user=user, role=role, province=province)
            c.users[f"{prefix}_{name}"] = user
    c.users["ministry"] = UserFactory(username="ministry")
    MembershipFactory(user=c.users["ministry"], role=Role.MINISTRY)
    c.users["admin"] = UserFactory(username="admin", is_staff=True, is_superuser=True)
    MembershipFactory(user=c.users["admin"], role=Role.ADMINISTRATOR)
    c.users["nobody"] = UserFactory(username="nobody")
    return c


@pytest.fixture
def padmins(cast) -> Cast:
    """The cast plus each province's portal administrator (ag_padmin, cb_padmin)."""
    for prefix in ("ag", "cb"):
        user = UserFactory(username=f"{prefix}_padmin")
        MembershipFactory(user=user, role=Role.PROVINCE_ADMINISTRATOR, province=cast.provinces[prefix])
        cast.users[f"{prefix}_padmin"] = user
    return cast


@pytest.fixture
def eager_retries():
    """Eager tasks run their retries in place instead of raising them."""
    from qms_portal.celery import app

    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = True


@pytest.fixture
def api():
    """An API client; `api.as_user(user)` authenticates with a real token."""

    class Client(APIClient):
        def as_user(self, user):
            self.force_authenticate(user=user)
            return self

    return Client()


def _database_url_for_subprocess() -> str:
    from django.db import connection

    s = connection.settings_dict
    if not s["ENGINE"].endswith("postgresql"):
        require_services("a worker in another process needs PostgreSQL (set DATABASE_URL)")
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db, settings):
    """A real `celery worker` process on Redis, reading and writing the test database: a
    `tests.faults.WorkerProcess`, which the test may also kill and start again."""
    from pathlib import Path

    from qms_portal.celery import app
    from tests.faults import WorkerProcess

    if not os.environ.get("REDIS_URL"):
        require_services("a real worker needs Redis (set REDIS_URL)")
    # The worker stores files where this process reads them, also when a test moved MEDIA_ROOT.
    worker = WorkerProcess(env={"DATABASE_URL": _database_url_for_subprocess(), "MEDIA_ROOT": str(settings.MEDIA_ROOT),
                                "DJANGO_SETTINGS_MODULE": "qms_portal.settings.test"},
                           log_path=Path(settings.MEDIA_ROOT).parent / "celery-test-worker.log")
    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.task_always_eager = False
    try:
        yield worker.start(timeout=60)
    finally:
        app.conf.task_always_eager = True
        worker.stop()


@pytest.fixture(scope="session")
def libreoffice(tmp_path_factory):
    """`convert(docx_bytes, name) -> pdf_bytes` with Debian's LibreOffice, in a profile of this test session."""
    from tests.printing.office import docx_to_pdf, soffice_required

    soffice_required()
    profile = tmp_path_factory.mktemp("libreoffice-profile")
    workdir = tmp_path_factory.mktemp("libreoffice-out")
    return lambda docx, name="document": docx_to_pdf(docx, workdir=workdir, profile=profile, name=name)
