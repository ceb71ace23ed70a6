"""What a file's name says about its talk: yt-dlp's `Title [VIDEOID].en.vtt`."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_BRACKET_ID = re.compile(r"\s*\[([A-Za-z0-9_-]{11})\]")
# Trailing language and format suffixes: `.en`, `.en-US`, `.fr.jn0jNY` is not one.
_LANG = re.compile(r"\.[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_EXTENSIONS = {".vtt", ".srt", ".sbv", ".json", ".txt", ".md", ".markdown"}


def video_id_from_url(url: str | None) -> str | None:
    """The YouTube id in a watch, share, shorts or embed URL."""
    if not url:
        return None
    try:
        parsed = urlparse(url.strip())
    except ValueError:
        return None
    host = (parsed.hostname or "").lower()
    candidate = None
    if host.endswith("youtu.be"):
        candidate = parsed.path.strip("/").split("/")[0]
    elif "youtube" in host:
        query = parse_qs(parsed.query)
        if "v" in query:
            candidate = query["v"][0]
        else:
            parts = [p for p in parsed.path.split("/") if p]
            if len(parts) >= 2 and parts[0] in {"shorts", "embed", "live", "v"}:
                candidate = parts[1]
    return candidate if candidate and VIDEO_ID.match(candidate) else None


def title_and_id(path: str | Path) -> tuple[str, str | None]:
    """A title and video id from a file name; the id is None when the name has none."""
    name = Path(path).name
    stem = name
    suffix = Path(stem).suffix.lower()
    if suffix in _EXTENSIONS:
        stem = stem[: -len(suffix)]
    stem = _LANG.sub("", stem)
    match = None
    for match in _BRACKET_ID.finditer(stem):
        pass
    video_id = None
    if match:
        video_id = match.group(1)
        stem = (stem[: match.start()] + stem[match.end():]).strip()
    elif suffix == ".json" and VIDEO_ID.match(stem):
        video_id = stem  # transcript JSON named by its id
    title = stem.replace("_", " ").strip() or name
    return title, video_id
