"""The rules of each kind of record of the QMS file (qms.services: `_part_rules`, `_supersede_others`,
`_after_create`, `_set_also_covers`, `reannouncement_mark_due`), called as the API and pages call them: each
refusal names its field and its translated message and saves nothing; each accepted record gets what the rule
fills in. Written from the survivors of `make mutate MODULES=qms_lifecycle` (docs/mutation.md)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from qms import services
from qms.models import (
    Announcement,
    Complaint,
    DocumentStatus,
    Edition,
    InternalAudit,
    InternalCorrectiveAction,
    ManagementReview,
    Procedure,
    QmsDocument,
    QmsRecord,
    Stage,
)
from qms.parts import PARTS

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days(n):
    return TODAY - timedelta(days=n)


@pytest.fixture
def officer(cast):
    return cast.users["ag_officer"]


@pytest.fixture
def stp(cast):
    return cast.agencies["ag_stp"]


@pytest.fixture
def qms(stp):
    return QmsRecord.objects.create(agency=stp, stage=Stage.BUILDING, edition=Edition.ISO_2015,
                                    steering_decision_number="1/QĐ-STP", steering_decision_date=days(300),
                                    build_started_on=days(290))


def refused(call, field, message):
    """`call` raises a ValidationError on `field` alone, with exactly `message` (translated)."""
    assert message != gettext("This field is required.")
    with pytest.raises(ValidationError) as error:
        call()
    assert error.value.message_dict == {field: [message]}


def create(officer, stp, slug, **data):
    return services.qms_part_create(actor=officer, agency=stp, part=PARTS[slug], data=data)


ANNOUNCEMENT = {"decision_number": "12/QĐ-STP", "decision_date": days(10), "signer": "Giám đốc",
                "scope": "Toàn bộ thủ tục hành chính"}


def test_a_second_first_announcement_is_refused_on_kind(officer, stp, qms):
    create(officer, stp, "announcements", kind="first", **ANNOUNCEMENT)
    refused(lambda: create(officer, stp, "announcements", kind="first", **{**ANNOUNCEMENT, "decision_number": "2"}),
            "kind", gettext("The first announcement is already recorded; this is a re-announcement."))
    assert Announcement.objects.filter(qms=qms).count() == 1


def test_the_first_announcement_may_be_corrected(officer, stp, qms):
    first = create(officer, stp, "announcements", kind="first", **ANNOUNCEMENT)
    services.qms_part_update(actor=officer, obj=first, part=PARTS["announcements"], data={"signer": "Phó Giám đốc"})
    assert Announcement.objects.get(pk=first.pk).signer == "Phó Giám đốc"


def test_a_first_announcement_has_no_reason_and_takes_the_systems_edition(officer, stp, qms):
    first = create(officer, stp, "announcements", kind="first", reason="merger", **ANNOUNCEMENT)
    assert (first.reason, first.edition) == ("", Edition.ISO_2015)
    kept = create(officer, stp, "announcements", kind="re", reason="merger", edition=Edition.ISO_2008,
                  **{**ANNOUNCEMENT, "decision_number": "13/QĐ-STP"})
    assert (kept.reason, kept.edition) == ("merger", Edition.ISO_2008)


def test_a_reannouncement_needs_its_reason(officer, stp, qms):
    refused(lambda: create(officer, stp, "announcements", kind="re", **ANNOUNCEMENT),
            "reason", gettext("Say why the system is announced again."))
    assert not Announcement.objects.exists()


def test_a_legal_update_is_due_three_months_after_it_takes_effect_and_not_reflected_before(officer, stp, qms):
    update = create(officer, stp, "legal-updates", legal_document="Nghị định 30/2020/NĐ-CP",
                    effective_on=date(2026, 1, 31), updated_on=date(2026, 2, 2))
    assert update.due_on == date(2026, 4, 30)
    refused(lambda: create(officer, stp, "legal-updates", legal_document="Thông tư 01",
                           effective_on=date(2026, 3, 1), updated_on=date(2026, 2, 28)),
            "updated_on", gettext("The update cannot come before the legal document takes effect."))
    same_day = create(officer, stp, "legal-updates", legal_document="Thông tư 02", effective_on=date(2026, 3, 1),
                      updated_on=date(2026, 3, 1))
    assert same_day.updated_on == same_day.effective_on


@pytest.mark.parametrize(("slug", "data"), [
    ("internal-audits", {"auditors": "Nguyễn Văn A"}),
    ("management-reviews", {"chair": "Giám đốc"}),
])
def test_audits_and_reviews_cannot_predate_the_build(officer, stp, qms, slug, data):
    start = qms.build_started_on
    refused(lambda: create(officer, stp, slug, held_on=start - timedelta(days=1), **data),
            "held_on", gettext("This cannot predate the building of the system (%(date)s).")
            % {"date": start.strftime("%d/%m/%Y")})
    assert create(officer, stp, slug, held_on=start, **data).held_on == start


def test_without_a_build_date_the_steering_decision_bounds_the_audits(officer, stp, qms):
    qms.build_started_on = None
    qms.save()
    decided = qms.steering_decision_date
    refused(lambda: create(officer, stp, "internal-audits", held_on=decided - timedelta(days=1), auditors="A"),
            "held_on", gettext("This cannot predate the building of the system (%(date)s).")
            % {"date": decided.strftime("%d/%m/%Y")})
    assert not InternalAudit.objects.exists() and not ManagementReview.objects.exists()


def test_a_corrective_action_stays_within_its_system(officer, stp, qms, cast):
    other = QmsRecord.objects.create(agency=cast.agencies["ag_snv"], stage=Stage.BUILDING)
    foreign = InternalAudit.objects.create(qms=other, held_on=days(5), auditors="B")
    action = {"description": "Hồ sơ thiếu", "action": "Bổ sung", "owner": "Phòng HC", "due_on": TODAY}
    refused(lambda: create(officer, stp, "corrective-actions", internal_audit=foreign, **action),
            "internal_audit", gettext("This internal audit belongs to another system."))
    own = InternalAudit.objects.create(qms=qms, held_on=days(5), auditors="A")
    assert create(officer, stp, "corrective-actions", internal_audit=own, **action).internal_audit == own
    refused(lambda: create(officer, stp, "corrective-actions", status="done", **action),
            "done_on", gettext("Give the date the action was done."))
    reopened = create(officer, stp, "corrective-actions", status="open", done_on=days(1), **action)
    assert reopened.done_on is None
    done = create(officer, stp, "corrective-actions", status="done", done_on=days(1), **action)
    assert done.done_on == days(1)
    assert InternalCorrectiveAction.objects.count() == 3


def test_a_procedure_code_is_unique_per_agency_and_adding_one_calls_for_reannouncement(officer, stp, qms, cast):
    QmsRecord.objects.filter(pk=qms.pk).update(stage=Stage.MAINTAINING)
    create(officer, stp, "procedures", code="1.001", name="Cấp phiếu lý lịch tư pháp")
    qms.refresh_from_db()
    assert qms.stage == Stage.REANNOUNCEMENT_DUE
    assert qms.reannouncement_reason == gettext("The scope changed: a procedure was added.")
    assert qms.history.latest().history_user == officer
    refused(lambda: create(officer, stp, "procedures", code="1.001", name="Trùng mã"),
            "code", gettext("The agency already has a procedure with this code."))
    Procedure.objects.create(agency=cast.agencies["ag_snv"], code="1.002", name="Khác")
    assert create(officer, stp, "procedures", code="1.002", name="Cùng mã, cơ quan khác").code == "1.002"


def test_withdrawing_a_procedure_calls_for_reannouncement(officer, stp, qms, cast):
    procedure = create(officer, stp, "procedures", code="1.001", name="Cấp phiếu lý lịch tư pháp")
    QmsRecord.objects.filter(pk=qms.pk).update(stage=Stage.MAINTAINING, reannouncement_reason="")
    services.qms_part_update(actor=officer, obj=procedure, part=PARTS["procedures"], data={"name": "Đổi tên"})
    assert QmsRecord.objects.get(pk=qms.pk).stage == Stage.MAINTAINING, "a new name is no change of scope"
    services.qms_part_update(actor=officer, obj=procedure, part=PARTS["procedures"], data={"is_active": False})
    qms.refresh_from_db()
    assert (qms.stage, qms.reannouncement_reason) == (
        Stage.REANNOUNCEMENT_DUE, gettext("The scope changed: a procedure was removed or restored."))
    outsider = cast.users["cb_officer"]
    with pytest.raises(PermissionDenied):
        services.qms_part_update(actor=outsider, obj=procedure, part=PARTS["procedures"], data={"name": "X"})


def test_texts_are_cleaned_by_the_kind_of_their_field(officer, stp, qms):
    """A one-line field (CharField) refuses a line break, a text field keeps it; both are NFC and trimmed."""
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "  Cấp phiếu lý lịch tư pháp ")
    procedure = create(officer, stp, "procedures", code=" 1.001 ", name=decomposed)
    assert (procedure.code, procedure.name) == ("1.001", "Cấp phiếu lý lịch tư pháp")
    with pytest.raises(ValidationError) as error:
        create(officer, stp, "procedures", code="1.002", name="Dòng một\nDòng hai")
    assert error.value.messages == [gettext("The text contains control characters that are not allowed.")]
    complaint = create(officer, stp, "complaints", received_on=days(2), summary=" Dòng một\nDòng hai ")
    assert complaint.summary == "Dòng một\nDòng hai"
    assert Procedure.objects.filter(agency=stp).count() == 1


def test_a_complaint_is_not_resolved_before_it_is_received(officer, stp, qms):
    refused(lambda: create(officer, stp, "complaints", received_on=days(3), resolved_on=days(4), summary="Chậm"),
            "resolved_on", gettext("A complaint cannot be resolved before it was received."))
    assert create(officer, stp, "complaints", received_on=days(3), resolved_on=days(3), summary="Chậm").pk
    assert Complaint.objects.count() == 1


def test_an_announcement_is_not_notified_or_posted_before_its_decision(officer, stp, qms):
    """The Sở is notified of the decision and it is posted at the office after it is signed, not before: the dates
    in the wrong order were kept as typed."""
    refused(lambda: create(officer, stp, "announcements", kind="first", **ANNOUNCEMENT, notification_number="5/TB",
                           notification_date=days(11)),
            "notification_date", gettext("The Sở cannot be notified before the announcement decision (%(date)s).")
            % {"date": days(10).strftime("%d/%m/%Y")})
    refused(lambda: create(officer, stp, "announcements", kind="first", **ANNOUNCEMENT, posted_at_office_on=days(12)),
            "posted_at_office_on", gettext("The decision cannot be posted before it is signed (%(date)s).")
            % {"date": days(10).strftime("%d/%m/%Y")})
    assert not Announcement.objects.exists()
    same_day = create(officer, stp, "announcements", kind="first", **ANNOUNCEMENT, notification_date=days(10),
                      posted_at_office_on=days(10))
    assert (same_day.notification_date, same_day.posted_at_office_on) == (days(10), days(10))


def test_a_corrective_action_is_not_done_before_its_internal_audit(officer, stp, qms):
    audit = create(officer, stp, "internal-audits", held_on=days(20), auditors="Nguyễn Văn A", nonconformities=1)
    action = {"internal_audit": audit, "description": "Hồ sơ thiếu", "action": "Bổ sung", "owner": "Trần B",
              "due_on": days(5), "status": "done"}
    refused(lambda: create(officer, stp, "corrective-actions", **action, done_on=days(21)),
            "done_on", gettext("The action cannot be done before the internal audit that found it (%(date)s).")
            % {"date": days(20).strftime("%d/%m/%Y")})
    assert not InternalCorrectiveAction.objects.exists()
    assert create(officer, stp, "corrective-actions", **action, done_on=days(20)).pk


def test_a_document_in_force_supersedes_the_edition_in_force_only(officer, stp, qms):
    first = create(officer, stp, "documents", kind="work_process", code="QT-01", title="Quy trình",
                   status=DocumentStatus.IN_FORCE)
    other = create(officer, stp, "documents", kind="work_process", code="QT-02", title="Khác",
                   status=DocumentStatus.IN_FORCE)
    draft = create(officer, stp, "documents", kind="work_process", code="QT-01", title="Dự thảo")
    first.refresh_from_db()
    assert first.status == DocumentStatus.IN_FORCE and draft.edition == 2
    third = create(officer, stp, "documents", kind="work_process", code="QT-01", title="Bản 3",
                   status=DocumentStatus.IN_FORCE)
    statuses = dict(QmsDocument.objects.values_list("pk", "status"))
    assert statuses == {first.pk: DocumentStatus.SUPERSEDED, other.pk: DocumentStatus.IN_FORCE,
                        draft.pk: DocumentStatus.DRAFT, third.pk: DocumentStatus.IN_FORCE}
    latest = first.history.latest()
    assert latest.history_change_reason == gettext("Superseded by edition %(n)s") % {"n": 3}
    assert latest.history_user == officer
    created = third.history.latest()
    assert (created.history_type, created.history_user, created.history_change_reason) == ("+", officer, ""), \
        "a plain save gives no reason"


def test_superseding_stays_within_the_system_and_spares_the_document_saved(officer, stp, qms, cast):
    elsewhere = QmsRecord.objects.create(agency=cast.agencies["ag_snv"], stage=Stage.BUILDING)
    foreign = QmsDocument.objects.create(qms=elsewhere, kind="work_process", code="QT-01", title="Của Sở Nội vụ",
                                         status=DocumentStatus.IN_FORCE)
    own = create(officer, stp, "documents", kind="work_process", code="QT-01", title="Quy trình",
                 status=DocumentStatus.IN_FORCE)
    services.qms_part_update(actor=officer, obj=own, part=PARTS["documents"], data={"title": "Quy trình (sửa)"})
    assert QmsDocument.objects.get(pk=foreign.pk).status == DocumentStatus.IN_FORCE
    own.refresh_from_db()
    assert (own.status, own.title) == (DocumentStatus.IN_FORCE, "Quy trình (sửa)")
    assert not own.history.filter(history_change_reason__startswith=gettext("Superseded by edition %(n)s")
                                  .split("%")[0]).exists()


def test_an_announcement_of_the_current_edition_announces_a_reannouncement_due(officer, stp, qms):
    QmsRecord.objects.filter(pk=qms.pk).update(stage=Stage.REANNOUNCEMENT_DUE, reannouncement_reason="Sáp nhập",
                                               effectiveness_confirmed_on=days(20))
    version = QmsRecord.objects.get(pk=qms.pk).version
    create(officer, stp, "announcements", kind="re", reason="merger", edition=Edition.ISO_2008,
           **{**ANNOUNCEMENT, "decision_number": "5/QĐ-STP"})
    qms.refresh_from_db()
    assert qms.stage == Stage.REANNOUNCEMENT_DUE, "an announcement of another edition changes nothing"
    create(officer, stp, "announcements", kind="re", reason="merger", **ANNOUNCEMENT)
    qms.refresh_from_db()
    assert (qms.stage, qms.reannouncement_reason, qms.version) == (Stage.ANNOUNCED, "", version + 1)
    latest = qms.history.latest()
    assert latest.history_change_reason == gettext("Announcement %(number)s") % {
        "number": ANNOUNCEMENT["decision_number"]}
    assert latest.history_user == officer


def test_an_announcement_without_the_heads_confirmation_leaves_the_reannouncement_due(officer, stp, qms):
    QmsRecord.objects.filter(pk=qms.pk).update(stage=Stage.REANNOUNCEMENT_DUE)
    create(officer, stp, "announcements", kind="re", reason="merger", **ANNOUNCEMENT)
    qms.refresh_from_db()
    assert qms.stage == Stage.REANNOUNCEMENT_DUE


@pytest.mark.parametrize("stage", [Stage.ANNOUNCED, Stage.MAINTAINING])
def test_reannouncement_due_keeps_the_reason_and_counts_a_version(officer, qms, stage):
    QmsRecord.objects.filter(pk=qms.pk).update(stage=stage)
    qms.refresh_from_db()
    version = qms.version
    services.reannouncement_mark_due(qms, actor=officer, reason="x" * 300)
    stored = QmsRecord.objects.get(pk=qms.pk)
    assert (stored.stage, stored.reannouncement_reason, stored.version) == (
        Stage.REANNOUNCEMENT_DUE, "x" * 255, version + 1)
    latest = stored.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (officer, "x" * 300)


def test_the_reason_of_a_change_of_stage_is_kept_whole_in_the_history(officer, qms):
    """The form and the API take reasons up to 255 characters; the history column used to hold 100 (a longer
    reason was a server error)."""
    reason = "Quay lại giai đoạn xây dựng vì " + "tài liệu chưa đầy đủ, " * 10
    reason = reason[:255].strip()
    services.qms_update(actor=officer, qms=qms, data={"stage": Stage.NOT_STARTED}, reason=reason)
    assert QmsRecord.objects.get(pk=qms.pk).history.latest().history_change_reason == reason


def test_going_back_needs_a_reason(officer, qms):
    refused(lambda: services.qms_update(actor=officer, qms=qms, data={"stage": Stage.NOT_STARTED}), "reason",
            gettext("Give the reason for this change of stage; it is kept in the history."))
    assert QmsRecord.objects.get(pk=qms.pk).stage == Stage.BUILDING


def test_a_stage_change_to_reannouncement_keeps_its_reason_and_the_next_move_clears_it(officer, qms):
    QmsRecord.objects.filter(pk=qms.pk).update(stage=Stage.MAINTAINING)
    qms.refresh_from_db()
    services.qms_update(actor=officer, qms=qms, data={"stage": Stage.REANNOUNCEMENT_DUE}, reason="y" * 300)
    assert QmsRecord.objects.get(pk=qms.pk).reannouncement_reason == "y" * 255
    services.qms_update(actor=officer, qms=QmsRecord.objects.get(pk=qms.pk), data={"stage": Stage.INACTIVE},
                        reason="Giải thể")
    assert QmsRecord.objects.get(pk=qms.pk).reannouncement_reason == ""


@pytest.mark.parametrize("stage", [Stage.BUILDING, Stage.APPLYING, Stage.REANNOUNCEMENT_DUE, Stage.INACTIVE])
def test_only_an_announced_system_falls_due_for_reannouncement(officer, qms, stage):
    QmsRecord.objects.filter(pk=qms.pk).update(stage=stage, reannouncement_reason="")
    qms.refresh_from_db()
    services.reannouncement_mark_due(qms, actor=officer, reason="Sáp nhập")
    assert QmsRecord.objects.filter(pk=qms.pk, stage=stage, reannouncement_reason="").exists()


class TestAlsoCovers:
    """One system may cover other agencies of its province; every other id is refused on `also_covers`."""

    @pytest.fixture
    def admin(self, cast):
        return cast.users["admin"]

    @pytest.fixture
    def ubnd(self, cast):
        return QmsRecord.objects.create(agency=cast.agencies["ag_ubnd"], stage=Stage.BUILDING)

    def cover(self, actor, qms, *agencies):
        return services.qms_update(actor=actor, qms=qms, data={"also_covers": list(agencies)})

    def refused(self, actor, qms, agencies, message):
        refused(lambda: self.cover(actor, qms, *agencies), "also_covers", message)
        assert not QmsRecord.objects.get(pk=qms.pk).also_covers.exists()

    def test_an_agency_of_the_province_is_covered(self, admin, ubnd, cast):
        skhcn = cast.agencies["ag_skhcn"]
        self.cover(admin, ubnd, skhcn)
        assert list(QmsRecord.objects.get(pk=ubnd.pk).also_covers.all()) == [skhcn]

    def test_an_agency_out_of_sight_looks_missing(self, cast, qms):
        snv = cast.agencies["ag_snv"]
        self.refused(cast.users["ag_officer"], qms, [snv], gettext("No agency with id %(id)s.") % {"id": snv.pk})

    def test_its_own_agency(self, admin, ubnd, cast):
        self.refused(admin, ubnd, [cast.agencies["ag_ubnd"]],
                     gettext("A system does not need to cover its own agency twice."))

    def test_another_province(self, admin, ubnd, cast):
        self.refused(admin, ubnd, [cast.agencies["cb_stp"]], gettext("Choose agencies of the same province."))

    def test_an_agency_with_a_system_of_its_own(self, admin, ubnd, cast):
        stp = cast.agencies["ag_stp"]
        QmsRecord.objects.create(agency=stp, stage=Stage.APPLYING)
        self.refused(admin, ubnd, [stp], gettext("%(name)s keeps a system of its own.") % {"name": stp.name})

    def test_an_agency_not_started_may_be_covered(self, admin, ubnd, cast):
        stp = cast.agencies["ag_stp"]
        QmsRecord.objects.create(agency=stp, stage=Stage.NOT_STARTED)
        self.cover(admin, ubnd, stp)
        assert list(QmsRecord.objects.get(pk=ubnd.pk).also_covers.all()) == [stp]

    def test_an_agency_covered_by_another_system(self, admin, ubnd, cast):
        skhcn, snv = cast.agencies["ag_skhcn"], cast.agencies["ag_snv"]
        other = QmsRecord.objects.create(agency=snv, stage=Stage.BUILDING)
        other.also_covers.set([skhcn])
        self.refused(admin, ubnd, [skhcn],
                     gettext("%(name)s is already covered by another system.") % {"name": skhcn.name})
        self.cover(admin, other, skhcn)  # covering it again from the same system is no conflict
        assert list(other.also_covers.all()) == [skhcn]

    def test_every_refused_id_is_named(self, admin, ubnd, cast):
        with pytest.raises(ValidationError) as error:
            self.cover(admin, ubnd, cast.agencies["ag_ubnd"], cast.agencies["cb_stp"])
        assert error.value.message_dict == {"also_covers": [
            gettext("A system does not need to cover its own agency twice."),
            gettext("Choose agencies of the same province.")]}
