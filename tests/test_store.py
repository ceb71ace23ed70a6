"""The notes store: add, edit, delete and undo; keys and moments that survive moved files."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from tui import paths
from tui.library import scan
from tui.model import Document, Role, Segment, Talk
from tui.store import (
    BOOKMARK,
    MIGRATIONS,
    MOMENT_NOT_FOUND,
    NOTE,
    MomentChecker,
    TALK_NOT_FOUND,
    SCHEMA_VERSION,
    Moment,
    Store,
    StoreError,
    draft_key,
    draft_place,
    locate,
    moment_status,
    talk_key,
)

WORDS = (
    "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november "
    "oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu"
).split()


def paragraphs(n: int = 12, step: float = 30.0) -> list[Segment]:
    """Paragraphs whose opening words are all different."""
    return [
        Segment(i * step, i * step + step, f"{WORDS[i % 26].title()} {WORDS[(i * 7 + 3) % 26]} number {i}: "
                f"the speaker explains point {i} with {WORDS[(i * 5 + 1) % 26]} details and some more words.")
        for i in range(n)
    ]


def make_talk(segments: list[Segment], video_id: str | None = "abcdefghijk", title: str = "A talk") -> Talk:
    doc = Document(path="/x/a.srt", role=Role.TRANSCRIPT, format="srt", video_id=video_id, segments=segments)
    return Talk(id=video_id or "t-x", title=title, video_id=video_id, documents=[doc])


@pytest.fixture
def store():
    with Store.open() as s:
        yield s


def test_store_lives_in_the_data_dir_from_the_environment(store):
    assert store.path == paths.data_dir() / "store.sqlite3"
    assert store.path.exists()
    assert store.recovered_from is None
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_add_edit_delete_undo(store):
    segs = paragraphs()
    talk = make_talk(segs)
    note = store.add_note(talk, segs[2:4], "first *thought*")
    assert note.kind == NOTE and note.note == "first *thought*"
    assert note.seconds == 60.0 and note.opening.startswith("charlie")
    assert segs[2].text in note.quote and segs[3].text in note.quote

    edited = store.update_note(note.id, "second thought")
    assert edited.id == note.id and edited.note == "second thought"
    assert edited.updated >= note.updated and edited.created == note.created
    assert [i.note for i in store.items_for_talk(talk_key(talk))] == ["second thought"]

    deleted = store.delete(note.id)
    assert store.get(note.id) is None and store.count() == 0
    restored = store.undo(deleted)
    assert restored.id == note.id and restored.uid == note.uid
    assert store.get(note.id) == edited


def test_a_note_on_a_selection_keeps_the_selected_words(store):
    segs = paragraphs()
    talk = make_talk(segs)
    note = store.add_note(talk, [segs[5]], "why", quote="point 5 with")
    assert note.quote == "point 5 with"
    assert note.seconds == segs[5].start


def test_undo_when_the_id_was_taken_keeps_both(store):
    segs = paragraphs()
    talk = make_talk(segs)
    note = store.add_note(talk, [segs[0]], "one")
    deleted = store.delete(note.id)
    # SQLite may reuse the highest id; either way nothing is lost.
    other = store.add_note(talk, [segs[1]], "two")
    restored = store.undo(deleted)
    assert {i.note for i in store.all_items()} == {"one", "two"}
    assert store.get(restored.id).note == "one" and store.get(other.id).note == "two"


def test_unknown_ids_raise_key_error(store):
    with pytest.raises(KeyError):
        store.update_note(999, "x")
    with pytest.raises(KeyError):
        store.delete(999)


def test_toggle_bookmark_and_marks(store):
    segs = paragraphs()
    talk = make_talk(segs)
    assert store.toggle_bookmark(talk, segs[4], segs) is True
    store.add_note(talk, [segs[6]], "noted")
    store.add_note(talk, None, "about the whole talk")
    assert store.marks(talk, segs) == {4: "★", 6: "✎"}
    assert [i.note for i in store.talk_notes(talk)] == ["about the whole talk"]
    assert store.toggle_bookmark(talk, segs[4], segs) is False
    assert store.marks(talk, segs) == {6: "✎"}
    kinds = sorted(i.kind for i in store.items_for_talk(talk_key(talk)))
    assert kinds == [NOTE, NOTE]


def test_toggle_finds_a_bookmark_whose_paragraph_was_rewritten(store):
    segs = paragraphs()
    talk = make_talk(segs)
    store.toggle_bookmark(talk, segs[3], segs)
    # Re-downloaded: the paragraph starts a little earlier, with one more word.
    new = [Segment(s.start, s.end, s.text) for s in segs]
    new[3] = Segment(88.0, 120.0, "So, " + segs[3].text)
    assert store.marks(talk, new) == {3: "★"}
    assert store.toggle_bookmark(talk, new[3], new) is False
    assert store.count() == 0


def test_a_bookmark_given_text_becomes_a_note(store):
    segs = paragraphs()
    talk = make_talk(segs)
    store.toggle_bookmark(talk, segs[1], segs)
    (item,) = store.all_items()
    assert item.kind == BOOKMARK
    assert store.update_note(item.id, "now with words").kind == NOTE


def test_all_items_filters_on_every_word_case_insensitively(store):
    segs = paragraphs()
    store.add_note(make_talk(segs, "abcdefghijk", "Rust in Production"), [segs[0]], "Borrow checker pain")
    store.add_note(make_talk(segs, "bbbbbbbbbbb", "Python Typing"), [segs[1]], "Protocols are neat")
    assert len(store.all_items()) == 2
    assert [i.note for i in store.all_items("rust BORROW")] == ["Borrow checker pain"]
    assert [i.talk_title for i in store.all_items("typing")] == ["Python Typing"]
    assert store.all_items("rust protocols") == []


def test_untrusted_text_is_stored_without_terminal_controls(store):
    segs = [Segment(0.0, 5.0, "hello \x1b[31mred\x1b[0m world")]
    talk = make_talk(segs, title="Evil \x1b]0;title\x07talk")
    note = store.add_note(talk, segs, "note \x1b[2J")
    assert "\x1b" not in note.quote + note.note + note.talk_title


# --- keys ------------------------------------------------------------------


def test_talk_key_is_the_video_id_or_a_content_hash_not_the_path():
    segs = paragraphs()
    assert talk_key(make_talk(segs)) == "abcdefghijk"
    a = make_talk(segs, None)
    b = make_talk([Segment(s.start, s.end, s.text) for s in segs], None, title="Other name")
    b.documents[0].path = "/elsewhere/renamed.srt"
    assert talk_key(a) == talk_key(b) and talk_key(a).startswith("sha256:")
    # Re-paragraphed and re-punctuated, it is still the same text.
    joined = " ".join(s.text for s in segs).replace(",", "").upper()
    half = len(joined) // 2
    c = make_talk([Segment(0, 1, joined[:half]), Segment(1, 2, joined[half:])], None)
    assert talk_key(c) == talk_key(a)
    d = make_talk(paragraphs(13)[1:], None)
    assert talk_key(d) != talk_key(a)


SRT_CUES = [
    ("00:00:01,000", "00:00:09,000", "Welcome everyone to this talk about storage engines."),
    ("00:00:10,000", "00:00:19,000", "Today we look at write ahead logs and why they matter."),
    ("00:00:20,000", "00:00:29,000", "The first idea is that every change is appended to a log."),
    ("00:00:30,000", "00:00:39,000", "Checkpoints copy pages from the log back into the database."),
    ("00:00:40,000", "00:00:49,000", "Readers never block writers, which is the whole point."),
]


def write_srt(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    blocks = [f"{n}\n{a} --> {b}\n{text}\n" for n, (a, b, text) in enumerate(SRT_CUES, 1)]
    path.write_text("\n".join(blocks), encoding="utf-8")


@pytest.mark.parametrize(
    ("first", "moved"),
    [
        ("lib/Storage Engines [abcdefghijk].en.srt", "new/place/Renamed talk [abcdefghijk].srt"),
        ("lib/storage engines.srt", "new/place/wal-notes.srt"),
    ],
    ids=["video-id", "content-hash"],
)
def test_notes_survive_a_moved_and_renamed_file(store, tmp_path, first, moved):
    src = tmp_path / first
    write_srt(src)
    talk = scan(tmp_path / "lib").talks[0]
    segs = talk.transcript.segments
    target = next(i for i, s in enumerate(segs) if "Checkpoints" in s.text)
    note = store.add_note(talk, [segs[target]], "checkpointing explained")
    store.toggle_bookmark(talk, segs[0], segs)

    dest = tmp_path / moved
    dest.parent.mkdir(parents=True)
    src.rename(dest)
    again = scan(tmp_path / "new").talks[0]
    assert again.transcript.path != talk.transcript.path
    key = talk_key(again)
    assert key == talk_key(talk)
    items = store.items_for_talk(key)
    assert {i.note for i in items} == {"checkpointing explained", ""}
    new_segs = again.transcript.segments
    found = locate(store.get(note.id).moment, new_segs)
    assert found is not None and "Checkpoints" in new_segs[found].text
    assert store.marks(again, new_segs)[found] == "✎"


def test_notes_follow_an_edited_file_without_a_video_id(store, tmp_path):
    """An edit of the file's start changes its content key: its notes move with it."""
    src = tmp_path / "lib" / "storage engines.srt"
    write_srt(src)
    talk = scan(tmp_path / "lib").talks[0]
    segs = talk.transcript.segments
    target = next(i for i, s in enumerate(segs) if "Checkpoints" in s.text)
    store.add_note(talk, [segs[target]], "checkpointing explained")
    store.add_note(talk, None, "on the whole talk")
    old_key = talk_key(talk)

    src.write_text("1\n00:00:00,000 --> 00:00:02,000\nA new first line, added by hand.\n\n"
                   + src.read_text(encoding="utf-8").replace("\n1\n", "\n100\n", 1), encoding="utf-8")
    edited = scan(tmp_path / "lib").talks[0]
    assert talk_key(edited) != old_key
    # Listed (the list counts, and moves them), they are its own.
    assert store.counts_for([edited]) == {edited.id: 2}
    key = talk_key(edited)
    assert {i.note for i in store.items_for_talk(key)} == {"checkpointing explained", "on the whole talk"}
    assert store.items_for_talk(old_key) == []
    found = next(i for i, s in enumerate(edited.transcript.segments) if "Checkpoints" in s.text)
    assert store.marks(edited, edited.transcript.segments)[found] == "✎"
    assert store.follow(edited) == key  # nothing left to move


def test_a_file_replaced_by_another_talk_keeps_no_notes(store, tmp_path):
    src = tmp_path / "lib" / "talk.srt"
    write_srt(src)
    talk = scan(tmp_path / "lib").talks[0]
    store.toggle_bookmark(talk, talk.transcript.segments[-1], talk.transcript.segments)
    src.write_text("1\n00:00:00,000 --> 00:00:05,000\nSomething else entirely, about gardens.\n", encoding="utf-8")
    other = scan(tmp_path / "lib").talks[0]
    assert store.counts_for([other]) == {}
    key = store.follow(other)
    assert store.items_for_talk(key) == []
    assert len(store.items_for_talk(talk_key(talk))) == 1  # still listed in the marks view


# --- moments ---------------------------------------------------------------


def test_locate_exact_after_re_paragraphing():
    segs = paragraphs()
    moment = Moment.of(segs[7])
    assert locate(moment, segs) == 7
    # Re-downloaded with paragraphs split differently: the words are now inside a paragraph.
    merged = [Segment(segs[i].start, segs[i + 1].end, segs[i].text + " " + segs[i + 1].text) for i in range(0, 12, 2)]
    assert locate(moment, merged) == 3
    shifted = [Segment(s.start + 4, s.end + 4, s.text) for s in segs]
    assert locate(moment, shifted) == 7


def test_locate_prefers_the_occurrence_nearest_in_time():
    text = "and so that is why we measure everything twice before we ship"
    segs = [Segment(t, t + 10, text if t in (0.0, 300.0, 600.0) else f"filler {t}") for t in range(0, 700, 100)]
    segs = [Segment(float(s.start), float(s.end), s.text) for s in segs]
    assert locate(Moment(310.0, " ".join(text.split()[:8])), segs) == 3


def test_locate_fuzzy_when_the_words_were_re_transcribed():
    segs = paragraphs()
    moment = Moment.of(segs[5])
    changed = [Segment(s.start, s.end, s.text) for s in segs]
    # Auto-captions heard a word differently and the time moved by a few seconds.
    changed[5] = Segment(155.0, 180.0, segs[5].text.replace("number 5", "numbers five"))
    assert locate(moment, changed) == 5


def test_locate_by_time_alone_within_tolerance_then_not_found():
    segs = paragraphs()
    lost = Moment(95.0, "words that were never spoken in this talk at all")
    assert locate(lost, segs) == 3  # the paragraph running at 95 s
    assert locate(Moment(10_000.0, "words that were never spoken in this talk"), segs) is None
    assert locate(Moment(None, "words that were never spoken in this talk"), segs) is None
    assert locate(Moment.of(segs[2]), []) is None


def test_an_item_whose_moment_is_gone_is_still_listed(store):
    segs = paragraphs()
    talk = make_talk(segs)
    note = store.add_note(talk, [segs[11]], "near the end")
    shorter = segs[:4]  # a truncated re-download
    assert store.marks(talk, shorter) == {}
    assert locate(store.get(note.id).moment, shorter) is None
    assert [i.id for i in store.all_items()] == [note.id]


# --- damaged and foreign files ---------------------------------------------------------------


def test_a_file_that_is_not_a_database_is_moved_aside_with_a_message(tmp_path):
    path = tmp_path / "store.sqlite3"
    garbage = b"this is not sqlite at all\n" * 200
    path.write_bytes(garbage)
    with Store.open(path) as store:
        assert store.recovered_from and "moved aside" in store.recovered_from
        assert "store.sqlite3.broken-" in store.recovered_from
        assert store.count() == 0 and store.integrity() == "ok"
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("store.sqlite3.broken-")]
    assert len(aside) == 1 and aside[0].read_bytes() == garbage
    with Store.open(path) as again:  # the fresh store is healthy: nothing more is moved
        assert again.recovered_from is None


def test_a_damaged_database_is_moved_aside_and_kept(tmp_path):
    path = tmp_path / "store.sqlite3"
    with Store.open(path) as store:
        segs = paragraphs()
        for i in range(200):
            store.add_note(make_talk(segs), [segs[i % 12]], f"note {i} " + "x" * 300)
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    # Scribble over the middle pages (the table's b-tree), keeping the header valid.
    data[page * 2: page * 6] = b"\xff\x13" * (page * 2)
    path.write_bytes(bytes(data))
    with Store.open(path) as fresh:
        assert fresh.recovered_from is not None
        assert "store.sqlite3.broken-" in fresh.recovered_from
        assert fresh.count() == 0
    aside = [p for p in tmp_path.iterdir() if ".broken-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert len(aside) == 1 and aside[0].read_bytes() == bytes(data)


def test_a_store_from_a_newer_version_is_refused_not_moved(tmp_path):
    path = tmp_path / "store.sqlite3"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer talkshelf"):
        Store.open(path)
    assert path.exists() and not list(tmp_path.glob("*.broken-*"))


def test_counts_by_talk_and_moment_status(store):
    segs = paragraphs()
    a, b = make_talk(segs, "aaaaaaaaaaa"), make_talk(segs, "bbbbbbbbbbb")
    store.toggle_bookmark(a, segs[0], segs)
    late = store.add_note(a, [segs[10]], "late")
    whole = store.add_note(b, None, "whole")
    assert store.counts_by_talk() == {"aaaaaaaaaaa": 2, "bbbbbbbbbbb": 1}
    assert moment_status(late, segs) is None
    assert moment_status(late, segs[:3]) == MOMENT_NOT_FOUND
    assert moment_status(late, None) == TALK_NOT_FOUND
    assert moment_status(whole, []) is None  # a whole-talk note needs only its talk


def test_one_store_shared_by_threads_loses_nothing(store):
    segs = paragraphs()
    talk = make_talk(segs)

    def write(label: str) -> None:
        for n in range(40):
            store.add_note(talk, [segs[n % 12]], f"{label}-{n}")

    threads = [threading.Thread(target=write, args=(f"t{k}",)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(i.note for i in store.all_items()) == sorted(f"t{k}-{n}" for k in range(4) for n in range(40))


def test_counts_for_talks_and_the_moment_checker(store):
    segs = paragraphs()
    a = make_talk(segs, "aaaaaaaaaaa")
    hashed = make_talk(paragraphs(6, 20.0), None, title="No id")
    gone = make_talk(segs, "ccccccccccc")
    store.toggle_bookmark(a, segs[2], segs)
    lost = store.add_note(a, [segs[11]], "will be lost")
    h = store.add_note(hashed, [hashed.transcript.segments[3]], "hashed")
    elsewhere = store.add_note(gone, None, "talk removed")
    assert store.counts_for([a, hashed]) == {"aaaaaaaaaaa": 2, "t-x": 1}

    # The library now has a truncated transcript of `a`, the id-less talk, and not `gone`.
    a_now = make_talk(segs[:6], "aaaaaaaaaaa")
    check = MomentChecker([a_now, make_talk(paragraphs(6, 20.0), None, title="Renamed")])
    status = {i.id: check(i) for i in store.all_items()}
    assert status[lost.id] == MOMENT_NOT_FOUND
    assert status[h.id] is None
    assert status[elsewhere.id] == TALK_NOT_FOUND
    assert list(status.values()).count(None) == 2  # the bookmark and the hashed note


def test_notes_from_before_files_were_kept_follow_after_one_listing(store, tmp_path):
    src = tmp_path / "lib" / "talk.srt"
    write_srt(src)
    talk = scan(tmp_path / "lib").talks[0]
    store.add_note(talk, None, "written by an older talkshelf")
    with store._write() as conn:
        conn.execute("DELETE FROM talk_sources")  # as a store migrated from schema 1 has it
    assert store.counts_for([talk]) == {talk.id: 1}  # records where the talk's key came from
    src.write_text("1\n00:00:00,000 --> 00:00:01,000\nA line on top.\n\n" + src.read_text(encoding="utf-8"), encoding="utf-8")
    edited = scan(tmp_path / "lib").talks[0]
    assert store.counts_for([edited]) == {edited.id: 1}


def test_a_file_name_that_is_not_utf8_still_keeps_its_source(store, tmp_path):
    import os

    lib = tmp_path / "lib"
    lib.mkdir()
    name = os.fsdecode(b"Caf\xe9 talk.srt")  # Latin-1 bytes in a name: a surrogate in Python's str
    write_srt(lib / name)
    talk = scan(lib).talks[0]
    store.add_note(talk, None, "kept")
    assert store.counts_for([talk]) == {talk.id: 1}


def test_drafts_are_kept_replaced_listed_and_dropped(store):
    assert store.draft("new:k:30") is None and store.drafts() == []
    store.keep_draft("new:k:30", "half", talk_title="A talk", heading="Note at 00:00:30: A talk")
    store.keep_draft("new:k:30", "half a thought\x1b[31m")  # the same note's draft again: replaced, controls stripped
    store.keep_draft("note:uid-2", "an edit", talk_title="B")
    assert store.draft("new:k:30").text == "half a thought"
    assert [d.key for d in store.drafts()] == ["note:uid-2", "new:k:30"]  # the latest first
    store.drop_draft("new:k:30")
    store.drop_draft("no such draft")
    assert [d.key for d in store.drafts()] == ["note:uid-2"]


def test_draft_keys_say_which_note_they_would_be_saved_as():
    # Talk keys can hold colons (a path, a URL): the parts after them still come back.
    talk = "yt:https://youtu.be/x:y"
    assert draft_place(draft_key(note="uid-7")) == ("note", "uid-7", None)
    assert draft_place(draft_key(talk=talk)) == ("talk", talk, None)
    assert draft_place(draft_key(talk=talk, start=61.5, paragraphs=2, quote="two words")) == ("new", talk, "61.5")
    assert draft_key(talk="k", start=1.0, paragraphs=1, quote="ab") != draft_key(talk="k", start=1.0, paragraphs=1, quote="abc")
    assert draft_place("new:k:30") == ("new", "k:30", None)  # not one this app wrote: no paragraph to go to


def test_a_store_from_before_drafts_gains_them_and_keeps_its_notes(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:2]:
        conn.executescript(script)
    conn.execute("INSERT INTO items (uid, kind, talk_key, note, created, updated) VALUES ('u1', 'note', 'k', 'kept', 'x', 'x')")
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert [i.note for i in store.all_items()] == ["kept"]
        store.keep_draft("note:u1", "more")
        assert store.draft("note:u1").text == "more"
