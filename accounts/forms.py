"""Forms of the staff pages: they parse input; who may give what is decided by accounts.staff."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from agencies.access import scope_of
from agencies.models import Province, Role
from agencies.selectors import agency_parent_choices
from qms_portal.fields import CleanFormCharField

from .staff import grantable_roles
from .throttle import sign_in_failed, sign_in_held_back


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=None, required=False,
                                    help_text=_("For an agency's ISO officer or head."))
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.current().order_by("name"),
                                      required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(role, Role(role).label) for role in grantable_roles(actor)]
        scope = scope_of(actor)
        agencies = agency_parent_choices(user=actor)
        if scope.is_agency:
            agencies = agencies.filter(pk=scope.agency_id)
        self.fields["agency"].queryset = agencies
        if not scope.is_national:
            del self.fields["province"]  # the actor's own province


class InviteForm(RoleForm):
    email = forms.EmailField(label=_("E-mail"))
    full_name = CleanFormCharField(label=_("Full name"), max_length=150, help_text=_("Family name first."))

    field_order = ["email", "full_name", "role", "agency", "province"]


class PasswordForgottenForm(forms.Form):
    email = forms.EmailField(label=_("E-mail of your account"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}))


class UsernameLength:
    """A sign-in form with the username's length checked: Django sets the field's max_length after building it, so
    no validator holds it, and a name of thousands of characters was tried and counted by the lockout, whose table
    keeps at most 255 (a 500). Longer than any account's name, it is a field error; nothing is attempted.

    And with the failed sign-ins of the client's address limited (accounts.throttle): while it is held back, nothing
    is attempted either, whatever the password."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))

    def clean(self):
        if self.request is not None and sign_in_held_back(self.request):
            raise ValidationError(_("Too many failed sign-ins from your address: wait a minute and try again."),
                                  code="throttled")
        try:
            return super().clean()
        except ValidationError:
            if self.request is not None:
                sign_in_failed(self.request)
            raise


class LoginForm(UsernameLength, AuthenticationForm):
    """The portal's sign-in page."""


class AdminLoginForm(UsernameLength, AdminAuthenticationForm):
    """The admin's sign-in page (`admin.site.login_form`, set in `accounts.apps`): the same check."""
