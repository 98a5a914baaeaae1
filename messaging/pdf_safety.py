"""What a PDF sent to the town hall may not carry: code, actions that run by themselves or
open something else, attached files.

The file is parsed (pypdf) and every object it holds is read, those of its compressed
object streams included, with names decoded (`/J#61vaScript` is `/JavaScript`): a search
of the raw bytes would miss both.
"""

from enum import Enum
from typing import IO

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

# Keys whose mere presence means code, triggers or attached files.
ACTIVE_KEYS = {
    "/JS",  # an action's JavaScript
    "/JavaScript",  # the document's named scripts (names tree)
    "/AA",  # additional actions: on open, close, page view, field focus, keystroke…
    "/EmbeddedFiles",  # the names tree of attached files
    "/EF",  # a file specification that embeds its file
    "/XFA",  # XML forms, which carry their own scripts
}
# Actions (/S) that run code, start a program, read or send data, or open another file.
ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/ImportData",
    "/SubmitForm",
    "/GoToR",
    "/GoToE",
    "/Rendition",
    "/RichMediaExecute",
}
ACTIVE_TYPES = {"/EmbeddedFile", "/RichMedia"}
CONTAINERS = (IndirectObject, DictionaryObject, ArrayObject)
# A document is walked no further than this many objects (a page of text has a few dozen).
MAX_OBJECTS = 200_000


class PdfVerdict(Enum):
    SAFE = "safe"
    ACTIVE = "active"  # code, automatic actions or attached files
    PROTECTED = "protected"  # encrypted with a password we do not have
    UNREADABLE = "unreadable"


def _value(obj: DictionaryObject, key: str):
    value = obj.get(key)
    return value.get_object() if isinstance(value, IndirectObject) else value


def _is_active(obj: DictionaryObject) -> bool:
    if ACTIVE_KEYS.intersection(obj.keys()):
        return True
    if _value(obj, "/S") in ACTIVE_ACTIONS:
        return True
    if _value(obj, "/Type") in ACTIVE_TYPES or _value(obj, "/Subtype") in ACTIVE_TYPES:
        return True
    # Opening the document may show a page (a destination, a GoTo action): nothing else.
    opening = _value(obj, "/OpenAction")
    return isinstance(opening, DictionaryObject) and _value(opening, "/S") != NameObject("/GoTo")


def _every_object(reader: PdfReader):
    """Every object the file lists (its tables and its object streams), and what they hold."""
    pending: list = [reader.trailer]
    pending += [
        IndirectObject(num, gen, reader) for gen, nums in reader.xref.items() for num in nums
    ]
    pending += [IndirectObject(num, 0, reader) for num in reader.xref_objStm]
    seen: set[tuple[int, int]] = set()
    count = 0
    while pending:
        obj = pending.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):  # streams too: their dictionary, not their data
            yield obj
            inner = obj.values()
        elif isinstance(obj, ArrayObject):
            inner = obj
        else:
            continue
        count += 1
        if count > MAX_OBJECTS:
            raise ValueError("PDF trop complexe")
        pending.extend(value for value in inner if isinstance(value, CONTAINERS))


def inspect_pdf(stream: IO[bytes]) -> PdfVerdict:
    """Whether the PDF in `stream` is plain (text, images, forms without scripts)."""
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted and not _opens_without_password(reader):
            return PdfVerdict.PROTECTED
        if any(_is_active(obj) for obj in _every_object(reader)):
            return PdfVerdict.ACTIVE
    except Exception:  # noqa: BLE001 — any failure to parse a sent file means "not a PDF we take"
        return PdfVerdict.UNREADABLE
    return PdfVerdict.SAFE


def _opens_without_password(reader: PdfReader) -> bool:
    """Many PDFs are encrypted with an empty password (to forbid printing, say)."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # noqa: BLE001 — e.g. AES without a cipher library: unreadable here
        return False
