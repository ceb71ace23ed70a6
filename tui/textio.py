"""Turning a file's bytes into text, and keeping untrusted text inert.

Transcripts come from the internet. Text is accepted as UTF-8 (with or without
a byte-order mark) or UTF-16 with a byte-order mark; anything else is refused
with a clear message rather than shown as mojibake.
"""

from __future__ import annotations

import codecs
import os
import re
import tempfile
import stat
from pathlib import Path

from .model import ReadError

# Larger files are not talk documents; reading them whole would stall the scan.
# A 3-hour talk is about 1.2 MB as a transcript dump and 3-5 MB as YouTube's
# word-timed WebVTT or json3, so 16 MB leaves room for very long streams while
# a stray file costs at most a few seconds and ~300 MB while it is read.
MAX_BYTES = 16 * 1024 * 1024

# C0/C1 control characters and escape sequences (CSI, OSC, ...). Tabs and
# newlines survive; everything a terminal would act on is removed.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-~]"  # other escapes: `ESC 7`, `ESC c`, `ESC ( B`
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


# Bidirectional embeddings, overrides and isolates reorder what a terminal
# shows (`U+202E` makes `txt.exe` read `exe.txt`): they are removed. The marks
# U+200E/U+200F stay: they only nudge neutral characters.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
# Lone surrogates (JSON and YAML `\\ud800` escapes, file names that are not
# UTF-8) cannot be encoded: any write or print of them fails, or with
# `surrogateescape` emits a raw byte (`\\udc9b` is an 8-bit CSI). They become U+FFFD.
_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"

# Every escape sequence starts with one of these, and the rest are what the
# patterns above remove: a text without any of them is clean.
_CONTROL_CHAR = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences, control characters and bidi overrides (keeps \\t and \\n).

    Lone surrogates become U+FFFD, so the result can always be encoded as UTF-8.
    """
    if _CONTROL_CHAR.search(text) is None:  # one character class scans ~4x quicker than the alternation
        return text
    text = _ESCAPES.sub("", text)
    text = _BIDI.sub("", text)
    return _SURROGATE.sub(REPLACEMENT, text)


# What `visible` writes out: every control character (tabs and newlines too,
# unless kept), bidi overrides, and lone surrogates.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _written_out(m: re.Match[str]) -> str:
    c = m.group(0)
    if "\ud800" <= c <= "\udfff":
        return REPLACEMENT
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def visible(text: str, lines: bool = False) -> str:
    """Text made safe to print: controls and bidi overrides written out (`\\x1b`, `\\u202e`).

    Unlike `strip_controls` nothing is lost from sight: a file name holding an
    escape sequence is shown with it spelled out. Lone surrogates become
    U+FFFD. With `lines`, tabs and newlines stay as they are.
    """
    pattern = _UNSAFE_LINES if lines else _UNSAFE
    if pattern.search(text) is None:
        return text
    return pattern.sub(_written_out, text)


# In JSON text, the characters json.dumps leaves raw that a terminal may act on.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def _json_escape(m: re.Match[str]) -> str:
    c = m.group(0)
    return REPLACEMENT if "\ud800" <= c <= "\udfff" else f"\\u{ord(c):04x}"


def json_text(data: object, indent: int | None = 2) -> str:
    """`json.dumps` for a terminal or a pipe: valid UTF-8, no raw C1 control or bidi override.

    json.dumps escapes C0 controls but leaves DEL, C1 controls (U+009B is a
    CSI to many terminals) and bidi overrides raw, and a lone surrogate makes
    the output unencodable: those are escaped (surrogates replaced by U+FFFD).
    """
    import json

    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(_json_escape, text) if _JSON_UNSAFE.search(text) else text


def one_line(text: str) -> str:
    """Untrusted text for one line of the interface: controls stripped, every run of whitespace one space."""
    return " ".join(strip_controls(text).split())


# Every byte but the C0 controls other than tab, line feed, form feed and carriage return.
_TEXT_BYTES = bytes(b for b in range(256) if b >= 0x20 or b in b"\t\n\x0c\r\x1b")


def _looks_like_utf16(head: bytes) -> bool:
    """Mostly-ASCII UTF-16: zero bytes in every other position, on one side only."""
    even, odd = head[0::2], head[1::2]
    if len(odd) < 2:
        return False
    zero_even, zero_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    return max(zero_even, zero_odd) >= 0.3 and min(zero_even, zero_odd) <= 0.02


def decode(data: bytes, name: str = "file") -> str:
    """Decode a document's bytes, or raise ReadError saying why not."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
        encoding = "utf-8"
    elif data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    if encoding == "utf-8" and b"\x00" in data[:4096]:
        head = data[:4096]
        if _looks_like_utf16(head):
            raise ReadError(
                f"{name} looks like UTF-16 text without a byte-order mark; "
                "save it as UTF-8 (or UTF-16 with a byte-order mark)"
            )
        # A stray NUL in text (a bad copy, a crashed writer) is stripped below; binary holds many.
        if len(head.translate(None, _TEXT_BYTES)) > len(head) // 100:
            raise ReadError(f"{name} looks like a binary file, not text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"{name} is not valid {encoding.upper()} text (byte {exc.start}); "
            "save it as UTF-8 or UTF-16 with a byte-order mark"
        ) from None
    # A second byte-order mark (a file saved twice with one) is no text either.
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return strip_controls(text)


def read_text(path: str | Path) -> str:
    """Read and decode a file, with ReadError for anything a user must fix."""
    p = Path(path)
    name = strip_controls(p.name)  # a file name is untrusted text too
    too_big = f"{name} is larger than a talk document can be (over {MAX_BYTES // (1024 * 1024)} MB)"
    try:
        info = p.stat()
        # A pipe or a device would block or never end: only regular files are read.
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(f"{name} is not a regular file")
        if info.st_size > MAX_BYTES:
            raise ReadError(f"{name} is {info.st_size // (1024 * 1024)} MB, larger than a talk document can be")
        with p.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # the file may have grown since stat
    except OSError as exc:
        raise ReadError(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise ReadError(too_big)
    if not data.strip():
        raise ReadError(f"{name} is empty")
    return decode(data, name)


def write_atomically(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder and `os.replace`: never a half-written file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
