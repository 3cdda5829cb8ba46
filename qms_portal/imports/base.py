"""What an importer is, and the report it gives: one line per refused cell (row, column, value, message)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qms_portal.text import validate_no_control_characters

Progress = Callable[[int], None]


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    applied: bool = False
    errors: list[dict] = field(default_factory=list)

    def refuse(self, row: int, error: ValidationError, values: dict | None = None,
               headers: dict | None = None) -> None:
        """Record the problems of one row: each field's messages with the value that was read, under the column's
        name as the file's header writes it (`headers`: field -> header)."""
        details = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        for column, messages in details.items():
            for message in messages:
                self.errors.append({"row": row, "column": (headers or {}).get(column, column),
                                    "value": (values or {}).get(column, ""), "message": message})

    def as_dict(self) -> dict:
        return {"rows": self.total, "created": self.created, "updated": self.updated, "applied": self.applied,
                "rejected": len({e["row"] for e in self.errors}), "errors": self.errors}

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        return cls(total=data.get("rows", 0), created=data.get("created", 0), updated=data.get("updated", 0),
                   applied=data.get("applied", False), errors=data.get("errors", []))


class Importer:
    """One kind of import. Subclasses set `kind` and `label`, and implement `authorize`, `run` and `back_url`.

    `run` reads the rows (the header first), reports every refused row and, when `apply` is true, saves in one
    transaction: all rows or none when `all_or_nothing`, else the good rows. It calls `progress(rows_done)` now and
    then. It never trusts `params` (they come from the request): `authorize` checks them against the actor.
    """

    kind: str = ""
    label: str = ""
    all_or_nothing: bool = True

    def authorize(self, *, actor, params: dict) -> None:
        raise NotImplementedError

    def check_header(self, header: list[str]) -> None:
        """Refuse (ValidationError on "file") a file whose header lacks a needed column, before any job starts."""

    def run(self, *, actor, params: dict, rows: list[list[str]], apply: bool, progress: Progress) -> ImportReport:
        raise NotImplementedError

    def back_url(self, params: dict) -> str:
        raise NotImplementedError


REGISTRY: dict[str, Importer] = {}


def register(importer_class: type[Importer]) -> type[Importer]:
    """Class decorator: make this kind of import known to the jobs, the pages and the API."""
    REGISTRY[importer_class.kind] = importer_class()
    return importer_class


class _Refused(Exception):
    """Rolls an all-or-nothing import back (a check, or a row refused)."""


# How a date is written in the files people have: the Vietnamese way, ISO, or a spreadsheet's date cell as text.
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y")


def cell_date(value: str, field: str) -> date:
    """A date cell read in any of DATE_FORMATS, or refused on its field."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(value.strip(), pattern).date()
        except ValueError:
            continue
    raise ValidationError({field: _("Write the date as dd/mm/yyyy.")})


def hidden_characters(values: dict) -> ValidationError | None:
    """Cells with control or invisible characters, each under its own field: the services refuse them too, but with
    a message on no field, which the report showed on no column."""
    errors = {}
    for key, value in values.items():
        try:
            validate_no_control_characters(value)
        except ValidationError as error:
            errors[key] = error.messages
    return ValidationError(errors) if errors else None


def run_rows(*, rows, headers: dict, apply: bool, progress: Progress, save_row) -> ImportReport:
    """The loop of an all-or-nothing import: `rows` are (file row number, {field: value}); `save_row(values)`
    saves one row through the services (returning "created", "updated", or anything else for a row that changed
    nothing) or raises ValidationError or
    PermissionDenied, reported against the row. Each row runs in a savepoint; the whole is rolled back for a
    check or when any row was refused."""
    report = ImportReport()
    try:
        with transaction.atomic():
            for number, values in rows:
                progress(number - 1)
                report.total += 1
                hidden = hidden_characters(values)
                if hidden:
                    report.refuse(number, hidden, values, headers)
                    continue
                try:
                    with transaction.atomic():
                        outcome = save_row(values)
                except ValidationError as error:
                    report.refuse(number, error, values, headers)
                except PermissionDenied as error:
                    report.refuse(number, ValidationError(str(error)), values, headers)
                else:
                    report.created += outcome == "created"
                    report.updated += outcome == "updated"
            if not apply or report.errors:
                raise _Refused
            report.applied = True
    except _Refused:
        pass
    return report
