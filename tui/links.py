"""Which links talkshelf will open or write out: web links, nothing else.

A transcript dump's `URL:` line or a page's front matter is untrusted text:
`file:///etc/passwd`, `javascript:...` or a `[@click=...]` markup string must
never reach a browser, a Markdown document or the screen as an action.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Whitespace, controls, quotes and angle brackets end a URL in every context
# it is written to (Markdown `<...>`, a terminal hyperlink, a shell).
_UNSAFE = re.compile(r"[\x00-\x20\x7f-\x9f<>\"'`\\\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
MAX_LENGTH = 4096


def web_link(url: object) -> str | None:
    """`url` when it is an http(s) link with a host and nothing that could break out of it, else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or len(url) > MAX_LENGTH or _UNSAFE.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unbalanced `[` in the host
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url
