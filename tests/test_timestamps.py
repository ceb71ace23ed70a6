"""The rules for reading summary timestamps: styles, mixed pages, the talk's length."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui import timestamps as ts
from tui.timestamps import HOURS, MINUTES, candidates, is_time, limit_for, page_style, parts, resolve, tokens


def test_parts_and_tokens():
    assert parts("08:43:00") == (8, 43, 0)
    assert parts("03:38") == (3, 38)
    assert parts("01:00:21:00") == (1, 0, 21, 0)
    assert parts("abc") is None and parts("12") is None and parts("1:2:3:4:5") is None
    assert tokens("08:43:00 [08:43:48]") == ["08:43:00", "08:43:48"]


def test_is_time_rejects_impossible_values():
    assert is_time("12:34") and is_time("48:20:00") and is_time("01:00:21:00")
    assert not is_time("12:75")
    assert not is_time("1:75:75")
    assert not is_time("see above")


def test_true_hh_mm_ss_page_reads_hours():
    # A stamp ending in :00 on an HH:MM:SS page is minutes, not seconds.
    assert resolve(["00:01:10", "00:04:00", "00:05:30"]) == [70, 240, 330]


def test_whole_page_mm_ss_00_reads_minutes():
    # seed 000: every stamp padded with :00; 48:20:00 is 48 min 20 s
    assert resolve(["02:21:00", "02:34:00", "47:10:00", "48:20:00"]) == [141, 154, 2830, 2900]


def test_all_padded_small_values_read_as_minutes():
    # goingonchain: nothing past 5 hours, but every stamp ends in :00
    assert page_style(["00:40:00", "00:45:00", "01:01:00"]) == MINUTES
    assert resolve(["00:40:00", "00:45:00", "01:01:00"]) == [40, 45, 61]


def test_past_five_hours_read_as_hours_is_minutes():
    assert resolve(["05:08:00"]) == [308]
    assert resolve(["04:59:00"]) == [4 * 3600 + 59 * 60]  # alone and possible: hours


def test_talk_length_turns_hours_into_minutes():
    assert resolve(["04:59:00"], limit_for(7 * 60)) == [299]
    assert resolve(["00:40:00", "01:15:00"]) == [2400, 4500]
    assert resolve(["00:40:00", "01:15:00"], limit_for(7 * 60)) == [40, 75]
    # a long talk keeps the hours reading
    assert resolve(["00:40:00", "01:15:00"], limit_for(2 * 3600)) == [2400, 4500]


def test_attribute_and_bracket_disagree_page_decides():
    # seed 000: data-t="08:43:00" shows [08:43:48]; the page is MM:SS:00, so 8 min 43 s
    assert resolve(["08:39:00", "08:43:00 [08:43:48]", "09:27:00", "48:20:00"]) == [519, 523, 567, 2900]
    # on an HH:MM:SS page both texts are possible: the attribute wins a tie
    assert resolve(["00:08:40", "00:08:43 [00:08:48]", "00:09:00"]) == [520, 523, 540]
    # the bracket wins when only it fits the page's order
    assert resolve(["00:30:00", "00:03:10 [00:31:10]", "00:32:00", "00:33:00", "00:34:05"])[1] == 1870


def test_mixed_page_reads_each_stamp_in_context():
    # hu-po: 58:09:00 is 58 min 9 s beside 01:05:28, 1 h 5 min 28 s
    raws = ["07:09:00", "54:35:00", "58:09:00", "01:10:00", "01:05:28", "01:10:07", "01:19:01", "01:11:00"]
    assert resolve(raws) == [429, 3275, 3489, 4200, 3928, 4207, 4741, 4260]


def test_padding_other_than_00_on_a_minutes_page():
    # redpointai: [01:40:53] opens a page of [05:30:00] ... [01:00:21:00]
    raws = ["01:40:53", "02:00:30", "04:42:01", "04:45:00", "05:30:00", "59:43:00", "01:00:21:00"]
    assert resolve(raws) == [100, 120, 282, 285, 330, 3583, 3621]


def test_hours_page_with_out_of_order_references_stays_hours():
    # everyinc: true HH:MM:SS with back references to the opening
    raws = ["02:28:26", "02:28:51", "00:00:31", "02:29:20", "03:44:00", "03:44:41", "04:50:50"]
    assert page_style(raws) == HOURS
    assert resolve(raws) == [8906, 8931, 31, 8960, 13440, 13481, 17450]


def test_two_and_four_part_stamps():
    assert resolve(["03:38", "04:58", "02:37"]) == [218, 298, 157]
    assert resolve(["01:00:21:00", "01:13:11:00"]) == [3621, 4391]


def test_unreadable_stamps_are_none():
    assert resolve(["12:75", "nonsense", "00:01:00"]) == [None, None, 60]
    assert resolve([]) == []


def test_limit_for():
    assert limit_for(None) == ts.DEFAULT_LIMIT == 5 * 3600
    assert limit_for(0) == ts.DEFAULT_LIMIT
    assert 420 < limit_for(420) < 600
    # a stamp a little past the end of the transcript keeps its reading
    assert resolve(["00:10:00", "00:59:30"], limit_for(3400)) == [600, 3570]


def test_candidates_are_cheapest_first():
    opts = candidates("01:10:00", MINUTES)
    assert opts[0] == (70.0, 0.0) and (4200.0, ts.STYLE_COST) in opts
    assert candidates("01:10:00", HOURS) == ((4200.0, 0.0),)


def _readings(raw: str) -> set[float]:
    out = set()
    for tok in tokens(raw):
        p = parts(tok)
        if p is None:
            continue
        if len(p) == 3:
            out |= {v for v in (ts.hours_reading(p), ts.minutes_reading(p)) if v is not None}
        elif (v := ts.fixed_reading(p)) is not None:
            out.add(v)
    return out


_token = st.builds(
    lambda xs: ":".join(f"{x:02d}" for x in xs),
    st.lists(st.integers(0, 99), min_size=2, max_size=4),
)
_raw = st.one_of(_token, st.builds(lambda a, b: f"{a} [{b}]", _token, _token), st.text(max_size=8))


@given(st.lists(_raw, max_size=40), st.one_of(st.none(), st.floats(1, 20000)))
def test_every_result_is_a_reading_of_its_stamp(raws, duration):
    values = resolve(raws, limit_for(duration))
    assert len(values) == len(raws)
    for raw, value in zip(raws, values):
        if value is None:
            assert not is_time(raw)
        else:
            assert value in _readings(raw)


@given(st.lists(st.tuples(st.integers(0, 59), st.integers(0, 59)), min_size=1, max_size=30))
def test_padded_page_never_runs_past_the_talk(pairs):
    raws = [f"{m:02d}:{s:02d}:00" for m, s in pairs]
    duration = max(m * 60 + s for m, s in pairs) + 1
    limit = limit_for(duration)
    values = resolve(raws, limit)
    assert all(v is not None and v <= limit for v in values)
    # in order and past every hours reading's reach: exactly the minutes
    ordered = sorted(set(pairs))
    if ordered[0][0] >= 1:
        assert resolve([f"{m:02d}:{s:02d}:00" for m, s in ordered], limit) == [m * 60 + s for m, s in ordered]
