"""Optional two-factor login (TOTP, django-otp) that chosen roles can be required to use.

`settings.OTP_REQUIRED_ROLES` lists the roles that must use it (for example administrator, inspector).
A user with a confirmed device must enter a code after the password, whatever the role; the token API
asks for the code too.
"""

import io

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.access import scope_of

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/verify/", "/api/v1/auth/token/")


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def must_use_two_factor(user) -> bool:
    return scope_of(user).role in settings.OTP_REQUIRED_ROLES


def second_factor_owed(user) -> str | None:
    """The page a signed-in user must pass before anything else (the code of their device, or the setup their role
    requires), or None when they owe nothing: not signed in, verified, or free to sign in with the password alone."""
    if not user.is_authenticated or user.is_verified():
        return None
    if has_device(user):
        return "accounts:two-factor-verify"
    return "accounts:two-factor-setup" if must_use_two_factor(user) else None


class TwoFactorMiddleware:
    """Keeps a signed-in user who owes a second factor on the 2FA pages until it is given."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and not request.path.startswith(EXEMPT_PREFIXES) and (target := second_factor_owed(user)):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": _("Two-factor verification is required.")}, status=403)
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("6-digit code from your authenticator app"), max_length=8,
                           min_length=6, widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                                                       "inputmode": "numeric"}))


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return target if url_has_allowed_host_and_scheme(target, {request.get_host()}) else "/"


@login_required
def verify(request):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].strip())
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", _("The code is wrong or has expired."))
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": _next(request)})


@login_required
def setup(request):
    """Enrol an authenticator app (a new one replaces the old). Who has one already gives its code first: the
    password alone must not be enough to replace the second factor (this page is open to a session that owes the
    code, so that a required role can enrol)."""
    if has_device(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('accounts:two-factor-verify')}?{urlencode({'next': request.get_full_path()})}")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user).exclude(pk=device.pk).delete()
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", _("The code is wrong or has expired."))
    return render(request, "registration/two_factor_setup.html", {
        "form": form, "next": _next(request), "secret": _base32(device), "qr": _qr_svg(device.config_url),
        "required": must_use_two_factor(request.user)})


def _base32(device: TOTPDevice) -> str:
    from base64 import b32encode

    return b32encode(device.bin_key).decode()


def _qr_svg(uri: str) -> str:
    import segno

    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=4, xmldecl=False, svgns=True, nl=False)
    return buffer.getvalue().decode()
