"""The persistent index: incremental refresh, rebuild when damaged, ranked search."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path

import pytest

import tui.library
import tui.readers
from tui.index import FILE_NAME, SCHEMA_VERSION, Index, match_spans, plan_query
from tui.model import Role


def write_transcript(path: Path, lines: list[str], step: float = 5.0) -> Path:
    """A transcript JSON file `[{"text","start","duration"}]`, one item per line of text."""
    items = [{"text": text, "start": i * step, "duration": step} for i, text in enumerate(lines)]
    path.write_text(json.dumps(items), encoding="utf-8")
    return path


def write_srt(path: Path, lines: list[str]) -> Path:
    cues = []
    for i, text in enumerate(lines):
        a, b = i * 4, i * 4 + 4
        cues.append(f"{i + 1}\n00:00:{a:02d},000 --> 00:00:{b:02d},000\n{text}\n")
    path.write_text("\n".join(cues), encoding="utf-8")
    return path


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    root.mkdir()
    write_transcript(root / "AAAAAAAAAAA.json", ["we talk about gradient descent today.", "then about the learning rate."])
    write_transcript(root / "BBBBBBBBBBB.json", ["a talk on compilers and parsers.", "descent into madness."])
    write_srt(root / "Cooking pasta [CCCCCCCCCCC].en.srt", ["boil the water first.", "add salt to the water."])
    return root


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """Every path the index reads (in-process refreshes call tui.readers.read_path)."""
    seen: list[str] = []
    real = tui.readers.read_path

    def counting(path):
        seen.append(Path(path).name)
        return real(path)

    monkeypatch.setattr(tui.readers, "read_path", counting)
    return seen


def talk_ids(index: Index) -> set[str]:
    return {t.id for t in index.talks()}


def test_first_refresh_reads_everything_and_builds_talks(library: Path, reads: list[str]):
    index = Index.open()
    stats = index.refresh(library)
    assert (stats.read, stats.unchanged, stats.removed, stats.talks, stats.problems) == (3, 0, 0, 3, 0)
    assert sorted(reads) == sorted(p.name for p in library.iterdir())
    talks = {t.id: t for t in index.talks()}
    assert set(talks) == {"AAAAAAAAAAA", "BBBBBBBBBBB", "CCCCCCCCCCC"}
    pasta = talks["CCCCCCCCCCC"]
    assert pasta.title == "Cooking pasta"
    doc = pasta.documents[0]
    assert doc.role is Role.TRANSCRIPT
    # Segments come from the index, identical to what the reader made.
    assert [s.text for s in doc.segments] == [s.text for s in tui.readers.read_text_as(
        (library / "Cooking pasta [CCCCCCCCCCC].en.srt").read_text(), library / "Cooking pasta [CCCCCCCCCCC].en.srt"
    )[0].segments]


def test_unchanged_files_are_not_read_again(library: Path, reads: list[str]):
    index = Index.open()
    index.refresh(library)
    reads.clear()
    stats = index.refresh(library)
    assert reads == []
    assert (stats.read, stats.unchanged, stats.removed, stats.talks) == (0, 3, 0, 3)
    # A new Index on the same file (the next start) needs no reading either.
    index.close()
    again = Index.open()
    assert talk_ids(again) == {"AAAAAAAAAAA", "BBBBBBBBBBB", "CCCCCCCCCCC"}
    assert again.refresh(library).read == 0 and reads == []


def test_add_change_delete_rename(library: Path, reads: list[str]):
    index = Index.open()
    index.refresh(library)

    # add
    reads.clear()
    write_transcript(library / "DDDDDDDDDDD.json", ["quantum entanglement explained."])
    stats = index.refresh(library)
    assert reads == ["DDDDDDDDDDD.json"] and stats.read == 1 and stats.unchanged == 3
    assert "DDDDDDDDDDD" in talk_ids(index)
    assert [h.talk_id for h in index.search("entanglement ")] == ["DDDDDDDDDDD"]

    # change: new words are found, old ones are gone
    reads.clear()
    path = library / "AAAAAAAAAAA.json"
    write_transcript(path, ["now about stochastic optimisers and a much longer text."])
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    stats = index.refresh(library)
    assert reads == ["AAAAAAAAAAA.json"] and stats.read == 1
    assert index.search("gradient ") == []
    assert [h.talk_id for h in index.search("stochastic ")] == ["AAAAAAAAAAA"]

    # delete
    reads.clear()
    (library / "BBBBBBBBBBB.json").unlink()
    stats = index.refresh(library)
    assert reads == [] and stats.removed == 1
    assert "BBBBBBBBBBB" not in talk_ids(index)
    assert index.search("compilers ") == []

    # rename: the old path leaves, the new one is read
    reads.clear()
    (library / "DDDDDDDDDDD.json").rename(library / "EEEEEEEEEEE.json")
    stats = index.refresh(library)
    assert reads == ["EEEEEEEEEEE.json"] and stats.removed == 1 and stats.read == 1
    assert talk_ids(index) == {"AAAAAAAAAAA", "CCCCCCCCCCC", "EEEEEEEEEEE"}
    hits = index.search("entanglement ")
    assert [h.talk_id for h in hits] == ["EEEEEEEEEEE"]
    assert hits[0].path.endswith("EEEEEEEEEEE.json")


def test_problems_are_kept_and_cleared(library: Path):
    index = Index.open()
    bad = library / "broken.json"
    bad.write_text("{not json", encoding="utf-8")
    stats = index.refresh(library)
    assert stats.problems == 1
    assert [p.path for p in index.problems()] == [str(bad)]
    bad.unlink()
    assert index.refresh(library).problems == 0 and index.problems() == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"this is not a database at all" * 100),
        lambda p: p.write_bytes(os.urandom(8192)),
        lambda p: p.write_bytes(b""),
    ],
    ids=["garbage text", "random bytes", "empty file"],
)
def test_a_damaged_index_is_rebuilt(library: Path, damage, reads: list[str]):
    index = Index.open()
    index.refresh(library)
    index.close()
    path = Path(os.environ["TALKSHELF_CACHE_DIR"]) / FILE_NAME
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    damage(path)
    reads.clear()
    index = Index.open()
    assert index.talks() == []  # nothing from the damaged file is trusted
    stats = index.refresh(library)
    assert stats.read == 3 and len(reads) == 3
    assert talk_ids(index) == {"AAAAAAAAAAA", "BBBBBBBBBBB", "CCCCCCCCCCC"}


def test_an_index_of_another_version_is_rebuilt(library: Path, reads: list[str]):
    index = Index.open()
    index.refresh(library)
    index.close()
    path = Path(os.environ["TALKSHELF_CACHE_DIR"]) / FILE_NAME
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    reads.clear()
    index = Index.open()
    assert index.talks() == []
    assert index.refresh(library).read == 3


def test_another_library_replaces_the_first(library: Path, tmp_path: Path):
    other = tmp_path / "other"
    other.mkdir()
    write_transcript(other / "ZZZZZZZZZZZ.json", ["something else entirely."])
    index = Index.open()
    index.refresh(library)
    stats = index.refresh(other)
    assert stats.talks == 1 and talk_ids(index) == {"ZZZZZZZZZZZ"}


def test_a_large_batch_is_read_by_worker_processes(tmp_path: Path):
    root = tmp_path / "many"
    root.mkdir()
    for i in range(60):
        write_transcript(root / f"talk{i:03d}.json", [f"talk number {i} says word{i} aloud.", "and then stops."])
    index = Index.open()
    stats = index.refresh(root)
    assert stats.read == 60 and stats.talks == 60
    assert len(index.search("word37")) == 1
    assert index.refresh(root).read == 0


# --- search -------------------------------------------------------------------


@pytest.fixture
def ranked(tmp_path: Path) -> Index:
    root = tmp_path / "ranked"
    root.mkdir()
    # Scattered: both words, far apart, in a short segment (bm25 alone would favour it).
    write_transcript(root / "SCATTEREDxx.json", ["machine parts rust while we are learning."])
    write_transcript(
        root / "PHRASExxxxx.json",
        ["this long paragraph goes on about many other things before it finally mentions machine learning "
         "and then continues for a good while with unrelated words filling up the space here."],
    )
    write_transcript(root / "NEITHERxxxx.json", ["nothing relevant here at all."])
    index = Index.open()
    index.refresh(root)
    return index


def test_a_phrase_ranks_above_scattered_words(ranked: Index):
    hits = ranked.search("machine learning ")
    assert [h.talk_id for h in hits] == ["PHRASExxxxx", "SCATTEREDxx"]
    assert hits[0].phrase and not hits[1].phrase
    assert all(h.score > 0 for h in hits)
    # Quoted, only the phrase matches.
    assert [h.talk_id for h in ranked.search('"machine learning"')] == ["PHRASExxxxx"]


def test_the_last_word_is_a_prefix_while_typing(ranked: Index):
    assert {h.talk_id for h in ranked.search("learn")} == {"PHRASExxxxx", "SCATTEREDxx"}
    assert [h.talk_id for h in ranked.search("machine lea")][0] == "PHRASExxxxx"
    # Once a space follows, the word is whole: "learn" is not "learning".
    assert ranked.search("learn ") == []
    # Inside an unclosed quote, the phrase's last word is a prefix too.
    assert [h.talk_id for h in ranked.search('"machine lear')] == ["PHRASExxxxx"]


def test_hits_carry_time_snippet_and_spans(ranked: Index):
    (hit,) = ranked.search('"machine learning"')
    assert hit.title and hit.path.endswith("PHRASExxxxx.json")
    # The moment of its first word: inside the one 5-second cue, placed by characters (estimated).
    (doc,) = next(t for t in ranked.talks() if t.id == hit.talk_id).documents
    full = doc.segments[hit.segment].text
    assert hit.start == pytest.approx(5.0 * full.index("machine") / len(full)) and hit.estimated
    marked = [hit.text[a:b].lower() for a, b in hit.spans]
    assert marked == ["machine learning"]
    # The window is a slice of the segment's text at `offset`.
    (doc,) = next(t for t in ranked.talks() if t.id == hit.talk_id).documents
    assert doc.segments[hit.segment].text[hit.offset : hit.offset + len(hit.text)] == hit.text


@pytest.mark.parametrize(
    "query",
    ['"', '""', "AND(", "OR", "NOT", "NEAR(a b", "a*", "*", "(", ")", "-x", "^", "col:x", "'", "\x00", "",
     "(machine", "-machine", "machine*", "machine^", "NOT machine", "machine OR"],
)
def test_fts_syntax_in_queries_is_taken_as_words(ranked: Index, query: str):
    # No query raises, and none is read as FTS syntax: it finds what its words alone find.
    words = " ".join(re.findall(r"\w+", query))

    def found(q: str) -> list[tuple]:
        return [(h.talk_id, h.segment, h.offset, h.text, h.spans) for h in ranked.search(q)]

    assert found(query) == found(words)


def test_fts_operators_are_words_that_find_themselves(ranked: Index):
    # (So the comparison above is not between two empty lists.)
    assert [h.talk_id for h in ranked.search("AND(")] == ["PHRASExxxxx"]  # "and then"
    assert [h.talk_id for h in ranked.search("NOT")] == ["NEITHERxxxx"]  # "nothing", a prefix
    assert {h.talk_id for h in ranked.search("-machine")} == {"PHRASExxxxx", "SCATTEREDxx"}  # not a NOT


def test_rarer_words_rank_first_and_scores_fall(tmp_path: Path):
    root = tmp_path / "rank"
    root.mkdir()
    write_transcript(root / "ONCExxxxxxx.json", ["a long paragraph that says zebra only once among many other words here."])
    write_transcript(root / "THRICExxxxx.json", ["zebra zebra zebra."])
    write_transcript(root / "NONExxxxxxx.json", ["no stripes at all."])
    index = Index.open()
    index.refresh(root)
    hits = index.search("zebra ")
    assert [h.talk_id for h in hits] == ["THRICExxxxx", "ONCExxxxxxx"]
    assert hits[0].score > hits[1].score > 0


def test_common_words_are_ranked_by_density(tmp_path: Path, monkeypatch):
    import tui.index

    monkeypatch.setattr(tui.index, "COMMON", 2)  # "the" counts as common from two segments on
    root = tmp_path / "common"
    root.mkdir()
    write_transcript(root / "SPARSExxxxx.json", ["the cat sat on a mat while many other things happened around it all day long."])
    write_transcript(root / "DENSExxxxxx.json", ["the the the end."])
    write_transcript(root / "MIDxxxxxxxx.json", ["the dog and the bird."])
    index = Index.open()
    index.refresh(root)
    hits = index.search("the ")
    assert [h.talk_id for h in hits] == ["DENSExxxxxx", "MIDxxxxxxxx", "SPARSExxxxx"]
    assert hits[0].score > hits[1].score > hits[2].score > 0


def test_diacritics_are_ignored(tmp_path: Path):
    root = tmp_path / "cafe"
    root.mkdir()
    write_transcript(root / "CAFExxxxxxx.json", ["we met at the Café Müller."])
    index = Index.open()
    index.refresh(root)
    assert [h.talk_id for h in index.search("cafe muller ")] == ["CAFExxxxxxx"]


def test_did_you_mean_offers_library_words(tmp_path: Path):
    root = tmp_path / "names"
    root.mkdir()
    write_transcript(root / "NAMESxxxxxx.json", ["andrej karpathy explains transformers to the audience."])
    index = Index.open()
    index.refresh(root)
    assert index.search("karpaty ") == []
    assert "karpathy" in index.suggest("karpaty")
    assert "karpathy" in index.corrections("karpaty ")[0]
    assert index.suggest("zzzzzzzz") == []


def test_a_snippet_is_a_slice_of_its_segment(tmp_path: Path):
    root = tmp_path / "markup"
    root.mkdir()
    write_transcript(root / "MARKUPxxxxx.json", ["the alarm \x01hidden\x02 text says <b>x</b> [b]y[/b] ok"])
    index = Index.open()
    index.refresh(root)
    (hit,) = index.search("alarm")
    (doc,) = index.talks()[0].documents
    assert doc.segments[hit.segment].text[hit.offset : hit.offset + len(hit.text)] == hit.text
    assert [hit.text[a:b] for a, b in hit.spans] == ["alarm"]


def test_plan_query_quotes_every_word():
    plan = plan_query('say "hello there" AND(')
    assert plan.expressions() == ['"hello there" AND "say AND"*', '"hello there" AND "say" AND "AND"*']
    assert plan_query("a b").expressions() == ['"a b"', '"a" AND "b"']  # one letter is never a prefix


def test_match_spans_follow_the_tokenizer():
    (tier,) = plan_query("cafe mull").tiers[1:]
    text = "Le Café Müller, café-mullets; cafeteria"
    assert [text[a:b] for a, b in match_spans(text, tier)] == ["Café", "Müller", "café", "mullets"]
    (phrase_tier, _) = plan_query("cafe mull").tiers
    assert [text[a:b] for a, b in match_spans(text, phrase_tier)] == ["Café Müller", "café-mullets"]


def test_cached_documents_load_segments_and_outline_when_used(tmp_path: Path):
    root = tmp_path / "pages"
    root.mkdir()
    page = root / "A talk [PAGExxxxxxx].md"
    page.write_text(
        "---\ntitle: A talk\nvideoId: PAGExxxxxxx\n---\n\nFrom: [[chan]] <br/>\n\n"
        "## Opening\n\nWe open here [00:01:05].\n\n## Closing\n\nWe close here [00:10:00].\n",
        encoding="utf-8",
    )
    write_transcript(root / "PAGExxxxxxx.json", [f"line {i} of the talk." for i in range(200)], step=4.0)
    index = Index.open()
    index.refresh(root)
    (talk,) = index.talks()
    fresh = {d.path: d for d in tui.library.group(d for p in root.iterdir() for d in tui.readers.read_path(p))[0].documents}
    for doc in talk.documents:
        assert not doc.loaded
        assert doc.last_time == fresh[doc.path].last_time  # known without loading
        assert not doc.loaded
        assert [(o.title, o.level, o.start) for o in doc.outline] == [(o.title, o.level, o.start) for o in fresh[doc.path].outline]
        assert doc.segments == fresh[doc.path].segments
        assert doc.loaded
    assert talk.summaries[0].outline[0].title == "Opening"


def _summary(talks) -> list:
    return [(t.id, t.title, t.channel, t.video_id, t.url, t.duration, [(d.path, d.role, d.format, d.title, d.last_time) for d in t.documents]) for t in talks]


def test_the_talk_list_snapshot_matches_the_tables_and_a_damaged_one_is_ignored(library: Path):
    index = Index.open()
    index.refresh(library)
    from_snapshot = _summary(index.talks())
    path = Path(os.environ["TALKSHELF_CACHE_DIR"]) / FILE_NAME
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE snapshot SET data = '[[1, 2'")
    assert _summary(index.talks()) == from_snapshot
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM snapshot")
    assert _summary(index.talks()) == from_snapshot
    assert len(from_snapshot) == 3


def test_grouping_rereads_a_pages_stamps_for_its_talks_length_and_the_index_keeps_it(tmp_path: Path):
    # "01:05:00" fits a five-hour default as 1 h 5 min; beside a 13-minute talk it
    # can only be 1 min 5 s. The index must store what grouping decided.
    root = tmp_path / "pages"
    root.mkdir()
    (root / "Short [SHORTxxxxxx].md").write_text(
        "---\ntitle: Short\nvideoId: SHORTxxxxxx\n---\n\nFrom: [[chan]] <br/>\n\n"
        "## Start\n\nHello [00:00:30].\n\n## Later\n\nLater on [01:05:00].\n",
        encoding="utf-8",
    )
    write_transcript(root / "SHORTxxxxxx.json", [f"line {i} of the talk." for i in range(200)], step=4.0)
    fresh = tui.library.group(d for p in sorted(root.iterdir()) for d in tui.readers.read_path(p))[0]
    expected = [s.start for s in fresh.summaries[0].segments]
    assert 65.0 in expected and 3900.0 not in expected
    Index.open().refresh(root)
    (talk,) = Index.open().talks()  # a fresh process's view: from the file alone
    assert [s.start for s in talk.summaries[0].segments] == expected
    assert [o.start for o in talk.summaries[0].outline] == [o.start for o in fresh.summaries[0].outline]


def test_while_a_refresh_stores_files_search_and_the_list_see_them_and_say_how_much(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(tui.index, "FIRST_COMMIT_SECONDS", 0.0)
    monkeypatch.setattr(tui.index, "COMMIT_SECONDS", 0.0)  # a commit after every file read
    root = tmp_path / "many"
    root.mkdir()
    for n in range(4):
        write_transcript(root / f"TALK{n}xxxxxx.json", [f"talk {n} says wombat{n} and more."])
    # An id-less transcript (a bare line of text is no talk document since the folders work).
    (root / "notes.srt").write_text("1\n00:00:01,000 --> 00:00:04,000\na transcript without any id about wombat9.\n", encoding="utf-8")
    index = Index.open()
    seen = []

    def stored(done: int, total: int) -> None:
        talks = index.talks_so_far()
        hits = index.search("wombat")
        assert len(talks) == done and index.coverage == (done, total)
        assert {h.talk_id for h in hits} <= {t.id for t in talks} and len({h.talk_id for h in hits}) == done
        assert all(h.title for h in hits)
        seen.append(done)

    stats = index.refresh(root, stored=stored)
    assert seen == [1, 2, 3, 4, 5] and not stats.stopped and index.coverage is None
    assert {t.id for t in index.talks()} >= {f"TALK{n}xxxxxx" for n in range(4)}


def test_a_cancelled_refresh_keeps_what_it_stored_and_the_next_one_finishes(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(tui.index, "FIRST_COMMIT_SECONDS", 0.0)
    monkeypatch.setattr(tui.index, "COMMIT_SECONDS", 0.0)
    root = tmp_path / "many"
    root.mkdir()
    for n in range(6):
        write_transcript(root / f"TALK{n}xxxxxx.json", [f"talk {n} about otters."])
    index = Index.open()
    stats = index.refresh(root, cancelled=lambda: True)
    assert stats.stopped and stats.talks == 0  # not grouped yet
    assert len(index.talks_so_far()) == 1 and len(index.search("otters")) == 1
    again = index.refresh(root)
    assert not again.stopped and again.read == 5 and again.talks == 6
    assert len(index.search("otters")) == 6


def test_a_big_refresh_reads_every_file_once_some_here_while_the_workers_start(tmp_path: Path, monkeypatch):
    root = tmp_path / "big"
    root.mkdir()
    for n in range(60):  # above POOL_MIN_FILES: worker processes read most of them
        write_transcript(root / f"T{n:02d}xxxxxxxx.json", [f"talk {n} mentions capybaras."])
    if (os.cpu_count() or 1) < 2:
        monkeypatch.setattr(os, "cpu_count", lambda: 2)
    index = Index.open()
    stats = index.refresh(root)
    assert stats.read == 60 and stats.talks == 60 and stats.problems == 0
    with sqlite3.connect(index.path) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT path) FROM files").fetchone() == (60, 60)
    assert len(index.search("capybaras", limit=100)) == 60
