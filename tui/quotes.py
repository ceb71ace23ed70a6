"""Quotes: a passage of a talk with its title and a link to the moment, for pasting elsewhere.

The template is configurable (`quote_template` in config.toml) with the
variables {text} {title} {channel} {time} {seconds} {url}. Whatever stands
before `{text}` on its line (`> ` in the Markdown default) is repeated on every
line of the text, so a quote of several paragraphs stays one block quote.

A quote is a `Passage`: the exact words chosen (a few words inside one
paragraph, or a run across several), with the time of its first word.
Caption tools mark a change of speaker with `>>`; that is the captioner's
mark, not the speaker's words, so it is dropped. A time that was estimated
(no caption time at that word) is quoted as estimated, with `≈`.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .model import Segment, Talk, format_time
from .textio import strip_controls

DEFAULT_TEMPLATE = "> {text}\n>\n> — [{title}]({url}) at {time}"
# The default adapts when the talk has no link or the passage no time.
_NO_URL_TEMPLATE = "> {text}\n>\n> — {title} at {time}"
_NO_TIME_TEMPLATE = "> {text}\n>\n> — [{title}]({url})"
_BARE_TEMPLATE = "> {text}\n>\n> — {title}"

_LINK_TEXT_SIGNS = re.compile(r"[\\\[\]]")

FIELDS = ("text", "title", "channel", "time", "seconds", "url")


class _Blank(dict):
    """Unknown {names} in a user's template stay as written instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def check_template(template: str) -> str | None:
    """Why `template` cannot be used (a message for the user), or None when it is fine."""
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        return f"the quote template is malformed ({exc}); write literal braces as {{{{ and }}}}"
    if "text" not in names:
        return "the quote template has no {text}"
    return None


# `>>` (and `&gt;&gt;` left by a caption tool) where a caption marks a new speaker.
_SPEAKER_MARK = re.compile(r"(?:(?<=\s)|^)(?:>>|&gt;&gt;)+(?=\s|$)")


@dataclass(frozen=True, slots=True)
class Passage:
    """The words to quote and when the first of them is said (None when unknown)."""

    text: str
    start: float | None
    estimated: bool = False


def clean_quote_text(text: str) -> str:
    """Controls stripped, speaker marks dropped, spaces tidied (paragraph breaks kept)."""
    paragraphs = []
    for paragraph in strip_controls(text).split("\n\n"):
        lines = [" ".join(_SPEAKER_MARK.sub(" ", line).split()) for line in paragraph.split("\n")]
        paragraph = "\n".join(line for line in lines if line)
        if paragraph:
            paragraphs.append(paragraph)
    return "\n\n".join(paragraphs)


def word_time(segment: Segment, offset: int, next_start: float | None = None) -> tuple[float | None, bool]:
    """When the word at character `offset` of `segment` is said, and whether that is estimated.

    A paragraph's own time is its first word's. Inside it, without word timings,
    the time is placed in proportion to the characters before the word, between
    the paragraph's start and its end (or the next paragraph's start): an estimate.
    """
    start = segment.start
    if start is None or offset <= 0 or not segment.text:
        return start, segment.estimated
    if segment.marks:
        # The last known word time at or before the word; words after it in
        # the same cue are placed by characters up to the next known time.
        k = bisect_right(segment.marks, (offset, float("inf"))) - 1
        if k >= 0:
            at, seconds = segment.marks[k]
            if at == offset:
                return seconds, segment.estimated
            if k + 1 < len(segment.marks):
                after, later = segment.marks[k + 1]
            else:
                after, later = len(segment.text), segment.end if segment.end is not None else next_start
            if later is None or later <= seconds or after <= at:
                return seconds, True
            return seconds + (later - seconds) * (offset - at) / (after - at), True
    end = segment.end if segment.end is not None else next_start
    if end is None or end <= start:
        return start, True
    share = min(1.0, offset / len(segment.text))
    return start + (end - start) * share, True


def passage(segments: Sequence[Segment], start: int = 0, end: int | None = None, next_start: float | None = None) -> Passage:
    """The text from character `start` of the first segment to `end` of the last (None: its end).

    `next_start` is the start of the paragraph after the first one, for placing
    a word inside a paragraph that has no end time.
    """
    if not segments:
        return Passage("", None)
    texts = [s.text for s in segments]
    if len(texts) == 1:
        texts[0] = texts[0][start:end]
    else:
        texts[0] = texts[0][start:]
        texts[-1] = texts[-1][:end]
    # The time of the first word actually quoted: skip spaces (and a speaker mark) at the start.
    first = segments[0]
    lead = len(texts[0]) - len(texts[0].lstrip(" \t\n>"))
    at, estimated = word_time(first, start + lead if start + lead < len(first.text) else start, next_start)
    if at is None:
        # A passage of untimed paragraphs still takes the first time it holds.
        timed = next((s for s in segments if s.start is not None), None)
        if timed is not None:
            at, estimated = timed.start, timed.estimated
    return Passage("\n\n".join(t for t in texts if t.strip()), at, estimated)


def quote_variables(talk: Talk, segments: Sequence[Segment] | Passage) -> dict[str, str]:
    chosen = segments if isinstance(segments, Passage) else passage(segments)
    start = chosen.start
    return {
        "text": clean_quote_text(chosen.text),
        "title": strip_controls(talk.title),
        "channel": strip_controls(talk.channel or ""),
        "time": format_time(start, chosen.estimated) if start is not None else "",
        "seconds": str(int(start)) if start is not None else "",
        "url": talk.link(start) or "",
    }


def format_quote(talk: Talk, segments: Sequence[Segment] | Passage, template: str | None = None) -> str:
    """The quote text for `segments` (whole paragraphs) or a `Passage` of `talk`.

    A bad template falls back to the default.
    """
    values = quote_variables(talk, segments)
    if template is None or check_template(template) is not None:
        template = _default_for(values)
        if "[{title}]" in template:
            values["title"] = _link_text(values["title"])
    return _fill(template, values)


def _link_text(title: str) -> str:
    """`title` as the text of the default's Markdown link. Balanced brackets
    ("[Music] night") may stay, as CommonMark allows; a lone one ("Part 2]")
    or a backslash would end or bend the link, so then all are escaped."""
    depth = 0
    for sign in _LINK_TEXT_SIGNS.findall(title):
        if sign == "\\":
            break
        depth += 1 if sign == "[" else -1
        if depth < 0:
            break
    else:
        if depth == 0:
            return title
    return _LINK_TEXT_SIGNS.sub(r"\\\g<0>", title)


def _default_for(values: dict[str, str]) -> str:
    if values["url"] and values["time"]:
        return DEFAULT_TEMPLATE
    if values["time"]:
        return _NO_URL_TEMPLATE
    if values["url"]:
        return _NO_TIME_TEMPLATE
    return _BARE_TEMPLATE


def _fill(template: str, values: dict[str, str]) -> str:
    text = values["text"]
    # The prefix before {text} on its line, e.g. "> " or "  ", continues every text line.
    line_start = template.rfind("\n", 0, template.find("{text}")) + 1
    prefix = template[line_start : template.find("{text}")]
    if prefix.strip(" >\t") == "":
        text = "\n".join((prefix + line) if line else prefix.rstrip() for line in text.split("\n"))
        text = text[len(prefix) :]  # the template already holds the first line's prefix
    filled = dict(values, text=text)
    return string.Formatter().vformat(template, (), _Blank(filled))


def copy_text(text: str, terminal_copy: Callable[[str], None]) -> tuple[bool, str]:
    """Copy `text`: the system clipboard through pyperclip, else `terminal_copy` (OSC 52).

    Returns (True, "") when pyperclip took it, (False, why not) when it went
    through the terminal. Never raises for a missing clipboard.
    """
    try:
        import pyperclip

        pyperclip.copy(text)
        return True, ""
    except Exception as exc:  # PyperclipException on a server or over SSH, or anything odd in a backend
        # The first sentence says enough (pyperclip's own message goes on with a URL).
        reason = str(exc).strip().split(". ")[0].rstrip(".") or type(exc).__name__
    terminal_copy(text)
    return False, reason
