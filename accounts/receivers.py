"""Every token of a user is revoked when their password, active state or role changes, or when an authenticator
is enrolled (a token given for the password alone must not outlive the second factor, as a password-only session
does not), at every entry point (the portal's services, the admin, `manage.py changepassword`, imports): these are
model signals, not a step a view could forget."""

from django.conf import settings
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import Membership

from .tokens import tokens_revoke_all


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_tokens_on_user_change")
def _on_user_saved(sender, instance, created, **kwargs):
    if created:
        return
    if getattr(instance, "_password", None) is not None:  # set_password() was called before this save
        tokens_revoke_all(user=instance, reason="password changed")
    elif not instance.is_active:
        tokens_revoke_all(user=instance, reason="deactivated")


@receiver(pre_save, sender=Membership, dispatch_uid="accounts_tokens_on_role_change_before")
def _remember_role(sender, instance, **kwargs):
    previous = Membership.objects.filter(pk=instance.pk).values("role", "agency_id", "province_id").first() \
        if instance.pk else None
    instance._previous_role = previous


@receiver(post_save, sender=Membership, dispatch_uid="accounts_tokens_on_role_change")
def _on_role_saved(sender, instance, created, **kwargs):
    previous = getattr(instance, "_previous_role", None)
    now = {"role": instance.role, "agency_id": instance.agency_id, "province_id": instance.province_id}
    if previous is not None and previous != now:
        tokens_revoke_all(user=instance.user, reason="role changed")


@receiver(post_delete, sender=Membership, dispatch_uid="accounts_tokens_on_role_removed")
def _on_role_deleted(sender, instance, **kwargs):
    tokens_revoke_all(user=instance.user, reason="role removed")


@receiver(pre_save, sender=TOTPDevice, dispatch_uid="accounts_tokens_on_device_confirmed_before")
def _remember_confirmed(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and "confirmed" not in update_fields:
        instance._was_confirmed = instance.confirmed  # a code checked (last_t, throttling): no change of state
        return
    instance._was_confirmed = bool(instance.pk) and TOTPDevice.objects.filter(pk=instance.pk, confirmed=True).exists()


@receiver(post_save, sender=TOTPDevice, dispatch_uid="accounts_tokens_on_device_confirmed")
def _on_device_saved(sender, instance, created, **kwargs):
    if instance.confirmed and not getattr(instance, "_was_confirmed", False):
        tokens_revoke_all(user=instance.user, reason="authenticator enrolled")
