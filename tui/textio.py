"""Turning a file's bytes into text, and keeping untrusted text inert.

Transcripts come from the internet. Text is accepted as UTF-8 (with or without
a byte-order mark) or UTF-16 with a byte-order mark; anything else is refused
with a clear message rather than shown as mojibake.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from .model import ReadError

# Larger files are not talk documents; reading them whole would stall the scan.
MAX_BYTES = 64 * 1024 * 1024

# C0/C1 control characters and escape sequences (CSI, OSC, ...). Tabs and
# newlines survive; everything a terminal would act on is removed.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
    r"|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences and control characters (keeps \\t and \\n)."""
    return _ESCAPES.sub("", text)


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
        raise ReadError(f"{name} looks like a binary file, not text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReadError(
            f"{name} is not valid {encoding.upper()} text (byte {exc.start}); "
            "save it as UTF-8 or UTF-16 with a byte-order mark"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return strip_controls(text)


def read_text(path: str | Path) -> str:
    """Read and decode a file, with ReadError for anything a user must fix."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ReadError(f"{p.name} is {size // (1024 * 1024)} MB, larger than a talk document can be")
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read {p.name}: {exc.strerror or exc}") from None
    if not data.strip():
        raise ReadError(f"{p.name} is empty")
    return decode(data, p.name)
