"""The go-to-time prompt's language: clock times, units, percentages, relative moves."""

from __future__ import annotations

import pytest

from tui.time_input import TimeInputError, parse_time_input, resolve_time_input


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1:23:45", 5025),
        ("83:20", 5000),  # minutes past 59 before the colon
        ("0:05", 5),
        (":45", 45),
        ("90", 90),
        ("90s", 90),
        ("2m", 120),
        ("1h5m", 3900),
        ("1h 5m 3s", 3903),
        ("1.5h", 5400),
        ("  12:00  ", 720),
    ],
)
def test_absolute_forms(text, seconds):
    assert resolve_time_input(text, current=999, duration=None) == seconds


def test_percent_of_the_talk():
    assert resolve_time_input("45%", duration=3600) == pytest.approx(1620)
    assert resolve_time_input("0%", duration=3600) == 0
    assert resolve_time_input("100%", duration=3600) == 3600
    with pytest.raises(TimeInputError, match="length is unknown"):
        resolve_time_input("45%", duration=None)
    with pytest.raises(TimeInputError, match="0% to 100%"):
        parse_time_input("150%")


def test_relative_moves_from_the_cursor_are_clamped_to_the_talk():
    assert resolve_time_input("+30s", current=100) == 130
    assert resolve_time_input("-2m", current=300) == 180
    assert resolve_time_input("-2m", current=60) == 0
    assert resolve_time_input("+1:00", current=10) == 70
    assert resolve_time_input("+10%", current=100, duration=1000) == 200
    assert resolve_time_input("+1h", current=100, duration=1000) == 1000
    assert resolve_time_input("50:00", duration=1000) == 1000


@pytest.mark.parametrize("text", ["", "+", "abc", "1:2:3:4", "12:75", "5x", "1m1m", "--2m", "1:-2", "45 %x", "%"])
def test_nonsense_is_an_error_naming_the_forms(text):
    with pytest.raises(TimeInputError) as exc:
        parse_time_input(text)
    assert "1:23:45" in str(exc.value) or "run from" in str(exc.value)
