"""Vietnamese first: every string of the portal has a Vietnamese translation, and none is fuzzy."""

import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def _catalogue(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def test_vietnamese_catalogue_is_complete():
    catalogue = _catalogue(CATALOGUE)
    untranslated = [m.id for m in catalogue if m.id and not (all(m.string) if isinstance(m.string, tuple)
                                                            else m.string)]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"


def test_placeholders_survive_translation():
    import re

    pattern = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
    catalogue = _catalogue(CATALOGUE)
    broken = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(pattern.findall(ids[-1]))
        if any(set(pattern.findall(s)) != wanted and set(pattern.findall(s)) != set(pattern.findall(ids[0]))
               for s in strings):
            broken.append(message.id)
    assert not broken, broken[:10]


@pytest.mark.skipif(not shutil.which("xgettext"), reason="needs gettext's xgettext to extract strings")
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Extract the strings afresh and compare: a new string without a translation fails here."""
    for name in ("accounts", "agencies", "qms", "devdata", "audits", "reports", "qms_portal", "templates"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "locale").mkdir()
    subprocess.run(["django-admin", "makemessages", "-l", "vi", "--no-location", "--no-obsolete"],
                   cwd=tmp_path, check=True, capture_output=True, env={"PATH": str(ROOT / ".venv" / "bin") + ":"
                                                                       + __import__("os").environ["PATH"]})
    fresh = {m.id for m in _catalogue(tmp_path / "locale" / "vi" / "LC_MESSAGES" / "django.po") if m.id}
    known = {m.id for m in _catalogue(CATALOGUE) if m.id}
    missing = sorted(str(m) for m in fresh - known)
    assert not missing, f"run makemessages and translate: {missing[:15]}"
