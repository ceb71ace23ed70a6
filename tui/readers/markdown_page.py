"""Markdown summary pages of a talk: Obsidian-style notes with front matter, wiki links and stamps.

A page has YAML front matter (title, videoId), a `From: [[channel]] <br/>`
line, headings, paragraphs, bullets and Obsidian callouts, with times written
as `yt-timestamp` anchors or bare `[..]` stamps. The reader turns it into one
summary Document of plain text: wiki links show their label, anchors and bare
stamps leave the text and become Stamps, emphasis markers and escapes go.

The block structure is read line by line rather than with markdown-it: these
pages use a small, regular subset of Markdown, a line-based reader keeps each
block's exact line number, and markdown-it would turn the inline HTML anchors,
wiki links and `[..]` stamps into tokens we would have to take apart again.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import timestamps
from ..model import Document, OutlineEntry, ReadError, Role, Segment, Stamp
from ..naming import VIDEO_ID, title_and_id, video_id_from_url
from ..textio import strip_controls
from .summary_blocks import BlockBuilder

# --- inline text -------------------------------------------------------------

# Where a stamp stood while the text is cleaned (private-use characters never
# survive from the input: they are removed first).
_MARK = "\ue000"
PRIVATE_USE = re.compile("[\ue000-\ue00f]")
# Characters that must come out literally (escaped, in code or in a wiki label)
# are hidden from the emphasis pass behind placeholders.
_HIDE = str.maketrans({"*": "\ue001", "_": "\ue002", "~": "\ue003", "=": "\ue004", "\\": "\ue005", "[": "\ue006", "]": "\ue007"})
_SHOW = str.maketrans({v: k for k, v in {"*": "\ue001", "_": "\ue002", "~": "\ue003", "=": "\ue004", "\\": "\ue005", "[": "\ue006", "]": "\ue007"}.items()})

# Every repetition is bounded, so no input can make a pattern scan for long.
_INLINE = re.compile(
    r"(?P<code>(?P<ticks>`{1,3})(?P<codebody>[^`\n]{1,2000}?)(?P=ticks))"
    r"|\\(?P<esc>[!-/:-@\[-`{-~])"
    r"|(?P<anchor><a\b(?P<attrs>[^<>]{0,500})>(?P<inner>[^<]{0,300})</a\s*>)"
    r"|(?P<wiki>!?\[\[(?P<wbody>[^\[\]\n]{1,500}?)\]\])"
    r"|(?P<bare>\[(?P<btime>\d{1,3}(?::\d{1,2}){1,3})\](?:\((?P<burl>[^()\s]{0,1000})\))?)"
    r"|(?P<link>!?\[(?P<ltext>[^\[\]\n]{0,500})\]\((?P<lurl>[^()\s]{0,1000})(?:\s+\"[^\"\n]{0,200}\")?\))",
    re.IGNORECASE,
)
_DATA_T = re.compile(r"""data-t\s*=\s*["']?([^"'\s<>]{1,40})""", re.IGNORECASE)
_TIME_ONLY = re.compile(r"\s*\[?\s*(\d{1,3}(?::\d{1,2}){1,3})\s*\]?\s*")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
# Obsidian comments: `[^%]` cannot run past the next `%`, so the scan is linear.
_OBSIDIAN_COMMENT = re.compile(r"[ \t]*%%[^%]*%%")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]{0,30}(?:\s[^<>]{0,500})?/?>")
# Emphasis content may not hold its own marker character, so a scan for the
# closing marker stops at the next one: linear on any input.
_STRONG = re.compile(r"\*\*(?=[^\s*])([^*\n]{1,500}?)(?<=[^\s*])\*\*")
# (marker, pattern): a pattern can only match where its marker occurs.
_EMPHASIS = [
    ("**", _STRONG),
    ("__", re.compile(r"(?<![\w_])__(?=[^\s_])([^_\n]{1,500}?)(?<=[^\s_])__(?![\w_])")),
    ("*", re.compile(r"(?<!\*)\*(?=[^\s*])([^*\n]{1,500}?)(?<=[^\s*])\*(?!\*)")),
    ("**", _STRONG),  # `**bold *and italic* text**` once the italic is gone
    ("_", re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]{1,500}?)(?<=[^\s_])_(?![\w_])")),
    ("~~", re.compile(r"~~(?=[^\s~])([^~\n]{1,500}?)(?<=[^\s~])~~")),
    ("==", re.compile(r"==(?=[^\s=])([^=\n]{1,500}?)(?<=[^\s=])==")),
]
_HIDDEN = re.compile("[\ue001-\ue007]")
_MARK_RUN = re.compile(r"[ \t]*\ue000(?:[ \t,;]*\ue000)*")
_SPACES = re.compile(r"\s+")
# What may follow a removed stamp without a space: punctuation closes up to the word before.
_OPENERS = set("([{\"'“‘¿¡")


@dataclass
class Inline:
    """A piece of page text made plain, with the stamps that stood in it."""

    text: str
    stamps: list[Stamp] = field(default_factory=list)


def clean_inline(source: str) -> Inline:
    """Plain text from one block's Markdown: labels for links, stamps taken out.

    Stamps come back with their offset in the plain text and their raw text;
    their seconds are set later, when the whole page's style is known.
    """
    raws: list[str] = []

    def stamp(raw: str) -> str:
        raws.append(raw)
        return _MARK

    def replace(m: re.Match[str]) -> str:
        if m.group("code") is not None:
            return m.group("codebody").translate(_HIDE)
        if m.group("esc") is not None:
            return m.group("esc").translate(_HIDE)
        if m.group("anchor") is not None:
            return _anchor(m.group("attrs"), m.group("inner"), stamp)
        if m.group("wiki") is not None:
            return _wiki_label(m.group("wbody")).translate(_HIDE)
        if m.group("bare") is not None:
            btime = m.group("btime")
            return stamp(btime) if timestamps.is_time(btime) else m.group(0).translate(_HIDE)
        label = m.group("ltext") or ""  # a Markdown link or image shows its text
        only = _TIME_ONLY.fullmatch(label)
        if only and timestamps.is_time(only.group(1)):
            return stamp(only.group(1))
        return label

    # Each pass runs only where its marker occurs (a pass that finds nothing
    # changes nothing): most blocks are words and one anchor.
    source = PRIVATE_USE.sub("", source)
    if "<!--" in source:
        source = drop_html_comments(source)[0]
    if "%%" in source:
        source = _OBSIDIAN_COMMENT.sub("", source)
    s = _INLINE.sub(replace, source)
    if "<" in s:
        s = _TAG.sub("", _BR.sub(" ", s))
    for marker, pattern in _EMPHASIS:
        if marker in s:
            s = pattern.sub(r"\1", s)
    s = strip_controls(html.unescape(s))  # `&#27;` must not become an escape
    if _HIDDEN.search(s):
        s = s.translate(_SHOW)  # placeholders back to their characters (_MARK has no entry: it stays)
    s = " ".join(s.split())
    return place_stamps(s, raws)


def drop_html_comments(s: str) -> tuple[str, int]:
    """`s` without its closed `<!-- ... -->` comments, whatever their length.

    Returns the text and where an unclosed `<!--` stands in it (-1: none); an
    unclosed one stays as text here. Each search starts where the last ended,
    so `<!--` repeated for megabytes costs one pass (a bounded regular
    expression rescanned at every `<!--`, and could not hide a long comment).
    """
    out: list[str] = []
    pos = 0
    while True:
        start = s.find("<!--", pos)
        if start < 0:
            break
        end = s.find("-->", start + 4)
        if end < 0:
            out.append(s[pos:start])
            kept = "".join(out)
            return kept + s[start:], len(kept)
        out.append(s[pos:start].rstrip(" \t"))
        pos = end + 3
    if not out:
        return s, -1
    out.append(s[pos:])
    return "".join(out), -1


class _Comments:
    """HTML comments over several lines (a page's metadata JSON, notes to self)."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.never_closed = False  # no later line holds `-->`: stop looking

    def line(self, i: int) -> tuple[str, int]:
        """Line `i` without its comments, and the next line to read (after a comment's last line)."""
        parts: list[str] = []
        text, j = self.lines[i], i
        while True:
            kept, open_at = drop_html_comments(text)
            if open_at < 0 or self.never_closed:
                parts.append(kept)
                break
            k = j + 1
            while k < len(self.lines) and "-->" not in self.lines[k]:
                k += 1
            if k >= len(self.lines):
                self.never_closed = True  # an unclosed `<!--` is text, as in a Markdown viewer
                parts.append(kept)
                break
            parts.append(kept[:open_at])
            j = k
            text = " " + self.lines[k][self.lines[k].index("-->") + 3 :]
        return "".join(parts), j + 1


def _anchor(attrs: str, inner: str, stamp: Callable[[str], str]) -> str:
    """A `yt-timestamp` anchor becomes a stamp; any other link shows its text."""
    attr = _DATA_T.search(attrs)
    shown = _TIME_ONLY.fullmatch(inner or "")
    times = []
    if attr and timestamps.is_time(attr.group(1)):
        times.append(attr.group(1))
    if shown and timestamps.is_time(shown.group(1)) and shown.group(1) not in times:
        times.append(shown.group(1))
    if times:
        # Both texts are kept when they disagree: the page decides which is right.
        return stamp(times[0] if len(times) == 1 else f"{times[0]} [{times[1]}]")
    if attr or "yt-timestamp" in attrs.lower():
        return ""  # a timestamp anchor with no readable time
    return inner


def _wiki_label(body: str) -> str:
    """`[[target | label]]` shows `label`; `[[Bitcoin]]` shows `Bitcoin`; `[[Page#Part]]` shows `Page > Part`."""
    pieces = [p.strip() for p in body.replace("\\|", "|").split("|")]
    label = next((p for p in reversed(pieces) if p), "")
    if len(pieces) == 1:
        page, _, part = label.partition("#")
        label = f"{page.strip()} > {part.strip()}" if page.strip() and part.strip() else (page or part).strip()
    return label


def place_stamps(s: str, raws: list[str]) -> Inline:
    """Remove the stamp marks from cleaned text, noting where each stood."""
    out: list[str] = []
    stamps: list[Stamp] = []
    length = 0
    pos = 0
    k = 0
    for m in _MARK_RUN.finditer(s):
        chunk = s[pos : m.start()]
        out.append(chunk)
        length += len(chunk)
        for _ in range(m.group(0).count(_MARK)):
            if k < len(raws):
                stamps.append(Stamp(length, 0.0, raws[k]))
            k += 1
        pos = m.end()
        following = s[pos : pos + 1]
        before = out[-1][-1:] if out and out[-1] else (s[m.start() - 1 : m.start()] if m.start() else "")
        if following == " " and (length == 0 or before.isspace()):
            while pos < len(s) and s[pos] == " ":
                pos += 1
        elif following and length and not following.isspace() and (following.isalnum() or following in _OPENERS):
            out.append(" ")
            length += 1
    out.append(s[pos:])
    return Inline("".join(out).strip(), stamps)


# --- blocks ------------------------------------------------------------------

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_BULLET = re.compile(r"^([ \t]*)([*+\-•]|\d{1,3}[.)])[ \t]+(\S.*)$")
_QUOTE = re.compile(r"^ {0,3}>[ ]?(.*)$")
_CALLOUT = re.compile(r"^\[!(\w[\w-]*)\][+-]?[ \t]*(.*)$")
_FROM = re.compile(r"^From:[ \t]*(.*)$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_KEY_LINE = re.compile(r"^\s*([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
HASH_LIKE_NAME = re.compile(r"(?:\d+[_-])?[0-9a-fA-F]{12,}")


class _Page:
    """Collects a page's segments and outline while its lines are read."""

    def __init__(self) -> None:
        self.segments: list[Segment] = []
        self.outline: list[OutlineEntry] = []
        self.pending: list[Stamp] = []  # stamps of a heading, for the paragraph under it
        self.first_h1: str | None = None

    def add(self, source: str, line: int, kind: str = "text", level: int = 0, plain: bool = False) -> None:
        inline = Inline(source.strip()) if plain else clean_inline(source)
        if not inline.text:
            self.pending.extend(Stamp(0, 0.0, s.raw) for s in inline.stamps)
            return
        stamps = [Stamp(0, 0.0, s.raw) for s in self.pending] + inline.stamps
        self.pending = []
        self.segments.append(Segment(None, None, inline.text, line=line, kind=kind, level=level, stamps=tuple(stamps)))

    def heading(self, source: str, level: int) -> None:
        # `### Title (MM:SS)`: the time in brackets after a heading's title is where its section starts.
        timed = _HEADING_TIME.search(source) if source.endswith(")") else None
        if timed:
            source = source[: timed.start()]
        inline = clean_inline(source)
        # A time written in the heading marks where its section starts.
        self.pending.extend(Stamp(0, 0.0, s.raw) for s in inline.stamps)
        if timed:
            self.pending.append(Stamp(0, 0.0, timed.group(1)))
        if not inline.text:
            return
        if level == 1 and self.first_h1 is None:
            self.first_h1 = inline.text
        self.outline.append(OutlineEntry(inline.text, level, None, segment=len(self.segments)))


_HEADING_TIME = re.compile(r"\s\((\d{1,2}:\d{2}(?::\d{2})?)\)$")
# How far down a page its header of fields may reach.
HEADER_LINES = 30


def read(text: str, path: str) -> list[Document]:
    """Read a Markdown summary page into one summary Document."""
    name = Path(path).name
    text = strip_controls(text.replace("\r\n", "\n").replace("\r", "\n")).lstrip("\ufeff")
    lines = text.split("\n")
    meta, raw_meta, body = _front_matter(lines)
    page, channel = _read_body(lines, body)
    if not page.segments and not page.outline:
        raise ReadError(f"{name} holds no summary text")
    # A heading with nothing under it at the end points nowhere.
    page.outline = [e for e in page.outline if e.segment < len(page.segments)]

    file_title, file_id = title_and_id(path)
    title = meta.get("title") or page.first_h1
    if not title and not HASH_LIKE_NAME.fullmatch(Path(path).stem):
        title = file_title
    video_id = _video_id(raw_meta, meta) or file_id
    url = meta.get("url") or meta.get("source")
    if not video_id or not url or not channel:
        # A note's header of bold fields (`**YouTube:** https://youtu.be/ID`, `**Channel：** x`).
        from .wrapped_transcript import header_fields

        fields = header_fields("\n".join(lines[body : body + HEADER_LINES]))
        link = fields.get("link") or fields.get("url")
        video_id = video_id or (fields["video_id"] if VIDEO_ID.match(fields.get("video_id", "")) else None) or video_id_from_url(link)
        if not url and link and video_id_from_url(link):
            url = link if "://" in link else "https://" + link
        channel = channel or fields.get("channel") or None
    doc = Document(
        path=str(path),
        role=Role.SUMMARY,
        format="markdown",
        title=(clean_inline(title).text or None) if title else None,
        channel=channel or ((clean_inline(meta["channel"]).text or None) if meta.get("channel") else None),
        video_id=video_id,
        url=url if url and url.startswith(("http://", "https://")) else None,
        segments=page.segments,
        outline=page.outline,
    )
    timestamps.fit(doc)
    return [doc]


def _read_body(lines: list[str], body: int) -> tuple[_Page, str | None]:
    """The page's blocks from line index `body` on, and the channel of its `From:` line."""
    page = _Page()
    builder = BlockBuilder(page.add)
    channel: str | None = None
    comments = _Comments(lines)
    i = body
    while i < len(lines):
        number = i + 1
        if "<!--" in lines[i]:
            line, i = comments.line(i)
            if not line.strip():
                continue  # a comment alone on its lines is no blank line: it hides, nothing more
            line = line.expandtabs(4)
        else:
            line = lines[i].expandtabs(4)
            i += 1
        stripped = line.strip()
        if not stripped:
            builder.flush()
            continue
        if channel is None and not page.segments and not page.outline and not builder.open:
            found = _FROM.match(stripped)
            if found:
                head, _, rest = _BR.sub("\n", found.group(1), count=1).partition("\n")
                channel = clean_inline(head).text or None
                if rest.strip():
                    builder.paragraph(rest.strip(), number)
                continue
        fence = _FENCE.match(line)
        if fence:
            builder.end_list()
            code: list[str] = []
            start = number
            while i < len(lines) and not lines[i].strip().startswith(fence.group(1)):
                code.append(PRIVATE_USE.sub("", lines[i]))
                i += 1
            i += 1  # the closing fence (or the end of the page)
            if any(c.strip() for c in code):
                page.add("\n".join(code).strip("\n"), start, "code", plain=True)
            continue
        heading = _HEADING.match(line)
        if heading:
            builder.end_list()
            page.heading(heading.group(2) or "", len(heading.group(1)))
            continue
        underline = _SETEXT.match(line)
        if underline and builder.kind == "text" and len(builder.lines) == 1:
            # `Title` over `=====` or `-----` is a heading, not a rule
            page.heading(builder.take()[0], 1 if underline.group(1)[0] == "=" else 2)
            continue
        if _RULE.match(line):
            builder.end_list()
            continue
        quote = _QUOTE.match(line)
        if quote:
            builder.end_list()
            quoted = [(number, quote.group(1))]
            while i < len(lines) and (q := _QUOTE.match(lines[i].expandtabs(4))):
                quoted.append((i + 1, q.group(1)))
                i += 1
            _add_quote(page, quoted)
            continue
        bullet = _BULLET.match(line)
        if bullet:
            marker = bullet.group(2)
            item = bullet.group(3) if not marker[0].isdigit() else f"{marker} {bullet.group(3)}"
            builder.bullet(item, number, len(bullet.group(1)))
            continue
        if stripped.startswith("|"):
            builder.flush()
            if not _TABLE_RULE.match(stripped):
                cells = [c.strip() for c in stripped.strip("|").split("|")]
                page.add("  ·  ".join(c for c in cells if c), number)
            continue
        if builder.open:
            builder.extend(stripped)  # continuation of a paragraph or a bullet
            continue
        builder.paragraph(stripped, number)
    builder.flush()
    return page, channel


def _add_quote(page: _Page, quoted: list[tuple[int, str]]) -> None:
    """A blockquote or Obsidian callout: its title and each paragraph become quote segments."""
    first_line, first = quoted[0]
    callout = _CALLOUT.match(first.strip())
    if callout:
        # The label stays as written (`[!CAUTION] Title`): it says what kind of note this is.
        # Escaped, so the inline pass keeps its brackets; the title is cleaned as any text.
        page.add(f"\\[!{callout.group(1)}\\] {callout.group(2)}", first_line, "quote")
        quoted = quoted[1:]
    block: list[str] = []
    start = 0
    for number, text in quoted + [(0, "")]:
        if text.strip():
            if not block:
                start = number
            block.append(text.strip())
        elif block:
            page.add(" ".join(block), start, "quote")
            block = []


def _front_matter(lines: list[str]) -> tuple[dict[str, str], dict[str, str], int]:
    """The page's YAML front matter as text values, the raw `key: value` lines, and where the body starts.

    Broken YAML is common in hand-edited pages: the simple `key: value` lines
    are read whatever YAML makes of the block.
    """
    if not lines or lines[0].strip() != "---":
        return {}, {}, 0
    end = next((j for j in range(1, min(len(lines), 400)) if lines[j].strip() in ("---", "...")), None)
    if end is None:
        return {}, {}, 0
    raw: dict[str, str] = {}
    for line in lines[1:end]:
        m = _KEY_LINE.match(line)
        if m and m.group(1).lower() not in raw:
            raw[m.group(1).lower()] = _unquote(m.group(2))
    block = "\n".join(lines[1:end])
    data = None
    if _plain_enough(block):
        data = _load_yaml(block)
    meta: dict[str, str] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and isinstance(value, (str, int, float)) and not isinstance(value, bool):
                meta[key.lower()] = str(value).strip()
    for key, value in raw.items():
        if value and not meta.get(key):
            meta[key] = value
    return meta, raw, end + 1


# libyaml when installed (the same safe loader, about ten times quicker: front
# matter was a tenth of reading a library); the pure-Python one where libyaml
# refuses what it reads (escapes such as `\\ud800`), so the result is the same.
_YAML_LOADERS = tuple(dict.fromkeys((getattr(yaml, "CSafeLoader", yaml.SafeLoader), yaml.SafeLoader)))


def _load_yaml(block: str) -> object:
    """The block as YAML, or None when no loader can read it (the raw lines stand)."""
    for loader in _YAML_LOADERS:
        try:
            return yaml.load(block, Loader=loader)
        except Exception:  # any YAML error: the next loader, else the raw lines
            continue
    return None
# Front matter holds a few scalars. PyYAML's time grows with the square of the
# nesting (12 KB of `[` took over a second) and recurses on it: deeper or
# bigger blocks are left to the `key: value` lines.
YAML_MAX_BYTES = 64 * 1024
YAML_MAX_DEPTH = 32
_FLOW = re.compile(r"[\[\]{}]")


def _plain_enough(block: str) -> bool:
    """Whether YAML may read the block quickly: small, and shallow in brackets and indentation."""
    if len(block) > YAML_MAX_BYTES:
        return False
    depth = 0
    for m in _FLOW.finditer(block):
        depth = depth + 1 if m.group(0) in "[{" else max(0, depth - 1)
        if depth > YAML_MAX_DEPTH:
            return False
    return all(len(line) - len(line.lstrip(" ")) <= 2 * YAML_MAX_DEPTH for line in block.split("\n"))


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return value.strip()


def _video_id(raw: dict[str, str], meta: dict[str, str]) -> str | None:
    # The raw text first: YAML may read an all-digit id as a number.
    for source in (raw, meta):
        for key in ("videoid", "video_id", "video-id", "youtube_id"):
            value = source.get(key)
            if value and VIDEO_ID.match(value):
                return value
    for key in ("url", "source", "link"):
        vid = video_id_from_url(meta.get(key))
        if vid:
            return vid
    return None


def refit(document: Document, duration: float | None) -> Document:
    """Re-read a summary's stamps now that the talk's length is known (in place; returns it).

    A page whose three-part stamps were read as hours but would then run past
    the talk is re-read as minutes, and segment and outline starts follow.
    """
    return timestamps.fit(document, duration)
