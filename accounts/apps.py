from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-in, two-factor login, API tokens, the current user, and the audit-log view."""

    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib import admin

        from . import receivers  # noqa: F401  (tokens revoked on password, active state and role changes)
        from .forms import AdminLoginForm

        admin.site.login_form = AdminLoginForm  # the admin's sign-in checks what the portal's does
