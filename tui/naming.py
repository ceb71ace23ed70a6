"""What a file's name says about its talk: yt-dlp's `Title [VIDEOID].en.vtt`."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from .textio import strip_controls

VIDEO_ID = re.compile(r"\A[A-Za-z0-9_-]{11}\Z")  # \Z: `$` would let a trailing newline in
_BRACKET_ID = re.compile(r"\s*\[([A-Za-z0-9_-]{11})\]")
# Trailing language suffixes: `.en`, `.en-US` (yt-dlp) or `__en` (`channel__title__en.srt`);
# `.fr.jn0jNY` is not one.
_LANG = re.compile(r"(?:\.|__)([a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)$")
# `channel__title`: a library's way of saying whose talk a file is.
_CHANNEL = re.compile(r"^([^\s_][^\s]*?)__(?=[^_])")
# `.fr.jn0jNY`: a language tag followed by a short caption-track tag.
_LANG_TAG = re.compile(r"\.([a-z]{2})\.[A-Za-z0-9]{1,8}$")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})[._ -]+")
# Files read as documents of a talk (YouTube's own timed-text formats too).
DOCUMENT_SUFFIXES = {".vtt", ".srt", ".sbv", ".json", ".txt", ".md", ".markdown", ".json3", ".srv1", ".srv2", ".srv3", ".ttml", ".description"}
# A talk's video or audio: attached to the talk, never read.
MEDIA_SUFFIXES = {".mp4", ".webm", ".mkv", ".m4a", ".mp3", ".opus", ".ogg", ".wav", ".flac", ".mov", ".m4v", ".aac"}
# What yt-dlp leaves beside a video that holds nothing to read: thumbnails,
# unfinished downloads (`.part`, `.ytdl`, `.temp`). Skipped without a word.
SKIPPED_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".part", ".ytdl", ".temp"}
# Names yt-dlp gives by a double suffix: `.live_chat.json` is a chat replay, no transcript.
_COMPOUND = (".info.json", ".live_chat.json")
SKIPPED_ENDINGS = (".live_chat.json",)
_EXTENSIONS = DOCUMENT_SUFFIXES | MEDIA_SUFFIXES | SKIPPED_SUFFIXES
# yt-dlp's format code on a stream not merged yet: `Talk [ID].f137.mp4`.
_FORMAT_CODE = re.compile(r"\.f\d{2,4}(?:-\d+)?$")


def _on_domain(host: str, domain: str) -> bool:
    """`host` is `domain` or one of its subdomains (not `notyoutube.com`)."""
    return host == domain or host.endswith("." + domain)


def video_id_from_url(url: str | None) -> str | None:
    """The YouTube id in a watch, share, shorts or embed URL."""
    if not url:
        return None
    url = url.strip()
    if "://" not in url:
        url = "https://" + url  # `youtu.be/ID` as people paste it
    try:
        parsed = urlparse(url)
        host = (parsed.hostname or "").lower()
    except ValueError:
        return None
    candidate = None
    if _on_domain(host, "youtu.be"):
        candidate = parsed.path.strip("/").split("/")[0]
    elif _on_domain(host, "youtube.com") or _on_domain(host, "youtube-nocookie.com"):
        query = parse_qs(parsed.query)
        if "v" in query:
            candidate = query["v"][0]
        else:
            parts = [p for p in parsed.path.split("/") if p]
            if len(parts) >= 2 and parts[0] in {"shorts", "embed", "live", "v"}:
                candidate = parts[1]
    return candidate if candidate and VIDEO_ID.match(candidate) else None


def file_kind(path: str | Path) -> str | None:
    """"document", "media" or "skip" by the name; None for a file no talk is made of."""
    name = Path(path).name.lower()
    if name.endswith(SKIPPED_ENDINGS):
        return "skip"
    suffix = Path(name).suffix
    if suffix in DOCUMENT_SUFFIXES:
        return "document"
    if suffix in MEDIA_SUFFIXES:
        return "media"
    if suffix in SKIPPED_SUFFIXES:
        return "skip"
    return None


def _strip_suffix(name: str) -> tuple[str, str]:
    """The name without its extension (`.info.json`, `.f137.mp4` as one), and that extension."""
    lower = name.lower()
    for ending in _COMPOUND:
        if lower.endswith(ending) and len(name) > len(ending):
            return name[: -len(ending)], ending
    suffix = Path(name).suffix.lower()
    if suffix not in _EXTENSIONS:
        return name, suffix
    stem = name[: -len(suffix)]
    if suffix in MEDIA_SUFFIXES or suffix == ".part":
        stem = _FORMAT_CODE.sub("", stem)
    return stem, suffix


def _stem(name: str) -> tuple[str, str]:
    """The name without its extension and language suffix, and the suffix."""
    stem, suffix = _strip_suffix(name)
    if suffix == ".part":  # `Talk [ID].mp4.part`
        stem, _ = _strip_suffix(stem)
    return _LANG.sub("", _LANG_TAG.sub("", stem)), suffix


def named_by_id(path: str | Path, video_id: str) -> bool:
    """`Eb7B6c0aK_-.json`, `Eb7B6c0aK_-.en.json3`: the name is the id and nothing else."""
    return _stem(Path(path).name)[0].strip() == video_id


def talk_stem(path: str | Path) -> str:
    """The part of a name that files of one talk share: `Talk [ID].en.vtt`, `Talk [ID].info.json`
    and `Talk [ID].mp4` all give `Talk [ID]` (compared case-insensitively)."""
    return _stem(strip_controls(Path(path).name))[0].strip().casefold()


def language_from_name(path: str | Path) -> str | None:
    """The language tag a file name ends with (`Talk [ID].en.vtt` -> `en`), if any."""
    stem, _ = _strip_suffix(Path(path).name)
    match = _LANG.search(stem) or _LANG_TAG.search(stem)
    return match.group(1) if match else None


def channel_from_name(path: str | Path) -> str | None:
    """The channel a `channel__title` file name starts with, if any."""
    match = _CHANNEL.match(_stem(Path(path).name)[0])
    return match.group(1) if match else None


def title_and_id(path: str | Path) -> tuple[str, str | None]:
    """A title and video id from a file name; the id is None when the name has none."""
    # File names are untrusted too: no escape sequence may reach a title.
    name = strip_controls(Path(path).name)
    stem, suffix = _stem(name)
    channel = _CHANNEL.match(stem)
    if channel and channel.end() < len(stem):
        stem = stem[channel.end():]
    match = None
    for match in _BRACKET_ID.finditer(stem):
        pass
    video_id = None
    if match:
        video_id = match.group(1)
        stem = (stem[: match.start()] + stem[match.end():]).strip()
    elif suffix in (".json", ".json3", ".info.json") and VIDEO_ID.match(stem):
        video_id = stem  # transcript JSON named by its id
    return _readable(stem) or name, video_id


def _readable(stem: str) -> str:
    """`2016-06-08.some-slugged-title` -> `2016-06-08 some slugged title`."""
    date = _DATE.match(stem)
    prefix, rest = (date.group(1) + " ", stem[date.end():]) if date else ("", stem)
    rest = rest.replace("_", " ")
    if " " not in rest.strip() and rest.count("-") >= 2:  # a slug: its hyphens are spaces
        rest = rest.replace("-", " ")
    return " ".join((prefix + rest).split())
