"""YouTube's XML timed text, as `yt-dlp --sub-format srv3/srv2/srv1/ttml` writes it.

    srv3:  <timedtext format="3"><body>
             <p t="2399" d="6801" w="1"><s ac="0">hey</s><s t="201" ac="0"> in</s></p>
             <p t="4430" d="4770" w="1" a="1">\n</p>          (a line break being appended)
             <p t="9000" d="2000">a whole caption line</p>    (uploaded captions)
    srv2:  <timedtext><text t="1000" d="2000">a line</text></timedtext>      (milliseconds)
    srv1:  <transcript><text start="1.0" dur="2.0">a line</text></transcript>  (seconds)
    ttml:  <tt xmlns="http://www.w3.org/ns/ttml"><body><div>
             <p begin="00:00:01.000" end="00:00:03.000">a line<br/>and more</p>

srv3 auto-captions time each word (`<s t>` from its `<p t>`): format "srv3",
read word by word like json3. The others time whole lines. The XML is parsed
with defusedxml, which refuses entity expansion and external references, so a
hostile file is a ReadError rather than a memory bomb; no maintained package
reads srv3 at all, and TTML parsers on PyPI (pycaption, ttconv) bring document
models much larger than YouTube's flat list of timed `<p>`s needs.
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from ..model import Document, ReadError
from ..paragraphs import Piece
from ..textio import strip_controls
from .srt import clean_caption_texts, transcript_documents

_CLOCK = re.compile(r"^(\d{1,3}):(\d{2}):(\d{2})(?:([.,]\d{1,9})|:(\d{1,3})(?:\.\d+)?)?$")
_OFFSET = re.compile(r"^(\d{1,9}(?:\.\d{1,9})?)(h|m|s|ms|f|t)$")
MAX_ELEMENTS = 500_000


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _number(value: str | None, scale: float = 1.0) -> float | None:
    if value is None or len(value) > 20:
        return None
    try:
        number = float(value) * scale
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def ttml_time(value: str | None, frame_rate: float = 30.0, tick_rate: float = 1.0) -> float | None:
    """A TTML time expression in seconds: `00:00:01.500`, `00:00:01:12` (frames), `1.5s`, `1500ms`, `45t`."""
    if not value:
        return None
    value = value.strip()
    m = _CLOCK.match(value)
    if m:
        h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if mi >= 60 or s >= 60:
            return None
        seconds = h * 3600 + mi * 60 + s
        if m.group(4):
            seconds += float(m.group(4).replace(",", "."))
        elif m.group(5):
            seconds += int(m.group(5)) / frame_rate
        return float(seconds)
    m = _OFFSET.match(value)
    if m:
        number = float(m.group(1))
        unit = m.group(2)
        scale = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001, "f": 1.0 / frame_rate, "t": 1.0 / tick_rate}[unit]
        return number * scale
    return None


def _text_of(el: Element) -> str:
    """An element's text with `<br/>` as a line break."""
    parts: list[str] = []
    if el.text:
        parts.append(el.text)
    for child in el:
        if _local(child.tag) == "br":
            parts.append("\n")
        else:
            parts.append(_text_of(child))
        if child.tail:
            parts.append(child.tail)
    return "".join(parts)


def read(text: str, path: str) -> list[Document]:
    name = strip_controls(Path(path).name)
    try:
        root = fromstring(text.lstrip("\ufeff"))
    except DefusedXmlException as exc:
        raise ReadError(f"{name} is XML that declares entities or external references ({type(exc).__name__}); not read") from None
    except (ParseError, ValueError) as exc:
        raise ReadError(f"{name} is not well-formed XML: {exc}") from None
    except RecursionError:
        raise ReadError(f"{name} is nested too deeply to read") from None
    kind = _local(root.tag)
    if kind == "tt":
        fmt, raw = "ttml", _ttml_pieces(root)
    elif kind in ("timedtext", "transcript"):
        fmt, raw = _srv_pieces(root)
    else:
        raise ReadError(f"{name} is XML but not timed text: expected <timedtext>, <transcript> or TTML's <tt>, found <{kind[:40]}>")
    texts = clean_caption_texts([html.unescape(t) if "&" in t else t for _, _, t in raw])  # srv1 escapes twice
    pieces = [Piece(t, start, end) for (start, end, _), t in zip(raw, texts) if t]
    pieces.sort(key=lambda p: p.start if p.start is not None else 0.0)
    for piece, after in zip(pieces, pieces[1:]):  # a word lasts until the next one starts
        if fmt == "srv3" and after.start is not None and (piece.end is None or after.start < piece.end):
            piece.end = max(piece.start or 0.0, after.start)
    return transcript_documents(path, fmt, pieces, "timed captions")


def _srv_pieces(root: Element) -> tuple[str, list[tuple[float | None, float | None, str]]]:
    out: list[tuple[float | None, float | None, str]] = []
    words = False
    count = 0
    for el in root.iter():
        count += 1
        if count > MAX_ELEMENTS:
            break
        tag = _local(el.tag)
        if tag == "p":  # srv3: milliseconds, words in <s t=offset>
            start = _number(el.get("t"), 0.001)
            length = _number(el.get("d"), 0.001)
            end = start + length if start is not None and length is not None else None
            spans = [c for c in el if _local(c.tag) == "s"]
            if spans:
                if el.text and el.text.strip():
                    out.append((start, end, el.text))
                for s in spans:
                    offset = _number(s.get("t"), 0.001)
                    words = words or offset is not None
                    at = start + (offset or 0.0) if start is not None else None
                    out.append((at, end, _text_of(s)))
            else:
                out.append((start, end, _text_of(el)))
        elif tag == "text":  # srv1 (seconds: start/dur) or srv2 (milliseconds: t/d)
            if el.get("start") is not None:
                start, length = _number(el.get("start")), _number(el.get("dur"))
            else:
                start, length = _number(el.get("t"), 0.001), _number(el.get("d"), 0.001)
            end = start + length if start is not None and length is not None else None
            out.append((start, end, _text_of(el)))
    return ("srv3" if words else "srv"), out


def _ttml_pieces(root: Element) -> list[tuple[float | None, float | None, str]]:
    def rate(name: str, default: float) -> float:
        for key, value in root.attrib.items():
            if _local(key) == name:
                number = _number(value)
                if number:
                    return number
        return default

    frame_rate, tick_rate = rate("frameRate", 30.0), rate("tickRate", 1.0)
    out: list[tuple[float | None, float | None, str]] = []
    for count, el in enumerate(root.iter()):
        if count > MAX_ELEMENTS:
            break
        if _local(el.tag) != "p":
            continue
        start = ttml_time(el.get("begin"), frame_rate, tick_rate)
        end = ttml_time(el.get("end"), frame_rate, tick_rate)
        if end is None and start is not None:
            length = ttml_time(el.get("dur"), frame_rate, tick_rate)
            end = start + length if length is not None else None
        out.append((start, end, _text_of(el)))
    return out
