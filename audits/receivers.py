"""What the inspections do when the organisation changes (signals of the agencies app, see agencies/signals.py)."""

from django.dispatch import receiver

from agencies.models import SuccessionKind
from agencies.signals import succession_took_effect

from .services import findings_hand_over


@receiver(succession_took_effect, dispatch_uid="audits_on_succession")
def audits_on_succession(sender, *, succession, actor, **kwargs) -> None:
    """On a merger's effective date the successor answers for the predecessor's findings (DOMAIN.md §3: it takes
    over what its predecessor owed). A split or a renaming leaves the predecessor open, answering its own."""
    if succession.kind == SuccessionKind.MERGER:
        findings_hand_over(predecessor=succession.predecessor, successor=succession.successor, actor=actor)
