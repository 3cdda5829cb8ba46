"""One PDF from the WeasyPrint body and the annex pages, each font embedded once.

WeasyPrint embeds each face as a Type 0 font (Identity-H, the original glyph ids, a subset keeping the ids);
the annex (reports.rendering.table_pages) shows its text the same way. So for each face the merge keeps one
font: the body's font dictionary when the body has one (its program, widths and Unicode map widened to the
glyphs of both parts), a new one otherwise, and the annex pages point at it. The annex's content streams are
compressed. The result is about the size of the same document laid out by WeasyPrint in one piece
(tests/reports/test_annex_engine.py holds it within 10 %).
"""

import io
import re
import zlib

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from .fonts import FILES, Face, face, face_by_postscript_name, program
from .table_pages import RESOURCE_NAMES, TablePages

FONT_NAME_SUFFIX = {"regular": "", "bold": "-Bold", "italic": "-Italic", "bold_italic": "-Bold-Italic"}
_BFCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")


def pdf_merge(body: bytes | None, annex: TablePages | None) -> bytes:
    """The body with the annex pages appended (numbered after the body's), fonts shared; the annex alone when
    there is no body (the benchmark's engine comparison)."""
    if annex is None or not annex.pages:
        return body or b""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(body))) if body else PdfWriter()
    first = len(writer.pages)
    fonts = _body_fonts(writer)
    resources = DictionaryObject()
    for key in FILES:
        used = annex.chars.get(key, set())
        if key not in fonts and not used:
            continue
        reference = fonts.get(key) or _new_font(writer, face(key))
        _widen(reference.get_object(), face(key), used)
        resources[NameObject(f"/{RESOURCE_NAMES[key]}")] = reference
    shared = writer._add_object(DictionaryObject({NameObject("/Font"): resources}))
    for index in range(len(annex.pages)):
        page = writer.add_blank_page(annex.width, annex.height)
        stream = DecodedStreamObject()
        _set_compressed(stream, annex.content(index, first + index + 1))
        page[NameObject("/Contents")] = writer._add_object(stream)
        page[NameObject("/Resources")] = shared
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _body_fonts(writer: PdfWriter) -> dict:
    """The body's Type 0 fonts by face (recognised by the PostScript name in the embedded program)."""
    from fontTools.ttLib import TTFont

    found: dict[str, DictionaryObject] = {}
    seen: set[int] = set()
    for page in writer.pages:
        for reference in _font_references(page.get("/Resources")):
            if reference.idnum in seen:
                continue
            seen.add(reference.idnum)
            font = reference.get_object()
            if font.get("/Subtype") != "/Type0" or font.get("/Encoding") != "/Identity-H":
                continue  # (WeasyPrint writes its own encoding when a glyph is missing: not shareable)
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            if "/FontFile2" not in descriptor:
                continue
            data = descriptor["/FontFile2"].get_object().get_data()
            matched = face_by_postscript_name(TTFont(io.BytesIO(data), lazy=True)["name"].getDebugName(6))
            if matched is not None and matched.key not in found:
                found[matched.key] = reference
    return found


def _font_references(resources, depth: int = 0):
    if resources is None or depth > 3:
        return
    resources = resources.get_object()
    for reference in (resources.get("/Font") or DictionaryObject()).get_object().values():
        if hasattr(reference, "idnum"):
            yield reference
    for xobject in (resources.get("/XObject") or DictionaryObject()).get_object().values():
        yield from _font_references(xobject.get_object().get("/Resources"), depth + 1)


def _widths(cid_font) -> dict[int, float]:
    widths, items, i = {}, list(cid_font.get("/W", [])), 0
    while i < len(items):
        start, values = int(items[i]), items[i + 1]
        if isinstance(values, (list, ArrayObject)):
            widths.update({start + n: float(w) for n, w in enumerate(values)})
            i += 2
        else:  # "first last width" form
            widths.update({gid: float(items[i + 2]) for gid in range(start, int(values) + 1)})
            i += 3
    return widths


def _unicode_map(font) -> dict[int, str]:
    if "/ToUnicode" not in font:
        return {}
    data = font["/ToUnicode"].get_object().get_data()
    return {int(code, 16): bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
            for code, text in _BFCHAR.findall(data) if len(code) == 4}


def _to_unicode_cmap(mapping: dict[int, str]) -> bytes:
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap",
             b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def",
             b"1 begincodespacerange", b"<0000> <ffff>", b"endcodespacerange"]
    items = sorted(mapping.items())
    for start in range(0, len(items), 100):
        batch = items[start:start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines += [f"<{gid:04x}> <{text.encode('utf-16-be').hex()}>".encode() for gid, text in batch]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _widths_array(widths: dict[int, float]) -> ArrayObject:
    array, run, previous = ArrayObject(), None, None
    for gid in sorted(widths):
        if run is None or gid != previous + 1:
            run = ArrayObject()
            array += [NumberObject(gid), run]
        run.append(FloatObject(round(widths[gid], 3)))
        previous = gid
    return array


def _widen(font: DictionaryObject, face_: Face, chars: set[str]) -> None:
    """Make `font` cover `chars` too: one program, widths and Unicode map for the glyphs of both parts."""
    cid_font = font["/DescendantFonts"][0].get_object()
    descriptor = cid_font["/FontDescriptor"].get_object()
    widths = _widths(cid_font)
    if widths and all(face_.glyph(char)[0] in widths for char in chars):
        return  # the body's program already has every glyph the annex shows
    unicode = _unicode_map(font)
    for char in sorted(chars):
        gid, width = face_.glyph(char)
        widths.setdefault(gid, width)
        unicode.setdefault(gid, char)
    data = program(face_, widths)
    file = descriptor["/FontFile2"].get_object()
    _set_compressed(file, data)
    file[NameObject("/Length1")] = NumberObject(len(data))
    cid_font[NameObject("/W")] = _widths_array(widths)
    _set_compressed(font["/ToUnicode"].get_object(), _to_unicode_cmap(unicode))
    if "/CIDSet" in descriptor:  # a map of the glyphs present (PDF 1.4 and PDF/A-1): drop rather than lie
        del descriptor["/CIDSet"]


def _set_compressed(stream: StreamObject, data: bytes) -> None:
    if isinstance(stream, EncodedStreamObject):  # already Flate: pypdf compresses what it is given
        stream.set_data(data)
    else:
        stream.set_data(zlib.compress(data))
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")


def _new_font(writer: PdfWriter, face_: Face):
    """An empty Type 0 font for a face the body does not use (`_widen` fills it)."""
    name = NameObject(f"/QMSAAA+QMS-Serif{FONT_NAME_SUFFIX[face_.key]}")  # named as WeasyPrint names the others
    file = writer._add_object(DecodedStreamObject())
    to_unicode = writer._add_object(DecodedStreamObject())
    descriptor = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/FontDescriptor"), NameObject("/FontName"): name,
        NameObject("/Flags"): NumberObject(face_.flags),
        NameObject("/FontBBox"): ArrayObject(NumberObject(v) for v in face_.bbox),
        NameObject("/ItalicAngle"): FloatObject(face_.italic_angle),
        NameObject("/Ascent"): NumberObject(round(face_.ascent * 1000)),
        NameObject("/Descent"): NumberObject(-round(face_.descent * 1000)),
        NameObject("/CapHeight"): NumberObject(face_.cap_height),
        NameObject("/StemV"): NumberObject(120 if face_.bold else 80), NameObject("/FontFile2"): file}))
    cid_font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/CIDFontType2"),
        NameObject("/BaseFont"): name, NameObject("/CIDToGIDMap"): NameObject("/Identity"),
        NameObject("/CIDSystemInfo"): DictionaryObject({
            NameObject("/Registry"): TextStringObject("Adobe"), NameObject("/Ordering"): TextStringObject("Identity"),
            NameObject("/Supplement"): NumberObject(0)}),
        NameObject("/FontDescriptor"): descriptor, NameObject("/W"): ArrayObject()}))
    return writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type0"),
        NameObject("/BaseFont"): name, NameObject("/Encoding"): NameObject("/Identity-H"),
        NameObject("/DescendantFonts"): ArrayObject([cid_font]), NameObject("/ToUnicode"): to_unicode,
    }))
