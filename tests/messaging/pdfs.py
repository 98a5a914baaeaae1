"""PDFs written for the safety tests: plain ones from pypdf's writer, and hand-written ones
for what a writer would never do on its own (escaped names, objects hidden in a
compressed object stream)."""

import io
import struct
import zlib

from pypdf import PdfWriter
from pypdf.actions import JavaScript, PageTrigger
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)

CATALOG = b"<</Type/Catalog/Pages 2 0 R%s>>"
PAGES = b"<</Type/Pages/Kids[3 0 R]/Count 1>>"
PAGE = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]%s>>"


def written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def one_page() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    return writer


def plain() -> bytes:
    return written(one_page())


def with_open_action_javascript() -> bytes:
    writer = one_page()
    writer.add_open_action(JavaScript("app.alert('Bonjour');"))
    return written(writer)


def with_page_open_javascript() -> bytes:
    writer = one_page()
    writer.pages[0].add_action(PageTrigger("open"), JavaScript("app.launchURL('x');"))
    return written(writer)


def with_launch_link() -> bytes:
    writer = one_page()
    launch = DictionaryObject(
        {
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("C:\\Windows\\System32\\calc.exe"),
        }
    )
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(0)] * 2 + [FloatObject(200)] * 2),
            NameObject("/A"): writer._add_object(launch),
        }
    )
    writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    return written(writer)


def with_attachment() -> bytes:
    writer = one_page()
    writer.add_attachment("facture.exe", b"MZ\x90\x00")
    return written(writer)


def with_link_to_a_web_page() -> bytes:
    writer = one_page()
    writer.add_uri(0, "https://www.caf.fr/", [0, 0, 100, 20])
    return written(writer)


def opening_on_its_first_page() -> bytes:
    writer = one_page()
    writer.open_destination = writer.pages[0]
    return written(writer)


def by_hand(objects: list[bytes]) -> bytes:
    """A classic PDF (object 1 is the catalog) with an exact cross-reference table."""
    out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def escaped_open_action_javascript() -> bytes:
    """/OpenAction → /Open#41ction, /JavaScript → /J#61vaScript, /JS → /J#53: the same
    names to a PDF reader, invisible to a search of the bytes."""
    return by_hand(
        [
            CATALOG % b"/Open#41ction 4 0 R",
            PAGES,
            PAGE % b"",
            b"<</S/J#61vaScript/J#53(app.alert\\(1\\))>>",
        ]
    )


def in_an_object_stream(action: bytes) -> bytes:
    """A PDF 1.5 whose catalog, pages and `action` (the catalog's /OpenAction) all sit in
    one compressed object stream, found through a compressed cross-reference stream."""
    hidden = [CATALOG % b"/OpenAction 4 0 R", PAGES, PAGE % b"", action]
    header, body = b"", b""
    for number, obj in enumerate(hidden, 1):
        header += b"%d %d " % (number, len(body))
        body += obj + b"\n"
    data = zlib.compress(header + body)
    out = b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"
    stream_offset = len(out)
    out += (
        b"5 0 obj\n<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n"
        % (len(hidden), len(header), len(data))
        + data
        + b"\nendstream\nendobj\n"
    )
    xref_offset = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 2, 5, index) for index in range(len(hidden))]
    rows += [struct.pack(">BIH", 1, stream_offset, 0), struct.pack(">BIH", 1, xref_offset, 0)]
    table = zlib.compress(b"".join(rows))
    out += (
        b"6 0 obj\n<</Type/XRef/Size 7/Root 1 0 R/W[1 4 2]/Filter/FlateDecode/Length %d>>\n"
        b"stream\n"
        % len(table)
        + table
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    )
    return out
