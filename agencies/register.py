"""The register of outgoing documents (sổ đăng ký văn bản đi) as users read and keep it: selectors (scoped),
the gaps in a body's numbering, the withdrawal of a number and the XLSX export.

Who reads a line: `in_scope` on `RegisteredDocument.scope_paths` (an agency's staff their agency's register, the
province's roles the registers of the province's bodies, national roles everything). Who keeps it (withdraws a
number, uploads the signed PDF): the roles of `register.keep`, and only for a body they act for
(`register_require_keeper`): an agency's staff for their agency, the Sở's roles for the province's own issuing
bodies (the Sở, its inspecting unit, UBND tỉnh), never an agency's register.
"""

import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qms_portal.audit import audit_record
from qms_portal.choices import object_label
from qms_portal.errors import ConflictError
from qms_portal.tables import safe_cell
from qms_portal.text import normalize_text

from .access import in_scope, require, scope_of
from .models import AgencyKind, ProvinceSettings, RegisteredDocument, RegisterStatus

NOT_YOUR_BODY = gettext_lazy("This document belongs to another issuing body's register.")


def register_list(*, user, year: int | None = None, issuer_id: int | None = None, q: str = "") -> QuerySet:
    """The lines of the registers the user may read, newest year first, in number order."""
    queryset = in_scope(RegisteredDocument.objects.select_related("issuer", "signed_file", "current_file"), user=user)
    if year:
        queryset = queryset.filter(year=year)
    if issuer_id:
        queryset = queryset.filter(issuer_id=issuer_id)
    q = (q or "").strip()
    if q:
        condition = Q(title__icontains=q) | Q(symbol__icontains=q)
        number, _slash, symbol = q.partition("/")
        if number.strip().isdecimal():  # (isdigit() takes "²", which int() refuses)
            condition |= Q(number=int(number.strip()), symbol__icontains=symbol.strip()) if symbol else \
                Q(number=int(number.strip()))
        queryset = queryset.filter(condition)
    return queryset.order_by("-year", "issuer__name", "symbol", "number")


def register_get(*, user, pk: int) -> RegisteredDocument:
    """One line, or 404 outside the user's scope."""
    return get_object_or_404(register_list(user=user), pk=pk)


def register_issuers(*, user) -> QuerySet:
    """The bodies whose registers the user may read and that have a line (for the filter)."""
    from .models import Agency

    return Agency.objects.filter(pk__in=in_scope(RegisteredDocument.objects.all(), user=user).values("issuer_id")) \
        .order_by("name")


def register_years(*, user) -> list[int]:
    return list(in_scope(RegisteredDocument.objects.all(), user=user).order_by("-year")
                .values_list("year", flat=True).distinct())


@dataclass(frozen=True)
class Gap:
    """Numbers missing from one body's sequence of one year: "03–05/BC-SKHCN"."""

    issuer_name: str
    year: int
    symbol: str
    first: int
    last: int

    def __str__(self) -> str:
        numbers = f"{self.first:02d}" if self.first == self.last else f"{self.first:02d}–{self.last:02d}"
        return f"{numbers}/{self.symbol} ({self.issuer_name}, {self.year})"


def register_gaps(queryset: QuerySet) -> list[Gap]:
    """The numbers missing between 01 and the last number of each (body, year, symbol) in `queryset`: a number
    taken and never registered would show here (withdrawn numbers keep their line, so they are no gap)."""
    gaps: list[Gap] = []
    rows = queryset.order_by("issuer_id", "year", "symbol", "number").values_list(
        "issuer_id", "issuer__name", "year", "symbol", "number")
    previous_key, expected = None, 1
    for issuer_id, issuer_name, year, symbol, number in rows.iterator():
        key = (issuer_id, year, symbol)
        if key != previous_key:
            previous_key, expected = key, 1
        if number > expected:
            gaps.append(Gap(issuer_name, year, symbol, expected, number - 1))
        expected = max(expected, number + 1)
    return gaps


def province_bodies(province_id: int) -> set[int]:
    """The province's own issuing bodies: the Sở (lead agency), its inspecting unit, UBND tỉnh."""
    bodies: set[int] = set()
    row = ProvinceSettings.objects.filter(province_id=province_id).values("lead_agency_id", "inspecting_agency_id") \
        .first()
    if row:
        bodies |= {pk for pk in row.values() if pk}
    from .models import Agency

    bodies |= set(Agency.objects.filter(province_id=province_id, kind=AgencyKind.PROVINCIAL_PEOPLES_COMMITTEE)
                  .values_list("pk", flat=True))
    return bodies


def register_require_keeper(user, entry: RegisteredDocument) -> None:
    """403 unless the user may keep `entry`'s register (see the module)."""
    require(user, "register.keep")
    scope = scope_of(user)
    if scope.is_national:
        return
    if scope.is_agency and entry.issuer_id == scope.agency_id:
        return
    if scope.is_provincial and entry.issuer_id in province_bodies(scope.province_id):
        return
    raise PermissionDenied(NOT_YOUR_BODY)


def register_withdraw(*, actor, entry: RegisteredDocument, reason: str) -> RegisteredDocument:
    """Withdraw a document: it keeps its number (never reused) and the reason."""
    register_require_keeper(actor, entry)
    reason = normalize_text(reason or "", multiline=True)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    with transaction.atomic():
        row = RegisteredDocument.objects.select_for_update().get(pk=entry.pk)
        if row.status == RegisterStatus.WITHDRAWN:
            raise ConflictError(_("This document has already been withdrawn."))
        row.status, row.withdrawn_reason = RegisterStatus.WITHDRAWN, reason
        row.withdrawn_at, row.withdrawn_by = timezone.now(), actor
        row.save(update_fields=["status", "withdrawn_reason", "withdrawn_at", "withdrawn_by"])
        audit_record(action="update", user=actor, object_type="agencies.registereddocument", object_id=row.pk,
                     summary=_("Withdrew %(number)s") % {"number": str(row)})
    return row


@dataclass(frozen=True)
class SignedUpload:
    entry: RegisteredDocument
    check: object  # qms_portal.signing.SignatureCheck
    warnings: tuple = ()


def register_signed_upload(*, actor, entry: RegisteredDocument, uploaded) -> SignedUpload:
    """Store the final signed PDF of `entry` as its issued version, once and for good.

    Refused, with the reason and nothing stored: a file over the size limit or not a PDF, an encrypted PDF, one
    with JavaScript or embedded files, an unsigned one, one changed after signing, one whose signature does not
    chain to the portal's trust store (the missing root is named), one with an expired or revoked certificate;
    a document of another body's register (403); a withdrawn document, or one already issued (409: the issued
    version is immutable). The printed number or date differing from the entry is a warning, not a refusal.
    """
    from qms_portal.files import stored_bytes_create
    from qms_portal.signing import Verdict, signed_pdf_check
    from qms_portal.uploads import validate_upload

    register_require_keeper(actor, entry)
    if entry.status == RegisterStatus.WITHDRAWN:
        raise ValidationError({"file": _("This document was withdrawn: it cannot be issued.")})
    if entry.signed_file_id:
        raise ConflictError(_("The signed version of this document is already stored; it cannot be replaced."))
    try:
        validate_upload(uploaded, allowed=("pdf",))
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    uploaded.seek(0)
    content = uploaded.read()
    check = signed_pdf_check(content, expected_number=str(entry), expected_date=entry.issued_on)
    if check.verdict != Verdict.VALID_TRUSTED:
        raise ValidationError({"file": ValidationError(str(check.message), code=str(check.reason))})
    name = f"{entry.number:02d}-{entry.symbol}-{entry.year}-signed.pdf"
    with transaction.atomic():
        row = RegisteredDocument.objects.select_for_update().get(pk=entry.pk)
        if row.signed_file_id or row.status == RegisterStatus.WITHDRAWN:
            raise ConflictError(_("This document changed meanwhile; reload the page."))
        row.signed_file = stored_bytes_create(content=content, name=name, kind="pdf", actor=actor)
        row.status = RegisterStatus.ISSUED
        row.signature_signer, row.signature_organisation = check.signer_name[:255], check.signer_organisation[:255]
        row.signature_signed_at, row.signature_verdict = check.signed_at, check.verdict
        row.save(update_fields=["signed_file", "status", "signature_signer", "signature_organisation",
                                "signature_signed_at", "signature_verdict"])
        audit_record(action="update", user=actor, object_type="agencies.registereddocument", object_id=row.pk,
                     summary=_("Stored the signed version of %(number)s (SHA-256 %(sha256)s)") % {
                         "number": str(row), "sha256": row.signed_file.sha256})
    return SignedUpload(row, check, tuple(str(w) for w in check.warnings))


def _line_key(issuer_id: int | None, number: str, issued_on) -> tuple | None:
    """(issuer, year, number, symbol) of the register line of a document printed as `number` ("05/BC-SKHCN") by
    `issuer_id` on `issued_on`; None when that number is not one of a register kept in the portal."""
    head, _slash, symbol = (number or "").partition("/")
    if not (issuer_id and issued_on and head.strip().isdigit() and symbol):
        return None
    return issuer_id, issued_on.year, int(head), symbol.strip()


def register_entry_of(*, issuer_id: int | None, number: str, issued_on) -> RegisteredDocument | None:
    """The register line of a document printed as `number` ("05/BC-SKHCN") by `issuer_id` on `issued_on`."""
    document = (issuer_id, number, issued_on)
    return register_entries_of([document]).get(document)


def register_entries_of(documents) -> dict[tuple, RegisteredDocument]:
    """`register_entry_of` for many documents in one query: {(issuer_id, number, issued_on): line} for each of
    `documents` (such triples) that has a line."""
    keys = {document: key for document in documents if (key := _line_key(*document)) is not None}
    if not keys:
        return {}
    condition = Q()
    for issuer_id, year, number, symbol in set(keys.values()):
        condition |= Q(issuer_id=issuer_id, year=year, number=number, symbol=symbol)
    lines = {(line.issuer_id, line.year, line.number, line.symbol): line
             for line in RegisteredDocument.objects.select_related("signed_file").filter(condition)}
    return {document: lines[key] for document, key in keys.items() if key in lines}


def register_describe(*, issuer_id: int | None, number: str, issued_on, document, stored=None) -> int:
    """Fill the register line of a document just printed: its title (type and summary), recipients, signer and
    signing capacity from the printed `document` (a `qms_portal.printing.OfficialDocument`), and its current
    file `stored`. Returns the number of lines updated (0 when the number is not from the portal's register, or its
    signed version is stored: the line then keeps what was signed, and its printed PDF the one that was signed)."""
    key = _line_key(issuer_id, number, issued_on)
    if key is None:
        return 0
    kind = (document.doc_type or "").strip().capitalize()
    title = " ".join(part for part in (kind, (document.summary or "").strip()) if part)
    fields = {"title": title[:300], "recipients": "\n".join(document.recipients),
              "signer_name": (document.signer_name or "")[:120],
              "signer_capacity": " – ".join(line for line in document.signing_capacity if line)[:120]}
    if stored is not None:
        fields["current_file"] = stored
    issuer_id, year, number, symbol = key
    return RegisteredDocument.objects.filter(issuer_id=issuer_id, year=year, number=number, symbol=symbol,
                                             signed_file__isnull=True).update(**fields)


def register_workbook(queryset: QuerySet) -> bytes:
    """The lines of `queryset` as an XLSX workbook, in the order of the page."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Register"))
    header = [_("Issuing body"), _("Year"), _("Number"), _("Symbol"), _("Issued on"), _("Type"), _("Title"),
              _("Recipients"), _("Signer"), _("Status"), _("Reason for withdrawal"), _("Signed file SHA-256")]
    bold = Font(bold=True)
    cells = []
    for title in header:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    for entry in queryset.iterator(chunk_size=500):
        signer = ", ".join(part for part in (entry.signer_capacity, entry.signer_name) if part)
        sheet.append([safe_cell(entry.issuer.name), entry.year, entry.number, safe_cell(entry.symbol),
                      entry.issued_on, str(object_label(entry, "doc_type")), safe_cell(entry.title),
                      safe_cell(entry.recipients), safe_cell(signer), str(object_label(entry, "status")),
                      safe_cell(entry.withdrawn_reason), entry.signed_file.sha256 if entry.signed_file else ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
