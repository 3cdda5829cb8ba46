"""The register of outgoing documents as an export (qms_portal.exports): a province's year in the request, the
ministry's register of every province by the worker."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext_lazy

from qms_portal.exports.base import Exporter, register
from qms_portal.queries import int_param, text_param, year_param

from .access import can
from .register import register_list, register_workbook


@register
class RegisterExporter(Exporter):
    kind = "agencies.register"
    label = gettext_lazy("Register of outgoing documents")
    page = "agencies:register"
    filter_keys = ("year", "issuer", "q")

    def authorize(self, *, actor) -> None:
        if not can(actor, "register.read"):
            raise PermissionDenied

    def filters(self, query) -> dict:
        return {"year": year_param(query), "issuer_id": int_param(query, "issuer", minimum=1),
                "q": text_param(query, "q"), "day": timezone.localdate().isoformat()}

    @staticmethod
    def _entries(actor, params: dict):
        return register_list(user=actor, year=params["year"], issuer_id=params["issuer_id"], q=params["q"])

    def rows_at_most(self, *, actor, params: dict) -> int:
        return self._entries(actor, params).count()

    def make(self, *, actor, params: dict) -> tuple[bytes, str]:
        day = date.fromisoformat(params["day"])
        return register_workbook(self._entries(actor, params)), f"so-van-ban-di-{day:%Y%m%d}.xlsx"
