"""One reader per input format, and `read_path`, which picks the right one.

Every reader module has `read(text: str, path: str) -> list[Document]` and
raises only `ReadError`; `read_path` turns any other failure into a
`ReadError` too, so one odd file can never stop a scan.
"""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path

from ..model import Document, ReadError, Role, Skipped, Stamp
from ..naming import DOCUMENT_SUFFIXES, MEDIA_SUFFIXES, channel_from_name, file_kind, title_and_id
from ..textio import read_text, strip_controls

# Format name -> module in this package.
READERS = {
    "markdown": "markdown_page",
    "plain": "plain_summary",
    "dump": "dump",
    "vtt": "vtt",
    "srt": "srt",
    "sbv": "sbv",
    "json": "json_transcript",
    "info": "ytdlp_info",
    "description": "description",
    "text": "plain_transcript",
    "note": "wrapped_transcript",
    "stamped": "stamped_transcript",
    "timedtext": "timedtext",
}

# Files the scan reads: documents, and media files (attached to their talk, never opened).
TALK_SUFFIXES = DOCUMENT_SUFFIXES | MEDIA_SUFFIXES

_SRT_TIME = re.compile(r"^\s*\d+\s*\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->", re.M)
_SBV_TIME = re.compile(r"^\s*\d+:\d{2}:\d{2}\.\d{1,3},\d+:\d{2}:\d{2}\.\d{1,3}\s*$", re.M)
# A key only yt-dlp's info dict has, near its top (`"id"` and `"title"` come first).
_INFO_KEY = re.compile(r'"(?:extractor_key|webpage_url|fulltitle|upload_date|_type)"\s*:')
_DUMP_HEADER = re.compile(r"^(?:Timestamp|Title|URL|Status|Duration):", re.M)
# JSON that a transcript could be: a list of items or strings, or an empty one. A text
# that merely opens on a bracket (`[Music]`, `[00:00:05] so today`) is no JSON.
_JSON_LIST = re.compile(r"\[\s*[\[{\"\]]")


def detect_format(text: str, path: str | Path) -> str:
    """Which reader fits, from the content first and the name second."""
    suffix = Path(path).suffix.lower()
    head = text.lstrip("\ufeff \t\n")[:4096]
    if head.startswith("WEBVTT"):
        return "vtt"
    name = Path(path).name.lower()
    if name.endswith(".info.json") or (head[:1] == "{" and _INFO_KEY.search(head)):
        return "info"
    if suffix == ".description":
        return "description"
    if suffix in (".json", ".json3") or head[:1] == "{" or _JSON_LIST.match(head):
        return "json"
    if suffix in (".srv1", ".srv2", ".srv3", ".ttml") or head.startswith(("<?xml", "<timedtext", "<transcript", "<tt ", "<tt>")):
        return "timedtext"
    if _DUMP_HEADER.search(head) and re.search(r"^Content:", text, re.M):
        return "dump"
    if suffix == ".srt" or _SRT_TIME.search(head):
        return "srt"
    if suffix == ".sbv" or _SBV_TIME.search(head):
        return "sbv"
    if suffix == ".vtt":
        return "vtt"
    from .stamped_transcript import looks_like_stamped_transcript
    from .wrapped_transcript import looks_like_wrapped_track

    if looks_like_stamped_transcript(text):  # `0:04 so today...`, as YouTube's panel copies and whisper prints
        return "stamped"

    if looks_like_wrapped_track(text):  # a caption track pasted into a note, whatever wraps it
        return "note"
    if head.startswith("---") or "yt-timestamp" in head or re.search(r"^#{1,6} ", head, re.M) or suffix in {".md", ".markdown"}:
        return "markdown"
    from .plain_transcript import looks_like_plain_transcript

    if looks_like_plain_transcript(text):
        return "text"
    return "plain"


def read_text_as(text: str, path: str | Path, fmt: str | None = None) -> list[Document]:
    """Read already-decoded text with the reader for `fmt` (detected when None)."""
    fmt = fmt or detect_format(text, path)
    module = importlib.import_module(f".{READERS[fmt]}", __name__)
    name = strip_controls(Path(path).name)  # file names are untrusted too
    try:
        docs = module.read(text, str(path))
    except ReadError as exc:
        message = str(exc)
        clean = strip_controls(message)  # a reader may name the file as it came (bidi overrides, escapes)
        if clean is message:
            raise
        raise type(exc)(clean) from None
    except RecursionError:
        raise ReadError(f"{name} is nested too deeply to read") from None
    except OverflowError:  # a 400-digit hour: `int too large to convert to float` says nothing to a user
        raise ReadError(f"{name} holds a time or number far too large to be one (hundreds of digits)") from None
    except ValueError as exc:
        if "integer string conversion" not in str(exc):  # Python's 4,300-digit limit on int()
            raise ReadError(f"{name} could not be read as {fmt}: {type(exc).__name__}: {exc}") from None
        raise ReadError(f"{name} holds a number of thousands of digits, too large to be a time") from None
    except Exception as exc:  # a reader bug must not stop a scan: report it as the file's problem
        raise ReadError(f"{name} could not be read as {fmt}: {type(exc).__name__}: {exc}") from None
    if not docs:
        raise ReadError(f"{name} holds no text")
    return [_clean(doc) for doc in docs]


def _clean(doc: Document) -> Document:
    """Every text of a document as it may be shown: no controls, no lone surrogates.

    Readers clean the file's text, but JSON and YAML escapes (`\\u001b`,
    `\\ud800`) and file names add text after that: one pass here covers every
    reader, so no text that cannot be encoded reaches the index, the store or
    a terminal. Already-clean text costs one scan per string.
    """
    for attr in ("title", "channel", "video_id", "url", "language"):
        value = getattr(doc, attr)
        if isinstance(value, str):
            setattr(doc, attr, strip_controls(value))
    for seg in doc.segments:
        seg.text = strip_controls(seg.text)
        if seg.stamps and any(strip_controls(s.raw) is not s.raw for s in seg.stamps):
            seg.stamps = tuple(Stamp(s.offset, s.seconds, strip_controls(s.raw)) for s in seg.stamps)
    for entry in doc.outline:
        entry.title = strip_controls(entry.title)
    return doc


def media_document(path: str | Path) -> Document:
    """A video or audio file as a document of its talk: where it is, and what its name says."""
    title, video_id = title_and_id(path)
    fmt = Path(path).suffix.lower().lstrip(".")
    return Document(path=str(path), role=Role.MEDIA, format=fmt, title=title, channel=channel_from_name(path), video_id=video_id)


def read_path(path: str | Path) -> list[Document]:
    """Read one file into its documents, or raise ReadError with a reason a user understands.

    A media file gives a document without reading the file; a file yt-dlp leaves
    that holds nothing to read (thumbnail, `.part`, live chat) raises Skipped.
    """
    kind = file_kind(path)
    if kind == "media":
        return [media_document(path)]
    if kind == "skip":
        raise Skipped(f"{strip_controls(Path(path).name)} holds nothing to read (a thumbnail, a download's leftover or a chat replay)")
    return read_text_as(read_text(path), path)


def read_talk_path(path: str | Path) -> list[Document]:
    """read_path for a library scan: a page with no sign of a talk is refused (a README),
    though `talkshelf cat` still shows it."""
    docs = read_path(path)
    if not any(has_talk_sign(d) for d in docs) and not beside_its_talk(path):
        raise ReadError(
            f"not a talk document: {strip_controls(Path(path).name)} has no timestamp, video id, link, "
            "From: line or caption timing (a README or a to-do list, say)"
        )
    return docs


def has_talk_sign(doc: Document) -> bool:
    """Whether a document shows it is about a talk. Only summary pages can lack it: every
    other format is a talk's by what it is (captions, a dump, yt-dlp's metadata)."""
    if doc.role is not Role.SUMMARY or doc.format not in ("markdown", "plain"):
        return True
    if doc.video_id or doc.url or doc.channel or doc.duration:
        return True
    if any(e.start is not None and e.origin != "none" for e in doc.outline):
        return True
    return any(seg.stamps or seg.start is not None for seg in doc.segments)


def beside_its_talk(path: str | Path) -> bool:
    """A page without a sign of its own still belongs to a talk when a file of its name lies
    beside it (`Talk.md` by `Talk.en.vtt`), or its folder is named after a file in it."""
    from ..naming import talk_stem

    path = Path(path)
    stem = talk_stem(path)
    folder_key = _name_key(path.parent.name)
    try:
        names = os.listdir(path.parent)
    except OSError:
        return False
    for name in names[:5000]:
        if name == path.name or name.startswith(".") or file_kind(name) is None:
            continue
        other = talk_stem(name)
        if other == stem or (folder_key and _name_key(other) == folder_key):
            return True
    return False


def _name_key(text: str) -> str:
    return " ".join(re.sub(r"\[[A-Za-z0-9_-]{11}\]|[\W_]+", " ", text).casefold().split())
