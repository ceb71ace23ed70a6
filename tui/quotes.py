"""Quotes: a passage of a talk with its title and a link to the moment, for pasting elsewhere.

The template is configurable (`quote_template` in config.toml) with the
variables {text} {title} {channel} {time} {seconds} {url}. Whatever stands
before `{text}` on its line (`> ` in the Markdown default) is repeated on every
line of the text, so a quote of several paragraphs stays one block quote.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Sequence

from .model import Segment, Talk, format_time
from .textio import strip_controls

DEFAULT_TEMPLATE = "> {text}\n>\n> — [{title}]({url}) at {time}"
# The default adapts when the talk has no link or the passage no time.
_NO_URL_TEMPLATE = "> {text}\n>\n> — {title} at {time}"
_NO_TIME_TEMPLATE = "> {text}\n>\n> — [{title}]({url})"
_BARE_TEMPLATE = "> {text}\n>\n> — {title}"

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


def quote_variables(talk: Talk, segments: Sequence[Segment]) -> dict[str, str]:
    start = next((s.start for s in segments if s.start is not None), None)
    text = "\n\n".join(strip_controls(s.text).strip() for s in segments if s.text.strip())
    return {
        "text": text,
        "title": strip_controls(talk.title),
        "channel": strip_controls(talk.channel or ""),
        "time": format_time(start) if start is not None else "",
        "seconds": str(int(start)) if start is not None else "",
        "url": talk.link(start) or "",
    }


def format_quote(talk: Talk, segments: Sequence[Segment], template: str | None = None) -> str:
    """The quote text for `segments` of `talk` (a bad template falls back to the default)."""
    values = quote_variables(talk, segments)
    if template is None or check_template(template) is not None:
        template = _default_for(values)
    return _fill(template, values)


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
