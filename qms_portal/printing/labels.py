"""One vocabulary for pages and printed documents: a printed label is the Vietnamese translation of the model
choice's own label ("Chưa đạt", "Cần công bố lại"), never a second wording kept for the PDF.

Printed documents are Vietnamese whatever the reader's language, so the label is translated under "vi".
"""

from collections.abc import Iterator, Mapping

from django.utils import translation


def printed_label(choice) -> str:
    """The Vietnamese label of a `TextChoices` member (or "" for an empty value)."""
    if choice in ("", None):
        return ""
    with translation.override("vi"):
        return str(choice.label)


class PrintedLabels(Mapping):
    """{value: Vietnamese label} of a `TextChoices` class, plus "" -> ""; computed when first read (translations
    are not ready while modules are imported)."""

    def __init__(self, choices):
        self._choices = choices
        self._labels: dict[str, str] | None = None

    def _all(self) -> dict[str, str]:
        if self._labels is None:
            self._labels = {member.value: printed_label(member) for member in self._choices} | {"": ""}
        return self._labels

    def __getitem__(self, key: str) -> str:
        return self._all()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())
