"""Transcripts pasted into a note: a Markdown (or any) wrapper around a flattened caption track.

    ---
    duration_seconds: 754
    ---
    # How Tides Make Power
    **Video ID:** tD4lM00nPwr
    **URL:** https://youtu.be/tD4lM00nPwr?si=Xy12
    **Channel：** Tides on Tap

    ## Transcript
    so the moon so the moon pulls<00: 00: 14. 559><c> the</c> sea so the moon pulls the sea ...

A transcript pasted as plain lines or prose under a heading that names it
(`## Transcript`, `## Captions`, `## 字幕`), with no bullets, stamps or
subheadings in it, is read too, as an untimed transcript (format "note").

Whether a body is a caption track is decided by what it holds, not by a heading
it happens to have: inline timing tags (`<00:00:14.559>`, in any spacing that
copying leaves, such as `<00: 00: 14. 559>`), or the rolling display's
pattern of each caption line shown two or three times in a row. The tags are
stripped and, where they parse, give their words' times (format
"note-timed"); without them the words are untimed and get times estimated
from the header's duration, marked (format "note"). `&gt;&gt;` and
`&gt; &gt;` are a change of speaker. The header gives the talk's fields: a
`# ` title, bold fields such as `**Video ID:**`, `**URL:**`, `**Channel:**`,
`**Duration:**` (any language's colon), front matter (`duration_seconds:`,
`title:`, `videoId:`), and the first youtu.be / watch?v= / shorts / embed link.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from ..dedup import dedup_words, strip_flat_header
from ..model import Document, ReadError, Role
from ..naming import VIDEO_ID, channel_from_name, language_from_name, title_and_id, video_id_from_url
from ..paragraphs import Piece, build_paragraphs
from ..textio import strip_controls
from .dump import _estimate_times, parse_duration

# A timing tag, also with the spaces copying puts in it: `<00: 00: 14. 559>`, `<1:02:03,5>`.
_TAG = re.compile(r"<\s{0,3}(?:(\d{1,2})\s{0,3}:\s{0,3})?(\d{1,2})\s{0,3}:\s{0,3}(\d{2})\s{0,3}[.,]\s{0,3}(\d{1,3})\s{0,3}>")
# What else a caption file leaves in a flattened track: `<c>` spans, cue timing lines and settings, voice and style tags.
_JUNK = re.compile(
    r"</?\s{0,2}c(?:\.[\w.-]{0,40})?\s{0,2}>"
    r"|(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{3}\s{0,3}-->\s{0,3}(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{3}(?:\s{1,3}(?:align|position|line|size|region|vertical):\S{1,20})*"
    r"|</?[biu]>|</?v(?:\s[^<>\n]{0,60})?>"
)
_SPEAKER = re.compile(r"&\s{0,2}gt\s{0,2};\s{0,3}&\s{0,2}gt\s{0,2};|&gt;|>\s>")
_ENTITY = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{1,7}|#[xX][0-9a-fA-F]{1,6});")

_FRONT = re.compile(r"\A\ufeff?---[ \t]*\n(.{0,20000}?)\n---[ \t]*(?:\n|\Z)", re.S)
_FIELD = re.compile(r"^\s{0,3}(?:[-*]\s+)?\*\*([^*\n]{1,40}?)\s*[:：]?\s*\*\*\s*[:：]?\s*(.*?)\s*$")
_PLAIN_FIELD = re.compile(r"^\s{0,3}([A-Za-z][\w -]{0,30}?)\s*[:：]\s*(.*?)\s*$")
_H1 = re.compile(r"^\s{0,3}#\s+(.+?)\s*#*\s*$")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_YOUTUBE = re.compile(
    r"(?:https?://)?(?:www\.|m\.)?(?:youtu\.be/[\w-]{11}|youtube(?:-nocookie)?\.com/(?:watch\?[^\s)\]>\"']*v=|shorts/|embed/|live/)[\w-]{11})[^\s)\]>\"'*]*"
)
_TRANSCRIPT_HEADING = re.compile(r"transcript|captions?|subtitles?|字幕|文字起こし|transkript|transcripción|transcription", re.I)

_KEYS = {
    "title": "title", "video title": "title", "name": "title",
    "video id": "video_id", "videoid": "video_id", "video_id": "video_id", "youtube id": "video_id", "id": "video_id",
    "url": "url", "link": "url", "youtube": "url", "video": "url", "source": "url", "video url": "url", "youtube url": "url",
    "channel": "channel", "uploader": "channel", "author": "channel", "creator": "channel", "speaker": "channel", "from": "channel",
    "duration": "duration", "length": "duration", "duration_seconds": "duration", "duration seconds": "duration",
}

MIN_TRACK_WORDS = 150  # a talk's track is thousands of words; a summary's paragraph is not one
MIN_TAGS = 3  # timing tags that make a block a caption track whatever its length
# A heading that names a transcript, found quickly (the pattern opens on a literal newline).
_TRANSCRIPT_SECTION = re.compile(r"\n[ \t]{0,3}#{1,6}[ \t][^\n]{0,80}?(?:" + _TRANSCRIPT_HEADING.pattern + ")", re.I)
ROLLING_SHARE = 0.25  # of a track's word windows, how many must show again just after


def _tag_seconds(m: re.Match) -> float | None:
    h, mi, s, frac = m.group(1), m.group(2), m.group(3), m.group(4)
    if int(s) >= 60 or (h is not None and int(mi) >= 60):
        return None
    return int(h or 0) * 3600 + int(mi) * 60 + int(s) + int(frac) / 10 ** len(frac)


def rolling_share(words: list[str], n: int = 5, window: int = 80, limit: int = 3000) -> float:
    """How many n-word windows repeat one seen within the last `window` words: ~0 for
    prose, most of them for a rolling caption display (each line shown 2-3 times)."""
    folded = [w.casefold() for w in words[:limit]]
    if len(folded) < n * 4:
        return 0.0
    last: dict[tuple[str, ...], int] = {}
    hits = 0
    total = len(folded) - n + 1
    for i in range(total):
        gram = tuple(folded[i : i + n])
        seen = last.get(gram)
        if seen is not None and i - seen <= window:
            hits += 1
        last[gram] = i
    return hits / total


def _line_offsets(lines: list[str]) -> list[int]:
    """Where each line starts in the text they were split from, and where the text ends."""
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    return offsets


def find_track(text: str) -> tuple[int, int] | None:
    """Where the flattened caption track is in `text` (start, end), or None when there is none."""
    lines = text.split("\n")
    offsets = _line_offsets(lines)
    # Blocks of non-blank lines that are not headings: the track is one of them (mostly one huge line).
    blocks: list[tuple[int, int]] = []
    start = None
    for i, line in enumerate(lines):
        if not line.strip() or _HEADING.match(line):
            if start is not None:
                blocks.append((start, i))
                start = None
        elif start is None:
            start = i
    if start is not None:
        blocks.append((start, len(lines)))
    best = None
    for a, b in blocks:
        if b - a > 1 and b - a > (offsets[b] - offsets[a]) / 30:
            continue  # many short lines: a list, not a flattened track
        body = text[offsets[a] : offsets[b]]
        tags = len(_TAG.findall(body, 0, 200000)) if "<" in body else 0
        if tags < MIN_TAGS and offsets[b] - offsets[a] < MIN_TRACK_WORDS * 3:
            continue  # too short for a talk's track
        words = _TAG.sub(" ", body[:200000]).split()
        # Timing tags say what the block is however short it is (a clip's few words).
        if len(words) < (MIN_TAGS if tags >= MIN_TAGS else MIN_TRACK_WORDS):
            continue
        if tags >= MIN_TAGS or rolling_share(words) >= ROLLING_SHARE:
            if best is None or len(words) > best[2]:
                best = (a, b, len(words))
    if best is None:
        return None
    a, b, _ = best
    # A track pasted over several blocks (blank lines inside it) runs on to the next heading.
    while b < len(lines) and not _HEADING.match(lines[b]):
        b += 1
    return offsets[a], min(len(text), offsets[b])


def find_transcript_section(text: str) -> tuple[int, int] | None:
    """Where the body of a section named as a transcript is (start, end), when it holds
    at least MIN_TRACK_WORDS words of plain lines or prose: no bullet, stamp or heading."""
    from .plain_transcript import _BULLET, _STAMP

    if _TRANSCRIPT_SECTION.search("\n" + text[:200_000]) is None:
        return None
    lines = text.split("\n")
    offsets = _line_offsets(lines)
    for i, line in enumerate(lines):
        heading = _HEADING.match(line)
        if not heading or not _TRANSCRIPT_HEADING.search(heading.group(2)):
            continue
        end = i + 1
        while end < len(lines) and not ((h := _HEADING.match(lines[end])) and len(h.group(1)) <= len(heading.group(1))):
            end += 1
        filled = [line.strip() for line in lines[i + 1 : end] if line.strip()]
        if sum(len(line.split()) for line in filled) < MIN_TRACK_WORDS:
            continue
        if any(_BULLET.match(line) or _HEADING.match(line) or _STAMP.search(line) for line in filled):
            continue  # a summary's points, or stamped lines (see stamped_transcript)
        return offsets[i + 1], min(len(text), offsets[end])
    return None


def looks_like_wrapped_track(text: str) -> bool:
    return find_track(text) is not None or find_transcript_section(text) is not None


def header_fields(header: str) -> dict[str, str]:
    """Title, video id, URL, channel and duration from a note's header (see the module doc)."""
    fields: dict[str, str] = {}
    front = _FRONT.match(header)
    body = header
    if front:
        body = header[front.end() :]
        for line in front.group(1).split("\n"):
            m = _PLAIN_FIELD.match(line)
            if m:
                key = _KEYS.get(m.group(1).strip().casefold().replace("-", " "))
                if key and m.group(2).strip():
                    fields.setdefault(key, m.group(2).strip().strip("\"'"))
    for line in body.split("\n"):
        m = _FIELD.match(line)
        if m:
            key = _KEYS.get(m.group(1).strip().casefold())
            if key and m.group(2):
                fields.setdefault(key, _plain_value(m.group(2)))
            continue
        h1 = _H1.match(line)
        if h1 and "title" not in fields:
            fields["title"] = _plain_value(h1.group(1))
    if "url" not in fields or not video_id_from_url(_first_link(fields["url"]) or fields["url"]):
        link = _YOUTUBE.search(header)
        if link:
            fields.setdefault("url", link.group(0))
            fields["link"] = link.group(0)
    return fields


def talk_fields(header: str, path: str) -> dict:
    """A transcript's talk fields (title, channel, video_id, url, duration, language) from
    the note header before it, falling back on what the file name says."""
    fields = header_fields(header)
    file_title, file_id = title_and_id(path)
    url = fields.get("link") or fields.get("url")
    raw_id = fields.get("video_id", "").strip()
    video_id = (raw_id if VIDEO_ID.match(raw_id) else None) or video_id_from_url(_first_link(url or "") or url or "") or file_id
    if url and not url.startswith(("http://", "https://")):
        # A bare `youtu.be/...` is the talk's link; any other bare text in a URL field is not.
        url = "https://" + url if video_id_from_url(_first_link(url) or url) and "://" not in url else None
    title = fields.get("title") or file_title
    return {
        "title": strip_controls(title) if title else None,
        "channel": fields.get("channel") or channel_from_name(path),
        "video_id": video_id,
        "url": url,
        "duration": parse_duration(fields["duration"]) if fields.get("duration") else None,
        "language": language_from_name(path),
    }


def _plain_value(value: str) -> str:
    """A Markdown value as text: `[label](url)` keeps its url where it is a link field, `**x**` loses its marks."""
    value = re.sub(r"\[([^\]\n]{0,300})\]\(([^()\s]{1,1000})\)", lambda m: m.group(2) if _YOUTUBE.match(m.group(2)) else m.group(1), value)
    return value.replace("**", "").replace("`", "").strip().strip("<>").strip()


def _first_link(value: str) -> str | None:
    m = _YOUTUBE.search(value)
    return m.group(0) if m else None


def track_pieces(track: str) -> tuple[list[Piece], bool]:
    """The words of a flattened track, deduplicated, each timed where a tag gave it a time."""
    track = _SPEAKER.sub(lambda m: " >> " if m.group(0) != "&gt;" else ">", track)
    track = _JUNK.sub(" ", track)
    tokens: list[tuple[str, float | None]] = []
    at = 0
    pending: float | None = None
    for m in _TAG.finditer(track):
        _add_words(tokens, track[at : m.start()], pending)
        pending = _tag_seconds(m)
        at = m.end()
    _add_words(tokens, track[at:], pending)
    # Tags that did not parse (`<00:00:99.000>`) and other leftovers are not words.
    words = strip_flat_header(" ".join(w for w, _ in tokens)).split()
    skip = len(tokens) - len(words)  # the header strip only removes leading tokens
    tokens = tokens[skip:] if skip >= 0 else tokens
    kept = dedup_words([w for w, _ in tokens])
    timed = [(w, t) for w, t in tokens if t is not None]
    times: list[float | None] = []
    q = 0
    last = -1.0
    for word in kept:
        found = None
        for k in range(q, min(len(timed), q + 40)):
            if timed[k][0] == word and timed[k][1] >= last:
                found = k
                break
        if found is None:
            times.append(None)
        else:
            times.append(timed[found][1])
            last = timed[found][1]
            q = found + 1
    has_times = any(t is not None for t in times)
    pieces = [Piece(_unescape(w), t, None) for w, t in zip(kept, times)]
    if has_times:
        _interpolate(pieces)
    return [p for p in pieces if p.text], has_times


def _add_words(tokens: list[tuple[str, float | None]], chunk: str, first_time: float | None) -> None:
    for k, word in enumerate(chunk.split()):
        tokens.append((word, first_time if k == 0 else None))


def _unescape(word: str) -> str:
    if "&" in word and _ENTITY.search(word):
        return strip_controls(html.unescape(word)).replace("\xa0", " ").strip()
    return word


def _interpolate(pieces: list[Piece]) -> None:
    """Words without a tag (each caption line's first) get a time between their neighbours'."""
    known = [i for i, p in enumerate(pieces) if p.start is not None]
    if not known:
        return
    for i in range(known[0]):
        pieces[i].start = pieces[known[0]].start
    for a, b in zip(known, known[1:]):
        ta, tb = pieces[a].start, pieces[b].start
        for i in range(a + 1, b):
            pieces[i].start = ta + (tb - ta) * (i - a) / (b - a)
    for i in range(known[-1] + 1, len(pieces)):
        pieces[i].start = pieces[known[-1]].start
    for p, nxt in zip(pieces, pieces[1:]):
        p.end = max(p.start, nxt.start)
    pieces[-1].end = pieces[-1].start


def read(text: str, path: str) -> list[Document]:
    name = strip_controls(Path(path).name)
    span = find_track(text)
    section = find_transcript_section(text) if span is None else None
    if span is None and section is None:
        raise ReadError(f"{name} holds no caption track")
    a, b = span or section
    header = text[:a]
    track = text[a:b]
    talk = talk_fields(header, path)
    first_line = text.count("\n", 0, a) + 1
    if section is not None:  # plain lines: each its own piece, on its own line
        pieces = [
            Piece(" ".join(strip_controls(line).split()), line=first_line + k)
            for k, line in enumerate(track.split("\n"))
            if line.strip()
        ]
        has_times = False
    else:
        pieces, has_times = track_pieces(track)
        for p in pieces:
            p.line = first_line
    if not pieces:
        raise ReadError(f"{name} has a caption track with no words")
    segments = build_paragraphs(pieces)
    if not has_times and talk["duration"]:
        _estimate_times(segments, talk["duration"])
    transcript = Document(path=path, role=Role.TRANSCRIPT, format="note-timed" if has_times else "note", segments=segments, **talk)
    return transcript_and_notes(transcript, text[:a] + "\n" + text[b:], path)


def transcript_and_notes(transcript: Document, rest: str, path: str) -> list[Document]:
    """The transcript taken out of a note, and what the `rest` of the note says as its summary
    (named like the transcript where it does not say), when it says anything."""
    notes = _notes(rest, path)
    if notes is None:
        return [transcript]
    notes.title = notes.title or transcript.title
    notes.video_id = notes.video_id or transcript.video_id
    notes.channel = notes.channel or transcript.channel
    return [transcript, notes]


_FIELD_TEXT = re.compile(r"^\W{0,3}[\w -]{1,40}?\s*[:：]\s")


def _notes(rest: str, path: str) -> Document | None:
    """What the note says besides its fields and the track (a summary, `### Part (MM:SS)`
    sections, the writer's notes), as a summary page of the talk; None when that is nothing."""
    from . import markdown_page

    try:
        (doc,) = markdown_page.read(rest, path)
    except (ReadError, ValueError):
        return None
    said = [s for s in doc.segments if not _FIELD_TEXT.match(s.text)]
    if sum(len(s.text.split()) for s in said if s.kind != "title") < 8 and not any(e.start is not None for e in doc.outline):
        return None
    return doc
