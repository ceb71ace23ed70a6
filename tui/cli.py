"""The `talkshelf` command: the app, and subcommands for people and scripts.

Exit codes, the same for every command and for the app: 0 when the job was
done (a listed problem file is no failure), 1 when a file or the index cannot
be read and when `search` finds nothing (as grep does), 2 for bad usage,
a path that does not exist included.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .model import Document, ReadError, Role, Talk, format_time
from .textio import json_text, visible

COMMANDS = ("cat", "list", "index", "search", "export", "import")

DESCRIPTION = """\
A terminal reader for recorded talks: transcripts and summaries, synced,
searchable, with bookmarks, notes and timestamped quotes.

  talkshelf [PATH] [--talk ID] [--at HH:MM:SS]   open the reader
  talkshelf cat PATH [--json]                    one file's clean text
  talkshelf list [PATH] [--json]                 the talks of a folder
  talkshelf index [PATH]                         build or refresh the search index
  talkshelf search QUERY [PATH] [--json] [--limit N]
  talkshelf export [--format md|json] [--output FILE] [--force]
  talkshelf import FILE

With no PATH: $TALKSHELF_LIBRARY, else `library` in config.toml, else the
sample library that ships with talkshelf. `talkshelf COMMAND --help` for more.

Exit status: 0 done; 1 a file or the index could not be read, or `search`
found nothing (as grep); 2 bad usage, including a PATH that does not exist.
"""


def say(line: str = "", err: bool = False) -> None:
    """Print a line made safe for a terminal: file names and reasons are untrusted text.

    Control characters are written out (`\\x1b`), bidi overrides too, lone
    surrogates become U+FFFD: nothing a file holds can act on the terminal.
    """
    print(visible(line, lines=True), file=sys.stderr if err else sys.stdout)


def parse_time(text: str) -> float:
    """`HH:MM:SS`, `MM:SS`, plain seconds or `1h5m` (the go-to-time prompt's absolute forms)."""
    from .time_input import TimeInputError, parse_time_input

    try:
        target = parse_time_input(text)
    except TimeInputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if target.relative or target.percent:
        raise argparse.ArgumentTypeError(f"{text!r}: --at takes a moment such as 1:23:45, 83:20 or 90s")
    return target.value


def missing_path(path: Path) -> int:
    """Say that `path` does not exist; the exit status for it (2, bad usage)."""
    say(f"talkshelf: {path}: no such file or folder", err=True)
    return 2


class Parser(argparse.ArgumentParser):
    """argparse with its messages made safe: an error repeats the arguments it was given."""

    def _print_message(self, message: str, file=None) -> None:
        if message:
            (file or sys.stderr).write(visible(message, lines=True))


def app_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="talkshelf", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("path", nargs="?", help="a library folder or a single file")
    p.add_argument("--talk", metavar="ID", help="open this talk (its id from `talkshelf list`, or its video id)")
    p.add_argument("--at", metavar="HH:MM:SS", type=parse_time, help="open the talk at this moment")
    return p


def command_parser() -> argparse.ArgumentParser:
    p = Parser(prog="talkshelf", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("cat", help="print one file's clean transcript or summary")
    c.add_argument("path", help="a transcript or summary file")
    c.add_argument("--json", action="store_true", help="one JSON object instead of text lines")

    ls = sub.add_parser("list", help="list the talks of a folder, and the files that could not be read")
    ls.add_argument("path", nargs="?", help="a library folder (default: the configured library); exit 2 if missing")
    ls.add_argument("--json", action="store_true", help="JSON instead of text")

    ix = sub.add_parser("index", help="build or refresh the search index of a library")
    ix.add_argument("path", nargs="?", help="a library folder (default: the configured library)")

    se = sub.add_parser(
        "search",
        help="search every talk of a library (exit 1 when nothing matches, as grep)",
        description="Search every talk of a library. Exit status: 0 with hits, 1 with none (as grep), 2 for bad usage.",
    )
    se.add_argument("query", help='words to find; "quoted words" match as a phrase')
    se.add_argument("path", nargs="?", help="a library folder (default: the configured library)")
    se.add_argument("--json", action="store_true", help="JSON instead of text")
    se.add_argument("--limit", type=int, default=20, help="at most this many hits (default 20)")

    ex = sub.add_parser("export", help="export bookmarks and notes")
    ex.add_argument("--format", choices=("md", "json"), default="md", help="Markdown (default) or JSON")
    ex.add_argument("--output", metavar="FILE", help="write here instead of standard output")
    ex.add_argument(
        "--force", action="store_true", help="replace FILE even when it holds more items or is not an export"
    )

    im = sub.add_parser("import", help="import bookmarks and notes from a JSON export")
    im.add_argument("file", help="a file written by `talkshelf export --format json`")
    return p


# --- cat -------------------------------------------------------------------


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(float(value), 3)


def cat_json(docs: list[Document]) -> dict:
    main = docs[0]
    return {
        "title": next((d.title for d in docs if d.title), None),
        "channel": next((d.channel for d in docs if d.channel), None),
        "video_id": next((d.video_id for d in docs if d.video_id), None),
        "url": next((d.url for d in docs if d.url), None),
        "duration": _seconds(next((d.duration for d in docs if d.duration), None)),
        "segments": [
            {
                "start": _seconds(s.start),
                "end": _seconds(s.end),
                "text": s.text,
                "estimated": s.estimated,
                # Every stamp written inside the text, where it stood (a summary's; a transcript has none).
                "stamps": [{"start": _seconds(st.seconds), "offset": st.offset} for st in s.stamps],
            }
            for s in main.segments
        ],
        "outline": [
            {"title": e.title, "level": e.level, "start": _seconds(e.start)} for d in docs for e in d.outline
        ],
    }


def with_inline_stamps(text: str, stamps) -> str:
    """Put a summary's later timestamps back where they stood, as `[HH:MM:SS]`."""
    # One pass from the start, in pieces: rebuilding the text per stamp was
    # quadratic (a paragraph of 131,072 stamps took seconds).
    out: list[str] = []
    pos, size = 0, len(text)
    for stamp in sorted(stamps, key=lambda s: s.offset):
        at = max(pos, min(stamp.offset, size))
        out.append(text[pos:at])
        while out and not out[-1].strip():  # the stamp closes up to the word before it
            out.pop()
        if out:
            out[-1] = out[-1].rstrip()
        out.append(f" [{format_time(stamp.seconds)}]")
        out.append("" if at >= size or text[at] in " .,;:" else " ")
        pos = at
    out.append(text[pos:])
    return "".join(out)


def cat_lines(doc: Document) -> list[str]:
    """`[HH:MM:SS] paragraph` lines; a summary's headings and bullets keep their shape."""
    headings = {e.segment: e for e in doc.outline}
    lines: list[str] = []
    for i, seg in enumerate(doc.segments):
        entry = headings.get(i)
        if entry is not None and doc.role is Role.SUMMARY:
            if lines:
                lines.append("")
            lines.append(f"{'#' * max(1, entry.level)} {entry.title}")
        if seg.start is None:
            stamp = " " * 10
        else:
            stamp = f"[{format_time(seg.start)}]"
            stamp = ("≈" + stamp) if seg.estimated else stamp
        text = with_inline_stamps(seg.text, seg.stamps[1:])
        if seg.kind == "bullet":
            text = "  " * seg.level + "• " + text
        if seg.kind == "code":
            lines.extend(text.splitlines())
            continue
        lines.append(f"{stamp} {text}")
    return lines


def run_cat(args: argparse.Namespace) -> int:
    from .readers import read_path

    if not Path(args.path).expanduser().exists():
        return missing_path(Path(args.path))
    try:
        docs = read_path(Path(args.path))
    except ReadError as exc:
        say(f"talkshelf: {exc}", err=True)
        return 1
    if args.json:
        print(json_text(cat_json(docs)))
    else:
        say("\n".join(cat_lines(docs[0])))
    return 0


# --- list ------------------------------------------------------------------


def talk_json(talk: Talk) -> dict:
    return {
        "id": talk.id,
        "title": talk.title,
        "channel": talk.channel,
        "video_id": talk.video_id,
        "url": talk.url,
        "duration": _seconds(talk.duration),
        "documents": [{"path": d.path, "kind": d.role.value, "format": d.format} for d in talk.documents],
        "outline": [
            {"title": e.title, "level": e.level, "start": _seconds(e.start), "source": d.path}
            for d in talk.summaries
            for e in d.outline
        ],
    }


def run_list(args: argparse.Namespace) -> int:
    from .library import resolve_library, scan

    root = resolve_library(args.path)
    if not root.exists():
        return missing_path(root)
    library = scan(root)
    if args.json:
        data = {
            "talks": [talk_json(t) for t in library.talks],
            "problems": [{"path": p.path, "reason": p.reason} for p in library.problems],
        }
        print(json_text(data))
        return 0
    for talk in library.talks:
        kinds = ", ".join(f"{d.role.value} ({d.format})" for d in talk.documents)
        length = format_time(talk.duration) if talk.duration else "length unknown"
        say(f"{visible(talk.title)}  [{visible(talk.id)}]")
        say(f"    {visible(talk.channel or 'unknown channel')} · {length} · {kinds}")
    if library.problems:
        say(f"\n{len(library.problems)} file(s) could not be read:")
        for p in library.problems:
            say(f"  {visible(p.path)}: {visible(p.reason)}")
    say(f"\n{len(library.talks)} talk(s) in {visible(str(library.root))}")
    return 0


# --- the rest --------------------------------------------------------------


def run_index(args: argparse.Namespace) -> int:
    from rich.console import Console

    from .index_cli import run_index as index
    from .library import resolve_library

    return index(resolve_library(args.path), Console(stderr=True))


def run_search(args: argparse.Namespace) -> int:
    from rich.console import Console

    from .index_cli import run_search as search
    from .library import resolve_library

    if args.limit < 1:
        say("talkshelf: --limit must be at least 1", err=True)
        return 2
    return search(args.query, resolve_library(args.path), args.json, args.limit, Console())


def run_export(args: argparse.Namespace) -> int:
    from .store_cli import run_export as export

    return export(args.format, Path(args.output) if args.output else None, args.force)


def run_import(args: argparse.Namespace) -> int:
    from .store_cli import run_import as import_

    return import_(Path(args.file))


RUNNERS = {
    "cat": run_cat,
    "list": run_list,
    "index": run_index,
    "search": run_search,
    "export": run_export,
    "import": run_import,
}


def has_terminal() -> bool:
    """Whether standard input and output are both a terminal (the app reads keys and draws there)."""
    try:
        return bool(sys.stdin and sys.stdout and sys.stdin.isatty() and sys.stdout.isatty())
    except (ValueError, OSError):  # a closed stream
        return False


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    for stream in (sys.stdout, sys.stderr):
        # A last guard: what cannot be encoded is replaced, never raised or written raw.
        if hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):
                pass
    try:
        if argv and argv[0] in COMMANDS:
            args = command_parser().parse_args(argv)
            return RUNNERS[args.command](args)
        args = app_parser().parse_args(argv)
        from .library import resolve_library

        root = resolve_library(args.path)
        if not root.exists():
            # Before the app starts: an empty list saying "No talks" would hide the typo.
            return missing_path(root)
        if not has_terminal():
            # Textual without a terminal spins a core forever on a closed input.
            say(
                "talkshelf: the reader needs a terminal (its input and output must be one); "
                "in scripts use talkshelf cat, list, search or export",
                err=True,
            )
            return 2
        from .app import run_app

        return run_app(root, args.talk, args.at)
    except BrokenPipeError:  # `talkshelf cat x | head` is fine
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
