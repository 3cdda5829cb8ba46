"""What the QMS file does when the organisation changes (signals of the agencies app, see agencies/signals.py)."""

from django.dispatch import receiver
from django.utils.translation import gettext as _

from agencies.models import SuccessionKind
from agencies.signals import succession_took_effect

from .legal.services import due_updates_transfer
from .models import Stage
from .services import qms_for_agency, reannouncement_mark_due


@receiver(succession_took_effect, dispatch_uid="qms_on_succession")
def qms_on_succession(sender, *, succession, actor, **kwargs) -> None:
    """On the succession's effective date (not when it is recorded ahead): a merger closes the predecessor's system
    (kept as history) and hands over its due legal updates; a merger or a split makes the successor's announced
    system due for re-announcement, and a split the predecessor's too, whose scope it narrows (Decision 19 Art. 4:
    whenever the scope is adjusted, extended or narrowed)."""
    predecessor, successor = succession.predecessor, succession.successor
    if succession.kind == SuccessionKind.MERGER:
        due_updates_transfer(predecessor=predecessor, successor=successor)
        qms = qms_for_agency(agency=predecessor)
        qms.stage, qms.version = Stage.INACTIVE, qms.version + 1
        qms._history_user, qms._change_reason = actor, _("Merged into %(name)s") % {"name": successor.name}
        qms.save()
    reason = _("The agency was reorganised (%(kind)s).") % {"kind": SuccessionKind(succession.kind).label}
    reannouncement_mark_due(qms_for_agency(agency=successor), actor=actor, reason=reason)
    if succession.kind == SuccessionKind.SPLIT:
        reannouncement_mark_due(qms_for_agency(agency=predecessor), actor=actor, reason=reason)
