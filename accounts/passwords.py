"""Passwords set by their owner: through a one-time link sent by e-mail (an invitation, or a forgotten password)
or, signed in, by giving the current one. Setting a password revokes every API token of the user and ends their
other sessions (accounts.receivers and Django's session hash); it never signs anyone in, so a second factor, when
the account has one, is still asked at the next sign-in."""

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from qms_portal.audit import audit_record
from qms_portal.links import portal_url
from qms_portal.people import person_name

# A forgotten-password e-mail is sent at most once in this many seconds per account, whatever is asked: the public
# form cannot be used to fill someone's mailbox.
RESET_EMAIL_INTERVAL = 15 * 60

reset_tokens = default_token_generator  # one-time and expiring, like invitations; another salt


def link_days() -> int:
    """How long an e-mailed link works (PASSWORD_RESET_TIMEOUT), in whole days as the e-mails say it."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def link_path(user, *, tokens: PasswordResetTokenGenerator, route: str) -> str:
    """The path of a one-time link of `user` (spent by setting the password or signing in)."""
    return reverse(route, args=[urlsafe_base64_encode(force_bytes(user.pk)), tokens.make_token(user)])


def link_user(*, uidb64: str, token: str, tokens: PasswordResetTokenGenerator):
    """The active user a one-time link was made for, if it is still valid (not spent, not expired); else None."""
    User = get_user_model()
    try:
        user = User.objects.get(pk=int(urlsafe_base64_decode(uidb64).decode()))
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        return None
    return user if user.is_active and tokens.check_token(user, token) else None


@transaction.atomic
def password_set(*, user, password: str, action: str) -> None:
    """Set `user`'s password (validated by the caller's form) and record why: `action` is "invitation_accepted",
    "password_reset" or "password_changed". A lockout for failed sign-ins of that account ends with it."""
    user.set_password(password)
    user.save()
    axes_reset(username=user.get_username())
    audit_record(action=action, user=user, object_type="auth.user", object_id=user.pk)


def password_reset_request(*, email: str) -> None:
    """E-mail a one-time link to set a new password to every active account of `email`, at most once per
    RESET_EMAIL_INTERVAL each. Says nothing of whether an account exists: the page answers the same either way."""
    for user in get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).order_by("pk"):
        if not cache.add(f"accounts:password-reset:{user.pk}", 1, RESET_EMAIL_INTERVAL):
            continue
        link = portal_url(link_path(user, tokens=reset_tokens, route="accounts:password-reset"))
        audit_record(action="reset_requested", user=None, object_type="auth.user", object_id=user.pk)
        transaction.on_commit(lambda user=user, link=link: send_mail(
            _("Setting a new password on the QMS Portal"),
            _("Hello %(name)s,\n\nSomeone (probably you) asked to set a new password for your account on the QMS "
              "Portal. Set it with this link, which works once and for %(days)d days:\n%(link)s\n\n"
              "Your username is %(username)s. If you did not ask, ignore this e-mail: your password stays as it "
              "is.") % {"name": person_name(user), "link": link, "days": link_days(),
                        "username": user.get_username()},
            settings.DEFAULT_FROM_EMAIL, [user.email]))
