"""The bundled Liberation Serif faces (static/fonts, the "QMS Serif" of official.css) as the fast annex uses them.

Text is shown the way WeasyPrint shows it: Type 0 fonts, Identity-H, every code the glyph id of the original
font file. That is what lets the body (WeasyPrint) and the annex (reports.rendering.table_pages) share one
embedded font per face: `program` subsets the face once per document with the union of both parts' glyphs, the
glyph ids kept (fontTools, as WeasyPrint does). Widths are the `hmtx` advances plus the font's kerning pairs
(its `kern` table, the same pairs as its GPOS `kern` feature that HarfBuzz applies for WeasyPrint), so lines
break where WeasyPrint breaks them.
"""

import io
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path

from qms_portal.printing.fetcher import DEFAULT_STATIC_ROOT

FONT_DIR = DEFAULT_STATIC_ROOT / "fonts"
FILES = {"regular": "LiberationSerif-Regular.ttf", "bold": "LiberationSerif-Bold.ttf",
         "italic": "LiberationSerif-Italic.ttf", "bold_italic": "LiberationSerif-BoldItalic.ttf"}
# Tables a PDF viewer never reads from an embedded TrueType font (layout is already done).
DROPPED_TABLES = ["GSUB", "GPOS", "GDEF", "kern", "FFTM", "DSIG", "gasp", "hdmx", "LTSH", "VDMX", "PCLT"]


@dataclass(frozen=True)
class Face:
    key: str
    path: Path
    postscript_name: str
    units_per_em: int
    ascent: float  # in em
    descent: float  # in em, positive
    italic_angle: float
    bold: bool
    bbox: tuple[int, int, int, int]  # in 1/1000 em
    cap_height: int  # in 1/1000 em
    glyphs: dict  # character -> (glyph id, advance in 1/1000 em)
    kerning: dict  # (character, character) -> adjustment in 1/1000 em
    notdef_width: float

    def glyph(self, char: str) -> tuple[int, float]:
        return self.glyphs.get(char) or (0, self.notdef_width)

    def width(self, text: str, size: float) -> float:
        """Advance width of `text` in points at `size`."""
        return _width(self.key, text) * size / 1000

    def kern(self, left: str, right: str) -> float:
        return self.kerning.get((left, right), 0)

    def shown(self, text: str) -> str:
        """The operands and operator that show `text` (2-byte glyph ids, Identity-H), kerning included."""
        return _shown(self.key, text)

    @property
    def flags(self) -> int:
        """FontDescriptor flags: nonsymbolic serif, italic when slanted."""
        return 2 + 32 + (64 if self.italic_angle else 0)


def _load(key: str) -> Face:
    from fontTools.ttLib import TTFont

    path = FONT_DIR / FILES[key]
    font = TTFont(path, lazy=True)
    scale = 1000 / font["head"].unitsPerEm
    advances = font["hmtx"].metrics
    order = font.getGlyphOrder()
    glyphs = {chr(code): (font.getGlyphID(name), advances[name][0] * scale)
              for code, name in font.getBestCmap().items()}
    head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
    chars_of: dict[str, list[str]] = {}
    for char, (gid, _advance) in glyphs.items():
        chars_of.setdefault(order[gid], []).append(char)
    kerning = {}
    if "kern" in font:
        for table in font["kern"].kernTables:
            for (left, right), value in table.kernTable.items():
                for a in chars_of.get(left, ()):
                    for b in chars_of.get(right, ()):
                        kerning[a, b] = value * scale
    return Face(
        key=key, path=path, postscript_name=font["name"].getDebugName(6), units_per_em=head.unitsPerEm,
        ascent=hhea.ascent / head.unitsPerEm, descent=-hhea.descent / head.unitsPerEm,
        italic_angle=font["post"].italicAngle, bold=os2.usWeightClass >= 600,
        bbox=tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
        cap_height=round(getattr(os2, "sCapHeight", hhea.ascent) * scale), glyphs=glyphs, kerning=kerning,
        notdef_width=advances[order[0]][0] * scale)


@cache
def face(key: str) -> Face:
    return _load(key)


@lru_cache(maxsize=200_000)
def _width(key: str, text: str) -> float:
    face_ = face(key)
    kerning = face_.kerning
    return (sum(face_.glyph(char)[1] for char in text)
            + sum(kerning.get(pair, 0) for pair in pairwise(text)))


@lru_cache(maxsize=100_000)
def _shown(key: str, text: str) -> str:
    face_ = face(key)
    kerning = face_.kerning
    parts, run = [], []
    for index, char in enumerate(text):
        run.append(f"{face_.glyph(char)[0]:04x}")
        adjust = kerning.get((char, text[index + 1]), 0) if index + 1 < len(text) else 0
        if adjust:
            parts.append(f"<{''.join(run)}>{-adjust:g}")
            run = []
    if not parts:
        return f"<{''.join(run)}> Tj"
    if run:
        parts.append(f"<{''.join(run)}>")
    return f"[{''.join(parts)}] TJ"


def face_by_postscript_name(name: str) -> Face | None:
    return next((face(key) for key in FILES if face(key).postscript_name == name), None)


def program(face_: Face, glyph_ids) -> bytes:
    """The face's TrueType program with only `glyph_ids` drawn (ids kept, hinting and layout tables dropped)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options(retain_gids=True, hinting=False, notdef_outline=True, ignore_missing_glyphs=True,
                             layout_closure=False, layout_features=[], name_IDs=[1, 2, 4, 6], glyph_names=False,
                             recalc_bounds=False)
    options.drop_tables += DROPPED_TABLES
    font = TTFont(face_.path, lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(gids=sorted({0, *glyph_ids}))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()
