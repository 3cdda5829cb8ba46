"""API tokens: hashed (django-rest-knox stores a SHA-512 digest, never the token), expiring after
`API_TOKEN_TTL_HOURS` (8 by default, like a session), revocable by their owner and by administrators, and revoked
all at once when the user's password, active state or role changes (accounts.receivers), whichever entry point made
the change: the portal, the API, the admin or a command.

Two-factor login holds on the token endpoint as on the sign-in page: a user with a confirmed device must send the
current code; a user whose role must use two-factor login and who has no device gets no token until one is set up.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django_otp import match_token
from knox.models import AuthToken

from agencies.access import can
from qms_portal.audit import audit_record

from .two_factor import has_device, must_use_two_factor


def token_issue(*, user, otp: str | None, request=None) -> tuple[AuthToken, str]:
    """A new token for a user whose password was checked; returns (row, the token to give once)."""
    if has_device(user):
        if not otp or match_token(user, otp.strip()) is None:
            raise ValidationError({"otp": _("Enter the current code from your authenticator app.")})
    elif must_use_two_factor(user):
        setup = reverse("accounts:two-factor-setup")
        raise PermissionDenied(_("Your role must use two-factor login: set up your authenticator app at %(url)s "
                                 "first, then ask for a token with its code.") % {"url": setup})
    instance, token = AuthToken.objects.create(user=user)
    audit_record(action="token_issued", user=user, request=request, object_type="knox.authtoken",
                 object_id=instance.token_key, summary=f"expires {instance.expiry:%Y-%m-%d %H:%M}")
    return instance, token


def tokens_of(*, actor, username: str | None = None) -> QuerySet[AuthToken]:
    """The actor's own tokens; an administrator may list anyone's (`username`) or everyone's (`username="*"`)."""
    tokens = AuthToken.objects.select_related("user").order_by("-created")
    if username and can(actor, "token.revoke_any"):
        return tokens if username == "*" else tokens.filter(user__username=username)
    return tokens.filter(user=actor)


@transaction.atomic
def token_revoke(*, actor, token_key: str) -> int:
    """Revoke the tokens starting with `token_key` that the actor may see; returns how many (0: not found, 404)."""
    tokens = tokens_of(actor=actor, username="*" if can(actor, "token.revoke_any") else None)
    revoked = [t for t in tokens.filter(token_key=token_key)]
    for token in revoked:
        token.delete()
        audit_record(action="token_revoked", user=actor, object_type="knox.authtoken", object_id=token.token_key,
                     summary=f"{token.user.get_username()}")
    return len(revoked)


def tokens_revoke_all(*, user, reason: str) -> int:
    """Revoke every token of `user` (password, active state or role changed)."""
    count, _details = AuthToken.objects.filter(user=user).delete()
    if count:
        audit_record(action="token_revoked", user=user, object_type="knox.authtoken", object_id="*",
                     summary=f"{count} · {reason}"[:500])
    return count
