"""Every forward QMS stage transition with each piece of its evidence missing in turn (DOMAIN.md §4): refused on
the `stage` field with its own translated message and nothing saved; allowed once everything is there.
Maintaining needs BOTH an internal audit and a management review held after the last announcement."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from qms import services
from qms.models import Announcement, Edition, InternalAudit, ManagementReview, QmsDocument, QmsRecord, Stage

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def days(n):
    return TODAY - timedelta(days=n)


def refused(actor, qms, stage, msgid, **params):
    """The move is refused on "stage" with exactly this message, in Vietnamese, and the record is unchanged."""
    before = (qms.stage, qms.version)
    with pytest.raises(ValidationError) as error:
        services.qms_update(actor=actor, qms=qms, data={"stage": stage})
    expected = gettext(msgid) % params if params else gettext(msgid)
    assert expected != msgid % params if params else expected != msgid, "the message has no Vietnamese translation"
    assert error.value.message_dict == {"stage": [expected]}
    qms.refresh_from_db()
    assert (qms.stage, qms.version) == before


def moves(actor, qms, stage):
    assert services.qms_update(actor=actor, qms=qms, data={"stage": stage}).stage == stage
    assert QmsRecord.objects.get(pk=qms.pk).stage == stage


@pytest.fixture
def officer(cast):
    return cast.users["ag_officer"]


@pytest.fixture
def stp(cast):
    return cast.agencies["ag_stp"]


BUILDING_NEEDS = "Building needs the ISO steering committee decision (number and date)."


@pytest.mark.parametrize("missing", ["steering_decision_number", "steering_decision_date"])
def test_building_needs_the_steering_decisions_number_and_date(officer, stp, missing):
    fields = {"steering_decision_number": "1/QĐ-STP", "steering_decision_date": days(300)}
    fields[missing] = "" if missing.endswith("number") else None
    qms = QmsRecord.objects.create(agency=stp, stage=Stage.NOT_STARTED, **fields)
    refused(officer, qms, Stage.BUILDING, BUILDING_NEEDS)


def test_building_with_the_decision(officer, stp):
    qms = QmsRecord.objects.create(agency=stp, stage=Stage.NOT_STARTED, steering_decision_number="1/QĐ-STP",
                                   steering_decision_date=days(300))
    moves(officer, qms, Stage.BUILDING)


def building(stp, *, in_force=True, approved=True):
    qms = QmsRecord.objects.create(agency=stp, stage=Stage.BUILDING, steering_decision_number="1/QĐ-STP",
                                   steering_decision_date=days(300), build_started_on=days(290),
                                   documents_approved_on=days(200) if approved else None,
                                   documents_approved_by="Giám đốc" if approved else "")
    QmsDocument.objects.create(qms=qms, kind="policy", code="CS-01", title="Chính sách",
                               status="in_force" if in_force else "draft")
    return qms


def test_applying_needs_a_document_in_force(officer, stp):
    refused(officer, building(stp, in_force=False), Stage.APPLYING, "Applying needs at least one document in force.")


def test_applying_needs_the_heads_approval(officer, stp):
    refused(officer, building(stp, approved=False), Stage.APPLYING,
            "Applying needs the head's approval of the documents.")


def test_applying_with_both(officer, stp):
    moves(officer, building(stp), Stage.APPLYING)


ANNOUNCED_EVIDENCE = ("announcement", "approval", "audit", "review", "confirmation")


def applying(stp, *, without=(), audit_on=150, review_on=140, confirmed_on=100):
    """Applying, approved 200 days ago, audit and review after it, the head's confirmation after both, an
    announcement of the current edition; `without` leaves pieces out."""
    qms = building(stp, approved="approval" not in without)
    qms.stage = Stage.APPLYING
    qms.edition = Edition.ISO_2015
    if "confirmation" not in without:
        qms.effectiveness_confirmed_on, qms.effectiveness_confirmed_by = days(confirmed_on), "Giám đốc"
    qms.save()
    if "audit" not in without:
        InternalAudit.objects.create(qms=qms, held_on=days(audit_on), auditors="Tổ ĐGNB")
    if "review" not in without:
        ManagementReview.objects.create(qms=qms, held_on=days(review_on), chair="Giám đốc")
    if "announcement" not in without:
        Announcement.objects.create(qms=qms, kind="first", decision_number="45/QĐ-STP", decision_date=days(90),
                                    signer="Giám đốc", edition=Edition.ISO_2015, scope="Toàn bộ TTHC")
    return qms


AUDIT_AND_REVIEW = ("Announced needs at least one internal audit and one management review held after the "
                    "documents were approved (%(date)s).")
CONFIRMATION_ORDER = ("The head's confirmation of effectiveness (%(date)s) must come after an internal audit and a "
                      "management review.")


@pytest.mark.parametrize("missing", ANNOUNCED_EVIDENCE)
def test_announced_with_each_piece_of_evidence_missing(officer, stp, missing):
    qms = applying(stp, without=(missing,))
    approved = {"date": days(200).strftime("%d/%m/%Y")}
    expected = {
        "announcement": ("Announced needs an announcement decision for the current edition.", {}),
        "approval": ("Announced needs the head's approval of the documents.", {}),
        "audit": (AUDIT_AND_REVIEW, approved),
        "review": (AUDIT_AND_REVIEW, approved),
        "confirmation": ("Announced needs the head's confirmation that the system is effective.", {}),
    }[missing]
    refused(officer, qms, Stage.ANNOUNCED, expected[0], **expected[1])


def test_announced_needs_an_announcement_of_the_current_edition(officer, stp):
    qms = applying(stp)
    Announcement.objects.filter(qms=qms).update(edition=Edition.ISO_2008)
    refused(officer, qms, Stage.ANNOUNCED, "Announced needs an announcement decision for the current edition.")


@pytest.mark.parametrize("held", ["audit", "review"])
def test_announced_counts_only_evidence_held_after_the_approval(officer, stp, held):
    qms = applying(stp, **{f"{held}_on": 201})  # the day before the approval
    refused(officer, qms, Stage.ANNOUNCED, AUDIT_AND_REVIEW, date=days(200).strftime("%d/%m/%Y"))


@pytest.mark.parametrize("held", ["audit", "review"])
def test_announced_needs_the_confirmation_after_the_audit_and_the_review(officer, stp, held):
    qms = applying(stp, **{f"{held}_on": 99})  # the day after the confirmation
    refused(officer, qms, Stage.ANNOUNCED, CONFIRMATION_ORDER, date=days(100).strftime("%d/%m/%Y"))


def test_announced_on_the_very_days_of_approval_and_confirmation(officer, stp):
    """Held on the day of the approval, confirmed on the day of the review: both bounds are inclusive."""
    moves(officer, applying(stp, audit_on=200, review_on=100, confirmed_on=100), Stage.ANNOUNCED)


def announced(stp, *, audit=True, review=True, held_on=30, announcement=True):
    qms = applying(stp, without=() if announcement else ("announcement",))
    qms.stage = Stage.ANNOUNCED
    qms.save()
    if audit:
        InternalAudit.objects.create(qms=qms, held_on=days(held_on), auditors="Tổ ĐGNB")
    if review:
        ManagementReview.objects.create(qms=qms, held_on=days(held_on), chair="Giám đốc")
    return qms


MAINTAINING_NEEDS = "Maintaining needs an internal audit and a management review held after the announcement."


def test_maintaining_needs_an_announcement(officer, stp):
    refused(officer, announced(stp, announcement=False), Stage.MAINTAINING,
            "Maintaining comes after an announcement.")


def test_maintaining_with_an_internal_audit_alone_is_refused(officer, stp):
    refused(officer, announced(stp, review=False), Stage.MAINTAINING, MAINTAINING_NEEDS)


def test_maintaining_with_a_management_review_alone_is_refused(officer, stp):
    refused(officer, announced(stp, audit=False), Stage.MAINTAINING, MAINTAINING_NEEDS)


def test_maintaining_counts_only_evidence_held_after_the_last_announcement(officer, stp):
    """The audit and review of `applying` (before the announcement of 90 days ago) do not count."""
    refused(officer, announced(stp, audit=False, review=False), Stage.MAINTAINING, MAINTAINING_NEEDS)
    qms = QmsRecord.objects.get(agency=stp)
    Announcement.objects.create(qms=qms, kind="re", decision_number="46/QĐ-STP", decision_date=days(20),
                                signer="Giám đốc", edition=Edition.ISO_2015, scope="Toàn bộ TTHC",
                                reason="scope_adjusted")
    InternalAudit.objects.create(qms=qms, held_on=days(30), auditors="Tổ ĐGNB")
    ManagementReview.objects.create(qms=qms, held_on=days(30), chair="Giám đốc")
    refused(officer, qms, Stage.MAINTAINING, MAINTAINING_NEEDS)  # held before the newer announcement


def test_maintaining_with_both_on_the_day_of_the_announcement(officer, stp):
    moves(officer, announced(stp, held_on=90), Stage.MAINTAINING)


def test_stages_cannot_be_skipped(officer, stp):
    qms = QmsRecord.objects.create(agency=stp, stage=Stage.BUILDING)
    with pytest.raises(ValidationError) as error:
        services.qms_update(actor=officer, qms=qms, data={"stage": Stage.ANNOUNCED})
    assert error.value.message_dict == {"stage": [gettext("Stages cannot be skipped: move to %(next)s first.")
                                                  % {"next": Stage.APPLYING.label}]}
