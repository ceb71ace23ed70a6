"""A seeded mutation fuzzer over every reader, `cat`, `list`, `index`, `search`, `export` and `import`.

The hostile corpus is made here, never committed: the shipped sample files and
generated files of every other format (yt-dlp's info.json, YouTube VTT, SRT,
srv3, TTML, json3, a description, a transcript dump, a pasted-track note),
each mutated a few times (bytes flipped, slices cut, repeated or spliced from
another file, terminal escapes, Rich markup, lone surrogates, bidi overrides,
huge numbers, open comments and brackets put in), under hostile file names
too. What must hold, whatever the file:

- a reader gives documents or a ReadError that says what is wrong in words
  (never a Python exception's name: that is a reader bug let through);
- nothing printed holds a control byte a terminal acts on, and it is UTF-8;
- no file of the library is changed by reading, listing, indexing or searching;
- an import of a damaged export changes nothing or only adds, and every
  committed note is still there; an export re-imports whole.

The seed and the number of cases are fixed, so a failure reproduces; set
TALKSHELF_FUZZ_SEED / TALKSHELF_FUZZ_CASES to explore further. The default
run takes about 15-25 s on a loaded 2-core machine.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gen import captions, ytdlp
from tui.cli import cat_lines, main
from tui.model import ReadError, Skipped
from tui.readers import READERS, read_path, read_text_as
from tui.store import Store
from tui.store_cli import run_export, run_import
from tui.textio import decode

SEED = int(os.environ.get("TALKSHELF_FUZZ_SEED", "8"))
CASES = int(os.environ.get("TALKSHELF_FUZZ_CASES", "160"))
SAMPLE = Path(__file__).resolve().parents[1] / "tui" / "sample"

OSC52 = "\x1b]52;c;aGFja2Vk\x07"
OSC8 = "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\"
# What a file may hold to act on a terminal, on Rich or Textual, or on a parser.
HOSTILE = [
    OSC52, OSC8, "\x1b[2J\x1b[H", "\x1b[31mred", "\x9b31m", "\x1bP+q\x1b\\", "\x07", "\x08\x08", "\r", "\x00", "\x7f",
    "[bold]", "[/]", "[link=file:///etc/passwd]x[/link]", "[@click=app.quit]quit[/]", "[red on black]", "\\[b]",
    "\u202e", "\u2066", "\u200f", "\ufeff", "\ud800", "\\ud800", "\\udc9b", "\\u001b]52;c;eA==\\u0007",
    "<!--", "-->", "<script>", "```", "[" * 200, "{" * 200, "9" * 400, "9" * 5000, "-1e999", "NaN",
    "00:00:01,000 --> 99:59:59,999", "WEBVTT", "Content:", "---\n", "title: [", "# ", "• ", "[00:01:10]",
]
URLS = ["https://[bold]x/", "https://[::1", "http://[", "file:///etc/passwd", "javascript:alert(1)", "https://example.com/x[/]",
        "https://youtu.be/[@click=app.quit]", "https://x\x1b]52;c;eA==\x07", "//example.com", "https://"]
HOSTILE += URLS
HOSTILE_BYTES = [b"\xff", b"\xfe\xff", b"\xe9", b"\xc3", b"\xed\xa0\x80", b"\x9b", b"\xf4\x90\x80\x80"]
NAME_PARTS = ["", "", "", OSC52, "\u202eevil", "[bold]", "[@click=app.quit]", "\x1b[31m"]
NAME_BYTES = [b"", b"", b"Caf\xe9 ", b"\xff\xfe "]


def seed_files() -> dict[str, bytes]:
    """The files mutations start from: the shipped samples and one of every other format."""
    seeds = {p.name: p.read_bytes() for p in sorted(SAMPLE.iterdir()) if p.is_file()}
    video = ytdlp.make_video(SEED, n_words=160)
    talk = video.talk
    rng = random.Random(SEED)
    seeds["gen [abcdefghij0].info.json"] = ytdlp.info_json(video).encode()
    seeds["gen [abcdefghij1].en.vtt"] = captions.youtube_vtt(talk).encode()
    seeds["gen [abcdefghij2].en.srt"] = ytdlp.srt(talk).encode()
    seeds["gen [abcdefghij3].en.srv3"] = ytdlp.srv3(talk).encode()
    seeds["gen [abcdefghij4].en.ttml"] = ytdlp.ttml(talk).encode()
    seeds["gen [abcdefghij5].en.json3"] = ytdlp.json3(talk).encode()
    seeds["gen [abcdefghij6].description"] = json.loads(ytdlp.info_json(video))["description"].encode()
    seeds["gen dump.txt"] = captions.dump_file(captions.flattened(talk, rng), duration=talk.duration).encode()
    seeds["gen note.md"] = ytdlp.markdown_note(video, ytdlp.damage(ytdlp.flattened_vtt(talk), rng), rng).encode()
    seeds["gen plain.txt"] = ytdlp.plain_text(talk).encode()
    return seeds


def mutate(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    """One to four mutations of `data`."""
    for _ in range(rng.randint(1, 4)):
        n = len(data)
        at = rng.randint(0, n)
        choice = rng.random()
        if choice < 0.30:
            data = data[:at] + rng.choice(HOSTILE).encode("utf-8", "surrogatepass") + data[at:]
        elif choice < 0.40:
            data = data[:at] + rng.choice(HOSTILE_BYTES) + data[at:]
        elif choice < 0.50 and n:
            data = data[:at] + bytes([rng.choice([0, 0x1B, 0x9B, 0xFF, rng.randint(0, 255)])]) + data[at + 1:]
        elif choice < 0.58:
            data = data[: at + rng.randint(0, 200)]  # truncated (a download cut short)
        elif choice < 0.66:
            data = data[:at] + data[at + rng.randint(1, 400):]
        elif choice < 0.74:  # a slice repeated: long lines, repeated cues, deep nesting
            piece = data[at : at + rng.randint(1, 40)] or b"["
            data = data[:at] + piece * rng.randint(2, 3000) + data[at:]
        elif choice < 0.80:
            other = rng.choice(others)
            o = rng.randint(0, len(other))
            data = data[:at] + other[o : o + rng.randint(1, 600)] + data[at:]
        elif choice < 0.84:  # a field's value replaced: `URL: ...`, `title: ...`, `"webpage_url": "..."`
            lines = data.split(b"\n")
            fields = [i for i, line in enumerate(lines) if b": " in line[:40]]
            links = [i for i in fields if re.search(rb"url|link", lines[i][:40], re.I)]
            if fields:
                i = rng.choice(links if links and rng.random() < 0.5 else fields)
                key = lines[i].split(b": ", 1)[0]
                pool = URLS if b"url" in key.lower() or b"link" in key.lower() else HOSTILE
                value = rng.choice(pool).encode("utf-8", "surrogatepass")
                lines[i] = key + b": " + (b'"' + value + b'",' if key.strip().startswith(b'"') else value)
                data = b"\n".join(lines)
        elif choice < 0.88:
            data = re.sub(rb"\d+", lambda m: b"9" * rng.choice([30, 400]) if rng.random() < 0.05 else m.group(0), data)
        elif choice < 0.94:
            data = data.replace(b"\n", rng.choice([b"\r", b"\r\n", b"\n\n", b"\x0b", "\u2028".encode()]))
        else:
            try:
                data = data.decode("utf-8").encode(rng.choice(["utf-16", "utf-16-le", "latin-1", "cp1252"]), "replace")
            except UnicodeDecodeError:
                data = data[::-1]
    return data


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """CASES mutated files, in one library folder (names as hostile as their content)."""
    lib = tmp_path_factory.mktemp("fuzz") / "lib"
    lib.mkdir()
    rng = random.Random(SEED)
    seeds = seed_files()
    names = sorted(seeds)
    blobs = [seeds[n] for n in names]
    for i in range(CASES):
        name = names[i % len(names)]
        stem, dot, suffix = name.partition(".")
        if rng.random() < 0.1:
            suffix = rng.choice(["srt", "vtt", "md", "txt", "json", "sbv", "info.json", "srv3"])
        hostile = rng.choice(NAME_PARTS).replace("/", "")
        raw_name = rng.choice(NAME_BYTES) + f"{i:03d} {hostile}{stem}{dot}{suffix}".encode("utf-8", "surrogatepass")
        with open(os.fsencode(lib) + b"/" + raw_name, "wb") as f:
            f.write(mutate(seeds[name], rng, blobs))
    # And every hostile link in every seed that has a link field, unmutated otherwise.
    for name in names:
        for n, url in enumerate(URLS):
            data = with_link(seeds[name], url.encode())
            if data is not None:
                (lib / f"link{n} {name}").write_bytes(data)
    return lib


def with_link(data: bytes, url: bytes) -> bytes | None:
    """`data` with its first link field (`URL: ...`, `"webpage_url": "..."`) set to `url`; None without one."""
    pattern = re.compile(rb'("webpage_url":\s*")[^"]*|^((?:URL|\*\*URL:\*\*):?\s*)[^\n]*', re.M)
    if not pattern.search(data):
        return None
    return pattern.sub(lambda m: (m.group(1) or m.group(2)) + url, data, count=1)


def files(lib: Path) -> list[Path]:
    return sorted(lib.iterdir())


def digest(lib: Path) -> dict[bytes, str]:
    """Every file's bytes, by its name's bytes: what no command may change."""
    return {os.fsencode(p.name): hashlib.sha256(p.read_bytes()).hexdigest() for p in lib.iterdir() if p.is_file()}


# What a terminal acts on: C0 controls but tab and newline, DEL, C1 controls, bidi embeddings and overrides.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A reader bug let through as a file's problem: `could not be read as srt: IndexError: ...`.
_PYTHON_ERROR = re.compile(r"\b(?:[A-Z][a-z]+)+(?:Error|Exception)\b|Traceback")


def terminal_safe(data: bytes, what: str) -> str:
    text = data.decode("utf-8")  # raises on invalid UTF-8 (a raw 0x9B among them)
    bad = _UNSAFE.findall(text)
    assert not bad, f"{what}: {bad[:5]}"
    return text


def clean_text(text: str, what: str) -> None:
    assert isinstance(text, str), what
    text.encode("utf-8")  # no lone surrogate
    bad = [c for c in _UNSAFE.findall(text) if c not in "\t\n"]
    assert not bad, f"{what}: {bad[:5]}"


def check_documents(docs, what: str) -> None:
    assert docs, what
    for doc in docs:
        for attr in ("title", "channel", "video_id", "url"):
            value = getattr(doc, attr)
            if value is not None:
                clean_text(value, f"{what} {attr}")
        for seg in doc.segments:
            clean_text(seg.text, f"{what} segment")
            for t in (seg.start, seg.end):
                assert t is None or (isinstance(t, float) and math.isfinite(t)), f"{what}: time {t!r}"
            for stamp in seg.stamps:
                assert math.isfinite(stamp.seconds) and 0 <= stamp.offset <= len(seg.text), f"{what}: stamp {stamp!r}"
        for entry in doc.outline:
            clean_text(entry.title, f"{what} outline")
            assert 0 <= entry.segment <= len(doc.segments), what


def check_reason(exc: ReadError, what: str) -> None:
    message = str(exc)
    clean_text(message, what)
    assert "\n" not in message and len(message) < 400, f"{what}: {message[:400]!r}"
    assert not _PYTHON_ERROR.search(message), f"{what}: a reader bug shown as the file's problem: {message}"


# --- readers ------------------------------------------------------------------------------


def test_the_corpus_is_hostile_enough(corpus):
    names = [os.fsencode(p.name) for p in files(corpus)]
    assert len(names) >= CASES + 2 * len(URLS)
    assert any(b"\x1b]52" in n for n in names) and any(not _decodes(n) for n in names)
    blobs = [p.read_bytes() for p in files(corpus)]
    assert sum(b"\x1b" in b for b in blobs) > CASES // 10 and sum(b"[bold]" in b or b"[/]" in b for b in blobs) > 3


def _decodes(name: bytes) -> bool:
    try:
        name.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_every_file_reads_into_documents_or_a_plain_reason(corpus):
    outcomes = {"read": 0, "refused": 0}
    for path in files(corpus):
        what = repr(path.name)
        try:
            docs = read_path(path)
        except Skipped:
            continue
        except ReadError as exc:
            check_reason(exc, what)
            outcomes["refused"] += 1
            continue
        check_documents(docs, what)
        for line in cat_lines(docs[0]):
            clean_text(line, f"{what} cat line")
        outcomes["read"] += 1
    assert outcomes["read"] > CASES // 3, outcomes  # the mutations leave most files readable


def test_every_reader_on_every_fourth_file_gives_documents_or_a_plain_reason(corpus):
    for path in files(corpus)[::4]:
        try:
            text = decode(path.read_bytes())
        except ReadError:
            continue
        for fmt in READERS:
            what = f"{path.name!r} as {fmt}"
            try:
                docs = read_text_as(text, path, fmt)
            except ReadError as exc:
                check_reason(exc, what)
                continue
            check_documents(docs, what)


def test_cat_prints_no_control_byte(corpus, capfdbinary):
    for path in files(corpus):
        for extra in ([], ["--json"]):
            rc = main(["cat", *extra, str(path)])
            out, err = capfdbinary.readouterr()
            assert rc in (0, 1), (path.name, rc)
            terminal_safe(out, f"cat {extra} stdout of {path.name!r}")
            err_text = terminal_safe(err, f"cat stderr of {path.name!r}")
            assert "Traceback" not in err_text
            if extra and rc == 0:
                json.loads(out)


# --- the library commands, as processes ------------------------------------------------------


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        capture_output=True, timeout=300, env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL,
    )


def test_list_index_and_search_cover_the_library_and_change_no_file(corpus):
    before = digest(corpus)
    out = run("list", str(corpus), "--json")
    assert out.returncode == 0, out.stderr.decode(errors="replace")
    data = json.loads(terminal_safe(out.stdout, "list --json"))
    shown = {d["path"] for t in data["talks"] for d in t["documents"]} | {p["path"] for p in data["problems"]}
    assert len(data["talks"]) >= 10  # copies of one seed keep its video id or title: one talk
    # Every file is a talk's document, a problem, or a leftover the scan skips on purpose.
    assert len(shown) >= len(files(corpus)) * 0.9, (len(shown), len(files(corpus)))
    out = run("list", str(corpus))
    assert out.returncode == 0
    terminal_safe(out.stdout, "list")
    for env in ({}, {"PYTHONIOENCODING": "utf-8:surrogateescape", "LC_ALL": "C"}):
        out = run("index", str(corpus), env=env)
        assert out.returncode == 0, out.stderr.decode(errors="replace")
        assert b"Traceback" not in out.stderr
        terminal_safe(out.stderr, "index")
    for query, as_json in (("the", False), ("[bold] click", False), ("caf\u00e9 \u202e", False), ("words", True), ("[/]", True)):
        out = run("search", query, str(corpus), "--limit", "500", *(["--json"] if as_json else []))
        assert out.returncode in (0, 1), (query, out.stderr.decode(errors="replace"))
        text = terminal_safe(out.stdout, f"search {query!r}")
        terminal_safe(out.stderr, f"search {query!r} stderr")
        if as_json and out.returncode == 0:
            json.loads(text)
    assert digest(corpus) == before, "a command changed a file of the library"


def test_cat_as_a_process_under_a_c_locale_writes_no_raw_byte(corpus):
    for path in files(corpus)[:: max(1, CASES // 6)]:
        out = run("cat", str(path), env={"PYTHONIOENCODING": "utf-8:surrogateescape", "LC_ALL": "C"})
        assert out.returncode in (0, 1), out.stderr.decode(errors="replace")
        terminal_safe(out.stdout, f"cat {path.name!r}")
        terminal_safe(out.stderr, f"cat {path.name!r} stderr")


# --- export and import ------------------------------------------------------------------------


def _hostile_note(rng: random.Random) -> str:
    pieces = HOSTILE + ["# heading", "- # in a list", "> # in a quote", "``` a`b", "~~~", "[r]: javascript:x", "[x][r]",
                        "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>", "Title\n--", "text", "\n", "\n\n"]
    return "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))


def _fill_store(rng: random.Random) -> list[tuple[str, str]]:
    """Committed bookmarks and notes with hostile text, from the sample talks; their (uid, note)."""
    from tui.library import scan

    talks = scan(SAMPLE).talks
    with Store.open() as store:
        for n in range(40):
            talk = talks[n % len(talks)]
            segs = talk.documents[0].segments
            seg = segs[n % len(segs)] if segs else None
            if n % 5 == 0:
                store.toggle_bookmark(talk, seg) if seg else store.add_note(talk, None, _hostile_note(rng))
            else:
                store.add_note(talk, [seg] if seg and n % 3 else None, _hostile_note(rng), quote=_hostile_note(rng))
        return [(i.uid, i.note) for i in store.all_items()]


def _store_items() -> dict[str, str]:
    with Store.open() as store:
        return {i.uid: i.note for i in store.all_items()}


def test_damaged_exports_import_cleanly_and_no_committed_note_is_lost(tmp_path, capfdbinary):
    rng = random.Random(SEED + 1)
    committed = dict(_fill_store(rng))
    backup = tmp_path / "backup.json"
    assert run_export("json", backup) == 0
    good = backup.read_bytes()
    for n in range(60):
        damaged = tmp_path / f"damaged{n}.json"
        damaged.write_bytes(mutate(good, rng, [good]))
        before = _store_items()
        rc = run_import(damaged)
        _, err = capfdbinary.readouterr()
        err_text = terminal_safe(err, f"import of damaged{n}")
        assert rc in (0, 1) and "Traceback" not in err_text, err_text
        after = _store_items()
        if rc == 1 and "skipped unreadable item" not in err_text:
            assert after == before, "a refused import changed the store"
        # A partly damaged backup gives back what it still holds (each skipped item named): it only adds.
        assert set(committed) <= set(after), "a committed note is gone"
        assert set(before) <= set(after)
    assert backup.read_bytes() == good
    # What is there now exports whole, re-imports whole into another store, and twice adds nothing.
    full = tmp_path / "full.json"
    assert run_export("json", full) == 0
    count = len(_store_items())
    with Store.open(tmp_path / "other.sqlite3") as other:
        from tui.export import import_json

        data = json.loads(full.read_text())
        assert import_json(other, data).added == count
        assert import_json(other, data).added == 0 and other.count() == count


def test_the_markdown_export_of_hostile_notes_keeps_its_shape(tmp_path):
    from markdown_it import MarkdownIt

    from tui.links import web_link

    rng = random.Random(SEED + 2)
    _fill_store(rng)
    md_path = tmp_path / "notes.md"
    assert run_export("md", md_path) == 0
    md = md_path.read_text()
    terminal_safe(md.encode(), "the Markdown export")
    parser = MarkdownIt("commonmark")
    parser.validateLink = lambda url: True
    tokens = parser.parse(md)
    with Store.open() as store:
        items = store.all_items()
    talks = len({i.talk_key for i in items})
    moments = sum(1 for i in items if i.moment is not None)
    tags = [t.tag for t in tokens if t.type == "heading_open"]
    assert tags.count("h1") == 1 and tags.count("h2") == talks and tags.count("h3") == moments, tags
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
    assert not {"html_block", "html_inline"} & kinds
    targets = [c.attrs.get("href") or c.attrs.get("src") for t in tokens for c in (t.children or []) if c.type in ("link_open", "image")]
    assert all(web_link(str(t)) for t in targets), [t for t in targets if not web_link(str(t))][:5]


# --- the app ------------------------------------------------------------------------------------


def _talks_to_open(library, most: int = 8) -> list:
    """Talks that between them hold every format of the library, markup-like titles first
    (opening a talk screen costs about a second on a loaded machine: not all of them)."""
    chosen, formats = [], set()
    for talk in sorted(library.talks, key=lambda t: ("[" not in t.title and "\ufffd" not in t.title, -len(t.documents))):
        new = {d.format for d in talk.documents} - formats
        if new or not chosen:
            chosen.append(talk)
            formats |= new
    return chosen[:most]


async def test_the_app_opens_fuzzed_talks_of_every_format(corpus, monkeypatch):
    from textual.worker import WorkerState

    from tui.app import TalkshelfApp
    from tui.config import Config
    from tui.library import scan
    from widgets.talk_screen import TalkScreen

    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url: opened.append(url) or True)
    library = scan(corpus)
    app = TalkshelfApp(library, config=Config())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        talks = _talks_to_open(library)
        for talk in talks:
            app.open_talk(talk)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, TalkScreen) and screen.talk is talk, talk.title
            await pilot.press("end", "tab", "o", "b")  # jump, the other pane, the link, a bookmark
            assert app.is_running, talk.title
            app.pop_screen()
        app.action_show_notes()  # the marks view: one bookmark per talk, each title as written
        await pilot.pause()
        assert app.is_running and len(app.screen.items) == len(talks)
        app.pop_screen()
        app.action_show_problems()  # every refused file's path and reason, as `list` has them
        await pilot.pause()
        assert app.is_running and len(app.screen.problems) == len(library.problems) > 0
        await app.workers.wait_for_complete()
        failed = [w for w in app.workers if w.state is WorkerState.ERROR]
        assert not failed and app.is_running, failed
    from tui.links import web_link

    assert all(web_link(url) for url in opened)
