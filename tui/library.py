"""A library folder: find the files, read them, group their documents into talks.

Grouping goes by video id (front matter, URL, `[ID]` in a file name, a JSON
file named by its id). A summary without an id joins the talk of the same
channel that it clearly matches by timestamps and wording, else stands alone.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Sequence
from typing import Callable, Iterable, Iterator

from rapidfuzz import fuzz, process

from .model import Document, Problem, ReadError, Role, Skipped, Talk, clean_link
from .naming import DOCUMENT_SUFFIXES, VIDEO_ID, file_kind, talk_stem, title_and_id, video_id_from_url
from .readers import read_talk_path
from .textio import strip_controls


@dataclass
class Library:
    root: Path
    talks: Sequence[Talk] = field(default_factory=list)  # a list, or the index's TalkRows
    problems: list[Problem] = field(default_factory=list)

    def find(self, key: str) -> Talk | None:
        """A talk by its id or its video id."""
        find = getattr(self.talks, "find", None)  # the index's TalkRows: without making every talk
        if find is not None:
            return find(key)
        for talk in self.talks:
            if key in (talk.id, talk.video_id):
                return talk
        return None


# --- finding files --------------------------------------------------------


def iter_files(root: Path, problems: list[Problem] | None = None) -> Iterator[Path]:
    """Every file below `root`, following folder links once (no loops), hidden entries skipped."""
    if root.is_file():
        yield root
        return
    seen: set[tuple[int, int]] = set()

    def on_error(exc: OSError) -> None:
        if problems is not None:
            problems.append(Problem(str(exc.filename or root), f"cannot open folder: {exc.strerror or exc}"))

    for folder, dirs, files in os.walk(root, followlinks=True, onerror=on_error):
        try:
            st = os.stat(folder)
        except OSError:
            dirs[:] = []
            continue
        if (st.st_dev, st.st_ino) in seen:  # a link back to a folder already walked
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(folder) / name


def not_a_document(path: Path) -> str:
    """Why a file of a kind no talk is made of is listed as a problem."""
    kinds = " ".join(sorted(DOCUMENT_SUFFIXES))
    return f"not a talk document: {path.suffix or 'no extension'} files are not read ({kinds} are)"


def read_file(path: Path) -> tuple[list[Document], Problem | None]:
    """Read one file; a file that is not a talk document becomes a Problem."""
    if file_kind(path) is None:
        return [], Problem(str(path), not_a_document(path))
    try:
        return read_talk_path(path), None
    except Skipped:  # a thumbnail, a playlist's info.json: known, nothing to read, no problem
        return [], None
    except ReadError as exc:
        return [], Problem(str(path), str(exc))
    except Exception as exc:  # never let one file stop the scan
        return [], Problem(str(path), f"unexpected error: {type(exc).__name__}: {exc}")


def scan(root: str | Path, progress: Callable[[int, Path], None] | None = None) -> Library:
    """Read every file below `root` (or the one file `root`) and group it into talks."""
    root = Path(root).expanduser()
    problems: list[Problem] = []
    documents: list[Document] = []
    if not root.exists():
        problems.append(Problem(str(root), "no such file or folder"))
        return Library(root, [], problems)
    for count, path in enumerate(iter_files(root, problems), 1):
        docs, problem = read_file(path)
        documents.extend(docs)
        if problem:
            problems.append(problem)
        if progress:
            progress(count, path)
    return Library(root, group(documents), problems)


# --- grouping -------------------------------------------------------------

# Which title names a talk best: the video's own title first.
_TITLE_RANK = {"info": -1, "dump": 0, "json": 1, "json3": 1, "youtube-vtt": 2, "vtt": 2, "srt": 3, "sbv": 3, "markdown": 4, "description": 5, "plain": 6}
_DOC_ORDER = {"markdown": 0, "plain": 1, "description": 2}
_ROLE_ORDER = {Role.TRANSCRIPT: 0, Role.SUMMARY: 1, Role.MEDIA: 2}


# Transcripts whose every word has its own time (YouTube's auto-captions in any
# of their formats, a pasted track that kept its `<00:00:14.559>` tags).
WORD_TIMED = {"youtube-vtt", "json3", "srv3", "note-timed"}


def timing_rank(doc: Document) -> int:
    """Which copy of a transcript to read: 0 word timings, 1 cue timings, 2 untimed (estimated).

    Summaries and media rank 0: the order among them is kept as it was.
    """
    if doc.role is not Role.TRANSCRIPT:
        return 0
    timed = any(seg.start is not None and not seg.estimated for seg in doc.segments[:50])
    if not timed:
        return 2
    return 0 if doc.format in WORD_TIMED else 1


def document_video_id(doc: Document) -> str | None:
    return doc.video_id or video_id_from_url(doc.url)


def group(documents: Iterable[Document], refit: bool = True) -> list[Talk]:
    """Group documents into talks, then let id-less summaries join the talk they match.

    Documents are one talk when they share a video id, or a name in one folder
    (`Talk [ID].en.vtt`, `Talk [ID].info.json`, `Talk.en.srt`, `Talk.md`); the
    documents of a folder named after a talk in it join that talk. Two videos'
    ids are never merged. With `refit`, summaries' stamps are read again once
    their talk's length is known (the index does that itself, only for pages
    it can change).
    """
    docs: list[Document] = []
    media: list[Document] = []
    for doc in documents:
        (media if doc.role is Role.MEDIA else docs).append(doc)

    sets = _Groups(docs)
    by_id: dict[str, int] = {}
    by_stem: dict[tuple[str, str], int] = {}
    for i, doc in enumerate(docs):
        vid = sets.ids[i]
        if vid:
            if vid in by_id:
                sets.union(by_id[vid], i)
            else:
                by_id[vid] = i
        key = (os.path.dirname(doc.path), talk_stem(doc.path))
        if key in by_stem:
            sets.union(by_stem[key], i)
        else:
            by_stem[key] = i
    _join_folders_named_after_talks(docs, sets)

    groups: list[list[Document]] = []
    pending: list[Document] = []
    for members in sets.groups():
        # A summary alone, without an id, waits to be matched to a talk.
        if len(members) == 1 and members[0].role is Role.SUMMARY and not document_video_id(members[0]):
            pending.append(members[0])
        else:
            groups.append(members)
    titles: dict[int, str] = {}  # each talk's title, worked out once for all pending summaries
    for doc in pending:
        target = best_match(doc, groups, titles)
        if target is None:
            groups.append([doc])
        else:
            target.append(doc)

    _attach_media(media, groups)
    talks = [make_talk(g, refit) for g in groups]
    talks.sort(key=lambda t: (t.title.casefold(), t.id))
    return talks


class _Groups:
    """Union-find over documents that never puts two different video ids in one set."""

    def __init__(self, docs: list[Document]) -> None:
        self.docs = docs
        self.parent = list(range(len(docs)))
        self.ids: list[str | None] = [document_video_id(d) for d in docs]
        self.root_id: dict[int, str | None] = dict(enumerate(self.ids))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ida, idb = self.root_id[ra], self.root_id[rb]
        if ida and idb and ida != idb:
            return False  # two videos that happen to share a name stay two talks
        self.parent[rb] = ra
        self.root_id[ra] = ida or idb
        return True

    def groups(self) -> list[list[Document]]:
        out: dict[int, list[Document]] = {}
        for i, doc in enumerate(self.docs):
            out.setdefault(self.find(i), []).append(doc)
        return list(out.values())


def _name_key(text: str) -> str:
    """A name as compared with a folder's: no `[ID]`, case, punctuation or spacing."""
    return " ".join(re.sub(r"\[[A-Za-z0-9_-]{11}\]|[\W_]+", " ", text).casefold().split())


def _join_folders_named_after_talks(docs: list[Document], sets: _Groups) -> None:
    """`Talk/Talk.en.vtt` + `Talk/SUMMARY.md`: a folder named after a talk it holds is that talk's."""
    by_folder: dict[str, list[int]] = {}
    for i, doc in enumerate(docs):
        by_folder.setdefault(os.path.dirname(doc.path), []).append(i)
    for folder, members in by_folder.items():
        if len(members) < 2:
            continue
        name = _name_key(os.path.basename(folder))
        if not name:
            continue
        named = {sets.find(i) for i in members if _name_key(talk_stem(docs[i].path)) == name}
        if len(named) != 1:
            continue  # no talk of the folder's name, or several: nothing is sure
        (root,) = named
        others = [i for i in members if sets.find(i) != root]
        if any(docs[i].role is Role.TRANSCRIPT for i in others):
            continue  # a folder of several talks (a channel's, say), not one talk's
        for i in others:
            sets.union(root, i)


def _attach_media(media: list[Document], groups: list[list[Document]]) -> None:
    """A video or audio file joins the talk of its id, else of its name in its folder;
    one that matches no talk is left out (a talk is something to read)."""
    by_id: dict[str, list[Document]] = {}
    by_stem: dict[tuple[str, str], list[Document]] = {}
    for g in groups:
        for doc in g:
            vid = document_video_id(doc)
            if vid:
                by_id.setdefault(vid, g)
            by_stem.setdefault((os.path.dirname(doc.path), talk_stem(doc.path)), g)
    for doc in media:
        vid = document_video_id(doc)
        target = by_id.get(vid) if vid else None
        if target is None:
            target = by_stem.get((os.path.dirname(doc.path), talk_stem(doc.path)))
        if target is not None and not any(d.role is Role.MEDIA for d in target):
            target.append(doc)


def _stamps(doc: Document) -> list[float]:
    out = []
    for seg in doc.segments:
        if seg.stamps:
            out.extend(s.seconds for s in seg.stamps)
        elif seg.start is not None:
            out.append(seg.start)
    return out


def _text(doc: Document, limit: int = 20000) -> str:
    text = " ".join(seg.text for seg in doc.segments if seg.kind != "code")
    return text[:limit].casefold()


def match_score(summary: Document, docs: list[Document]) -> float:
    """How clearly `summary` belongs with `docs`, 0..100: shared timestamps and wording."""
    mine = _stamps(summary)
    theirs = sorted(t for d in docs if d is not summary for t in _stamps(d))
    stamp_score = 0.0
    if mine and theirs:
        import bisect

        close = 0
        for t in mine:
            i = bisect.bisect_left(theirs, t)
            near = [abs(theirs[j] - t) for j in (i - 1, i) if 0 <= j < len(theirs)]
            if near and min(near) <= 20:
                close += 1
        stamp_score = 100.0 * close / len(mine)
    words = max((fuzz.token_set_ratio(_text(summary), _text(d)) for d in docs if d is not summary), default=0.0)
    if not mine or not theirs:
        return words
    return 0.5 * stamp_score + 0.5 * words


# A summary joins a talk only when the match is clear: a good score, well ahead of the next.
MATCH_THRESHOLD = 60.0
MATCH_MARGIN = 10.0


# Talks of no known channel a summary is compared with: those whose title is most like its own.
UNKNOWN_CHANNEL_CANDIDATES = 5
TITLE_LIKENESS = 60.0


def best_match(summary: Document, groups: list[list[Document]], titles: dict[int, str] | None = None) -> list[Document] | None:
    """The talk an id-less summary clearly belongs to, or None.

    Candidates are the talks of its channel and, since most caption files name
    no channel (yt-dlp's `Title [ID].en.vtt`), the few talks of no known
    channel whose title is like the summary's (or its file name's). A title
    comparison is cheap; the full match is not, so it runs on these only.
    """
    channel = (summary.channel or "").strip().casefold()
    candidates: list[list[Document]] = []
    unknown: list[tuple[str, list[Document]]] = []
    for g in groups:
        channels = {(d.channel or "").strip().casefold() for d in g} - {""}
        if channel and channel in channels:
            candidates.append(g)
        elif not channels:
            if titles is None:
                unknown.append((_group_title(g), g))
            else:
                if id(g) not in titles:
                    titles[id(g)] = _group_title(g)
                unknown.append((titles[id(g)], g))
    if unknown:
        mine = _name_key(summary.title or "") or _name_key(title_and_id(summary.path)[0])
        if mine:
            alike = process.extract(
                mine, [t for t, _ in unknown], scorer=fuzz.token_set_ratio, limit=UNKNOWN_CHANNEL_CANDIDATES, score_cutoff=TITLE_LIKENESS
            )
            candidates.extend(unknown[i][1] for _, _, i in alike)
    if not candidates:
        return None
    scored = sorted(((match_score(summary, g), id(g), g) for g in candidates), key=lambda s: s[0], reverse=True)
    best = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best[0] >= MATCH_THRESHOLD and best[0] - runner_up >= MATCH_MARGIN:
        return best[2]
    return None


def _group_title(docs: list[Document]) -> str:
    titled = sorted((d for d in docs if d.title), key=lambda d: _TITLE_RANK.get(d.format, 9))
    return _name_key(titled[0].title) if titled else _name_key(talk_stem(docs[0].path))


def talk_id_for(docs: list[Document], video_id: str | None) -> str:
    """The video id, else a short hash of the content (stable when files move)."""
    if video_id:
        return video_id
    h = hashlib.sha1()
    for doc in docs:
        for seg in doc.segments[:40]:
            h.update(seg.text.encode("utf-8", "replace"))
    return "t-" + h.hexdigest()[:12]


def make_talk(docs: list[Document], refit: bool = True) -> Talk:
    # Copies of one transcript: the best timed is read (ranked only then: it reads segments).
    several = sum(d.role is Role.TRANSCRIPT for d in docs) > 1
    docs = sorted(docs, key=lambda d: (_ROLE_ORDER[d.role], timing_rank(d) if several else 0, _DOC_ORDER.get(d.format, 3), d.path))
    video_id = next((v for v in (document_video_id(d) for d in docs) if v), None)
    titled = sorted((d for d in docs if d.title), key=lambda d: _TITLE_RANK.get(d.format, 9))
    title = titled[0].title if titled else _fallback_title(docs[0])
    # yt-dlp's metadata knows the channel, link and length for sure: it speaks first.
    ranked = sorted(docs, key=lambda d: d.format != "info")
    channel = next((d.channel for d in ranked if d.channel), None)
    url = next((d.url for d in ranked if d.url), None)
    url = clean_link(url) if url else None  # no `si=` share tracking in the link we show and quote
    if url is None and video_id:
        url = f"https://www.youtube.com/watch?v={video_id}"
    duration = next((d.duration for d in ranked if d.duration), None)
    transcript = next((d for d in docs if d.role is Role.TRANSCRIPT), None)
    if duration is None and transcript is not None:
        duration = transcript.last_time
    if refit and duration and transcript is not None:
        _refit_pages(docs, duration)
    return Talk(
        id=talk_id_for(docs, video_id),
        title=title,
        channel=channel,
        video_id=video_id,
        url=url,
        duration=duration,
        documents=docs,
    )


def _refit_pages(docs: list[Document], duration: float) -> None:
    """Re-read summaries' stamps now that the talk's length is known."""
    from .readers.markdown_page import refit

    for doc in docs:
        if doc.format in ("markdown", "plain"):
            refit(doc, duration)


def _fallback_title(doc: Document) -> str:
    stem = strip_controls(Path(doc.path).stem)  # a name may hold escapes or undecodable bytes
    if VIDEO_ID.match(stem):
        return stem  # `Eb7B6c0aK_-.json` alone: its id, as written (the talk's other files title it when there are any)
    if re.fullmatch(r"\d*_?[0-9a-f]{12,}", stem):  # a hash-like name says nothing
        first = next((s.text for s in doc.segments if s.text), "")
        return (first[:60] + "…") if len(first) > 60 else (first or "Untitled talk")
    return stem.replace("_", " ")


# --- where the library is ---------------------------------------------------


def configured_library() -> Path | None:
    """TALKSHELF_LIBRARY, else `library` in config.toml."""
    env = os.environ.get("TALKSHELF_LIBRARY")
    if env:
        return Path(env).expanduser()
    from .config import configured_library as in_config_toml

    return in_config_toml()


def resolve_library(arg: str | Path | None) -> Path:
    """The folder to open: the argument, else the configured library, else the sample."""
    if arg:
        return Path(arg).expanduser()
    from .paths import sample_library

    return configured_library() or sample_library()
