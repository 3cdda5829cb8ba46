"""The main menu: each entry names its page and, where the page is not for every role, the action of the capability
registry (agencies.access.CAPABILITIES) that opens it. The context processor shows a user only the entries their
role may open, so the menu and the permission checks cannot disagree."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    url_name: str
    label: str
    action: str | None = None  # None: every signed-in role


MENU = (
    MenuItem("agencies:home", _("Home")),
    MenuItem("agencies:index", _("Agencies")),
    MenuItem("agencies:obligations", _("Obligations"), action="obligation.read"),
    MenuItem("audits:index", _("Inspections")),
    MenuItem("audits:findings-board", _("Findings")),
    MenuItem("qms:compliance", _("Compliance"), action="compliance.read"),
    MenuItem("qms:legal-changes", _("Legal changes"), action="legal_change.read"),
    MenuItem("reports:index", _("Reports")),
    MenuItem("agencies:register", _("Outgoing documents"), action="register.read"),
    MenuItem("accounts:staff", _("Staff"), action="membership.manage"),
    MenuItem("accounts:audit-log", _("Audit log"), action="audit_log.read"),
)
