"""Where each talk was left: kept in state.toml (atomically, merged) and found again."""

from __future__ import annotations

import os

from tui.config import POSITIONS_KEPT, Position, load_config, load_positions, save_position, save_theme
from tui.model import Segment
from tui.positions import locate_position, position_at


def test_positions_survive_a_restart_and_the_theme_beside_them(tmp_path):
    save_theme("nord", tmp_path)
    save_position("yt:abc", Position(12, 83.5, 'he said "hi" \x1b[2J', 1.0), tmp_path)
    save_position("text:ff00", Position(3, None, "", 2.0), tmp_path)
    save_theme("gruvbox", tmp_path)  # a later theme write keeps the positions
    positions = load_positions(tmp_path)
    assert positions["yt:abc"] == Position(12, 83.5, 'he said "hi" \x1b[2J', 1.0)
    assert positions["text:ff00"] == Position(3, None, "", 2.0)
    assert load_config(tmp_path).theme == "gruvbox"
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]  # written through a temp file


def test_a_broken_state_file_gives_no_positions_and_is_replaced(tmp_path):
    (tmp_path / "state.toml").write_text("[positions\n")
    assert load_positions(tmp_path) == {}
    (tmp_path / "state.toml").write_text('[positions]\n"a" = { paragraph = -1 }\n"b" = "x"\n"c" = { paragraph = 2, seconds = "no" }\n')
    assert load_positions(tmp_path) == {"c": Position(2, None, "", 0.0)}
    save_position("d", Position(1, 1.0), tmp_path)
    assert set(load_positions(tmp_path)) == {"c", "d"}


def test_only_the_most_recent_positions_are_kept(tmp_path):
    from tui import config

    body = "[positions]\n" + "".join(f'"t{i}" = {{ paragraph = {i}, saved = {float(i)} }}\n' for i in range(POSITIONS_KEPT + 5))
    (tmp_path / "state.toml").write_text(body)
    save_position("new", Position(0), tmp_path)
    kept = load_positions(tmp_path)
    assert len(kept) == POSITIONS_KEPT and "new" in kept and "t0" not in kept and f"t{POSITIONS_KEPT + 4}" in kept
    assert config.POSITIONS_KEPT == POSITIONS_KEPT


SEGMENTS = [Segment(float(i * 10), float(i * 10 + 10), f"paragraph number {i} says things") for i in range(50)]


def test_a_position_is_found_by_its_words_then_its_time():
    pos = position_at(SEGMENTS, 20)
    assert locate_position(SEGMENTS, pos) == 20
    # Three paragraphs were inserted before it: its words find it.
    shifted = [Segment(0, 1, "new a"), Segment(0, 1, "new b"), Segment(0, 1, "new c")] + SEGMENTS
    assert locate_position(shifted, pos) == 23
    # Words gone (re-captioned): its time.
    recaptioned = [Segment(s.start, s.end, "other words") for s in SEGMENTS]
    assert locate_position(recaptioned, Position(20, 205.0, "gone words")) == 20
    # A shorter talk: the last paragraph; an empty one: 0.
    assert locate_position(SEGMENTS[:5], Position(20, None, "x")) == 4
    assert locate_position([], pos) == 0
