"""Folders as yt-dlp writes them, from generated talks (tests/gen/captions.py).

`write_archive(folder, n, seed)` writes, per video, what

    yt-dlp --write-info-json --write-auto-subs --write-subs --write-description
           --write-thumbnail -o "%(title)s [%(id)s].%(ext)s" URL

leaves: `Title [ID].info.json` (yt-dlp's field names, chapters, a description
with its own chapter lines, a `formats` list as long as real ones),
`Title [ID].en.vtt` (auto-captions, rolling with `<c>` word timings),
`Title [ID].en-GB.srt` (uploaded subtitles), `Title [ID].description`,
`Title [ID].webp` and the media (`.mp4`, `.m4a`), plus a playlist's own
info.json and the leftovers of an unfinished download.

Renderers for YouTube's timed-text formats (`--sub-format json3/srv3/ttml`)
follow the shapes YouTube serves: json3 events with per-word `segs`
(`tOffsetMs`), srv3 `<p t d><s t>` and TTML `<p begin end>`.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from .captions import GenTalk, format_clock, line_cues, make_talk, youtube_vtt

_ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
_TITLE_WORDS = "How Why When Tiny Large Models Bread Bees Tides Compilers Memory Rivers Light Cities Maps Clocks".split()
_CHANNELS = ["Crumb Club", "ByteSized", "FieldNotes", "Everyday Physics", "Kanal Über", "数学の部屋"]


@dataclass
class Video:
    video_id: str
    title: str
    channel: str
    talk: GenTalk
    chapters: list[tuple[float, str]]

    @property
    def stem(self) -> str:
        return f"{self.title} [{self.video_id}]"


def make_video(seed: int, n_words: int = 600) -> Video:
    rng = random.Random(seed)
    video_id = "".join(rng.choice(_ID_CHARS) for _ in range(11))
    title = " ".join(rng.sample(_TITLE_WORDS, rng.randint(3, 6)))
    if rng.random() < 0.3:
        title += ": a | talk?"  # yt-dlp writes such titles with full-width ｜ and ？ in names; the info keeps them
    talk = make_talk(seed, n_words, punctuation=True)
    n = rng.randint(3, 7)
    cuts = sorted(rng.sample(range(15, max(16, int(talk.duration) - 5)), n - 1))
    chapters = [(0.0, "Intro")] + [(float(c), f"Part {i + 1}: {rng.choice(_TITLE_WORDS)}") for i, c in enumerate(cuts)]
    return Video(video_id, title, rng.choice(_CHANNELS), talk, chapters)


def safe_name(title: str) -> str:
    """The title as yt-dlp puts it in a file name (its default `--restrict-filenames` off)."""
    return title.replace("|", "｜").replace("?", "？").replace(":", "：").replace("/", "⧸")


def info_json(video: Video, *, description: bool = True) -> str:
    chapters = [
        {"start_time": start, "title": title, "end_time": (video.chapters[i + 1][0] if i + 1 < len(video.chapters) else round(video.talk.duration))}
        for i, (start, title) in enumerate(video.chapters)
    ]
    desc = ""
    if description:
        desc = (
            f"In this talk {video.channel} looks at {video.title.lower()}.\n\n"
            "Links:\n- https://example.org/notes\n\n"
            + "\n".join(f"{format_clock(s)} {t}" for s, t in video.chapters)
            + "\n\n#talk #science"
        )
    formats = [
        {"format_id": str(100 + k), "url": f"https://rr1---sn.example/videoplayback?id={k}&expire=1", "ext": "mp4",
         "width": 640, "height": 360, "protocol": "https", "filesize": 1000 * k, "http_headers": {"User-Agent": "x"}}
        for k in range(40)
    ]
    data = {
        "id": video.video_id,
        "title": video.title,
        "formats": formats,
        "thumbnails": [{"url": f"https://i.ytimg.com/vi/{video.video_id}/hqdefault.jpg", "id": "0"}],
        "thumbnail": f"https://i.ytimg.com/vi/{video.video_id}/maxresdefault.webp",
        "description": desc,
        "channel_id": "UC" + video.video_id * 2,
        "channel_url": "https://www.youtube.com/channel/UCxyz",
        "duration": round(video.talk.duration),
        "view_count": 1234,
        "webpage_url": f"https://www.youtube.com/watch?v={video.video_id}",
        "categories": ["Education"],
        "tags": ["talk"],
        "chapters": chapters,
        "upload_date": "20240501",
        "channel": video.channel,
        "uploader": video.channel + " (uploader)",
        "uploader_id": "@x",
        "extractor": "youtube",
        "extractor_key": "Youtube",
        "fulltitle": video.title,
        "duration_string": format_clock(video.talk.duration),
        "language": "en",
        "_type": "video",
        "_version": {"version": "2025.01.15", "repository": "yt-dlp/yt-dlp"},
    }
    return json.dumps(data, ensure_ascii=False)


def playlist_info_json(videos: list[Video]) -> str:
    return json.dumps({
        "id": "PLabcdefghijklmnopqrstuvwxyz012345", "title": "A Playlist", "_type": "playlist",
        "webpage_url": "https://www.youtube.com/playlist?list=PLabcdefghijklmnopqrstuvwxyz012345",
        "extractor": "youtube:tab", "extractor_key": "YoutubeTab", "channel": "Someone",
        "playlist_count": len(videos), "epoch": 1700000000,
    })


def _srt_time(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3600000:02d}:{ms % 3600000 // 60000:02d}:{ms % 60000 // 1000:02d},{ms % 1000:03d}"


def srt(talk: GenTalk) -> str:
    return "\n".join(f"{i}\n{_srt_time(a)} --> {_srt_time(b)}\n{t}\n" for i, (a, b, t) in enumerate(line_cues(talk), 1))


def json3(talk: GenTalk, *, auto: bool = True) -> str:
    """YouTube json3: auto-captions time each word (`tOffsetMs`), uploaded ones a whole line."""
    events: list[dict] = [{"tStartMs": 0, "dDurationMs": int(talk.duration * 1000), "id": 1, "wpWinPosId": 1, "wsWinStyleId": 1}]
    for index, (a, b) in enumerate(talk.lines):
        start = int(talk.starts[a] * 1000)
        end = int(talk.ends[b - 1] * 1000)
        if auto:
            segs = [{"utf8": talk.words[a], "acAsrConf": 0}] + [
                {"utf8": " " + talk.words[k], "tOffsetMs": int(talk.starts[k] * 1000) - start, "acAsrConf": 0} for k in range(a + 1, b)
            ]
            events.append({"tStartMs": start, "dDurationMs": end - start + 2000, "wWinId": 1, "segs": segs})
            events.append({"tStartMs": end, "dDurationMs": 1500, "wWinId": 1, "aAppend": 1, "segs": [{"utf8": "\n"}]})
        else:
            events.append({"tStartMs": start, "dDurationMs": end - start, "segs": [{"utf8": " ".join(talk.words[a:b])}]})
    return json.dumps({"wireMagic": "pb3", "pens": [{}], "wsWinStyles": [{}], "wpWinPositions": [{}], "events": events}, indent=2)


def srv3(talk: GenTalk) -> str:
    out = ['<?xml version="1.0" encoding="utf-8" ?><timedtext format="3">', '<head><ws id="0"/></head><body>']
    for a, b in talk.lines:
        start = int(talk.starts[a] * 1000)
        end = int(talk.ends[b - 1] * 1000)
        words = f'<s ac="0">{escape(talk.words[a])}</s>' + "".join(
            f'<s t="{int(talk.starts[k] * 1000) - start}" ac="0"> {escape(talk.words[k])}</s>' for k in range(a + 1, b)
        )
        out.append(f'<p t="{start}" d="{end - start + 2000}" w="1">{words}</p>')
        out.append(f'<p t="{end}" d="1500" w="1" a="1">\n</p>')
    out.append("</body></timedtext>")
    return "\n".join(out)


def _clock_ms(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    return f"{ms // 3600000:02d}:{ms % 3600000 // 60000:02d}:{ms % 60000 // 1000:02d}.{ms % 1000:03d}"


def ttml(talk: GenTalk) -> str:
    out = [
        '<?xml version="1.0" encoding="utf-8" ?>',
        '<tt xml:lang="en" xmlns="http://www.w3.org/ns/ttml" xmlns:tts="http://www.w3.org/ns/ttml#styling" '
        'xmlns:ttm="http://www.w3.org/ns/ttml#metadata"><head><styling><style xml:id="s1" tts:textAlign="center"/>'
        '</styling></head><body><div>',
    ]
    for a, b in talk.lines:
        words = [escape(w) for w in talk.words[a:b]]
        half = max(1, len(words) // 2)
        text = " ".join(words[:half]) + "<br />" + " ".join(words[half:]) if len(words) > 3 else " ".join(words)
        out.append(f'<p begin="{_clock_ms(talk.starts[a])}" end="{_clock_ms(talk.ends[b - 1])}" style="s1">{text}</p>')
    out.append("</div></body></tt>")
    return "\n".join(out)


def write_video(folder: Path, video: Video, *, media: str = ".mp4", rng: random.Random | None = None) -> str:
    """One video's files, as yt-dlp names them; returns the stem."""
    rng = rng or random.Random(0)
    stem = f"{safe_name(video.title)} [{video.video_id}]"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.info.json").write_text(info_json(video), encoding="utf-8")
    (folder / f"{stem}.en.vtt").write_text(youtube_vtt(video.talk), encoding="utf-8")
    if rng.random() < 0.6:
        (folder / f"{stem}.en-GB.srt").write_text(srt(video.talk), encoding="utf-8")
    desc = json.loads(info_json(video))["description"]
    (folder / f"{stem}.description").write_text(desc, encoding="utf-8")
    (folder / f"{stem}.webp").write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 ")
    (folder / f"{stem}{media}").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(64))
    return stem


def write_archive(folder: Path, n: int, seed: int = 0, n_words: int = 400) -> list[Video]:
    """`n` videos of a channel archive, a playlist's info.json and an unfinished download."""
    rng = random.Random(seed)
    videos = [make_video(seed * 1000 + i, n_words) for i in range(n)]
    for video in videos:
        write_video(folder, video, media=rng.choice([".mp4", ".webm", ".mkv", ".m4a", ".opus"]), rng=rng)
    (folder / "A Playlist [PLabcdefghijklmnopqrstuvwxyz012345].info.json").write_text(playlist_info_json(videos))
    last = videos[-1]
    stem = f"{safe_name(last.title)} [{last.video_id}]"
    (folder / f"{stem}.f137.mp4.part").write_bytes(bytes(100))
    (folder / f"{stem}.f137.mp4.ytdl").write_text('{"downloader": {"current_fragment": {"index": 3}}}')
    (folder / f"{stem}.live_chat.json").write_text('{"replayChatItemAction": {"actions": []}, "videoOffsetTimeMsec": "1000"}\n')
    return videos


# --- what note-taking pipelines and transcript scripts write ------------------------


def flattened_vtt(talk: GenTalk) -> str:
    """A YouTube auto-caption WebVTT with its cue timing lines and header gone, as pasted:
    cue texts one after another, `<00:00:01.500><c> word</c>` tags and `&gt;&gt;` left in."""
    out = []
    for line in youtube_vtt(talk).split("\n"):
        if not line.strip() or "-->" in line or line.startswith(("WEBVTT", "Kind:", "Language:")):
            continue
        out.append(line.strip())
    return " ".join(out)


def damage(track: str, rng: random.Random) -> str:
    """What copying does to a track: spaces inside timing tags, `&gt; &gt;`, `<c>` spans lost, wrapped lines."""
    import re

    def tag(m: "re.Match[str]") -> str:
        h, mi, rest = m.group(1), m.group(2), m.group(3)
        s, ms = rest.split(".")
        if rng.random() < 0.5:
            return f"<{h}: {mi}: {s}. {ms}>"
        if rng.random() < 0.2:
            return f"< {h}:{mi}:{s}.{ms} >"
        return m.group(0)

    track = re.sub(r"<(\d\d):(\d\d):(\d\d\.\d{3})>", tag, track)
    track = track.replace("&gt;&gt;", "&gt; &gt;") if rng.random() < 0.5 else track
    if rng.random() < 0.5:
        track = re.sub(r"</?c>", "", track)
    words = track.split(" ")
    lines, line = [], []
    for w in words:  # hard-wrapped at ~100 columns, as a note editor pastes it
        line.append(w)
        if sum(len(x) + 1 for x in line) > 100 and rng.random() < 0.7:
            lines.append(" ".join(line))
            line = []
    lines.append(" ".join(line))
    return "\n".join(lines)


def markdown_note(video: Video, track: str, rng: random.Random) -> str:
    colon = rng.choice([":", "："])
    head = [f"# {video.title}", "", f"**Video ID{colon}** {video.video_id}",
            f"**URL:** https://youtu.be/{video.video_id}?si=Ab12Cd34Ef56", f"**Channel{colon}** {video.channel}",
            f"**Duration:** {format_clock(video.talk.duration)}", "", "## Transcript", "", track, ""]
    if rng.random() < 0.5:
        head = ["---", f"duration_seconds: {round(video.talk.duration)}", "tags: [talk, notes]", "---", ""] + head
    return "\n".join(head)


def plain_text(talk: GenTalk) -> str:
    """youtube-transcript-api's TextFormatter: one caption line per line, nothing else."""
    return "\n".join(" ".join(talk.words[a:b]) for a, b in talk.lines) + "\n"
