"""Quote text from the template, and copying that never crashes without a clipboard."""

from __future__ import annotations

import pyperclip

from tui.model import Segment, Talk
from tui.quotes import DEFAULT_TEMPLATE, check_template, copy_text, format_quote

TALK = Talk("t", "Inside OpenAI", "Stanford", video_id="Wmo2vR7U9ck")


def test_default_is_a_markdown_block_quote_with_a_timed_link():
    quote = format_quote(TALK, [Segment(754.6, 760.0, "Scaling keeps working.")])
    assert quote == "> Scaling keeps working.\n>\n> — [Inside OpenAI](https://youtu.be/Wmo2vR7U9ck?t=754) at 00:12:34"


def test_several_paragraphs_stay_one_block_quote():
    quote = format_quote(TALK, [Segment(10, 20, "First."), Segment(20, 30, "Second.")])
    assert quote.startswith("> First.\n>\n> Second.\n>\n> — [Inside OpenAI](https://youtu.be/Wmo2vR7U9ck?t=10)")


def test_every_variable_in_a_custom_template():
    template = "{title} | {channel} | {time} | {seconds} | {url}\n  {text}"
    quote = format_quote(TALK, [Segment(3725, None, "One."), Segment(3730, None, "Two.")], template)
    # The indent before {text} carries on to every line of the text.
    assert quote == "Inside OpenAI | Stanford | 01:02:05 | 3725 | https://youtu.be/Wmo2vR7U9ck?t=3725\n  One.\n\n  Two."


def test_no_link_and_no_time_leave_no_empty_markdown():
    plain = Talk("p", "A lecture")
    assert format_quote(plain, [Segment(None, None, "Words.")]) == "> Words.\n>\n> — A lecture"
    assert format_quote(plain, [Segment(65, None, "Words.")]) == "> Words.\n>\n> — A lecture at 00:01:05"


def test_file_text_is_kept_literal_and_controls_are_stripped():
    talk = Talk("m", "[bold]Title[/bold]\x1b[31m", video_id="Wmo2vR7U9ck")
    quote = format_quote(talk, [Segment(1, None, "a {text} b \x1b[2J")])
    assert "[bold]Title[/bold]" in quote and "\x1b" not in quote
    assert "> a {text} b" in quote  # braces in the text are not template fields


def test_a_broken_template_falls_back_to_the_default():
    assert check_template("{text") is not None
    assert check_template("no text here") is not None
    assert check_template(DEFAULT_TEMPLATE) is None
    assert format_quote(TALK, [Segment(1, None, "x")], "{text") == format_quote(TALK, [Segment(1, None, "x")])
    # An unknown field stays as written rather than failing.
    assert format_quote(TALK, [Segment(1, None, "x")], "{text} {speaker}") == "x {speaker}"


def test_copy_uses_pyperclip_when_it_works(monkeypatch):
    got: list[str] = []
    monkeypatch.setattr(pyperclip, "copy", got.append)
    terminal: list[str] = []
    assert copy_text("hello", terminal.append) == (True, "")
    assert got == ["hello"] and terminal == []


def test_copy_falls_back_to_the_terminal_and_says_why(monkeypatch):
    def no_backend(text):
        raise pyperclip.PyperclipException("Pyperclip could not find a copy/paste mechanism for your system. See docs")

    monkeypatch.setattr(pyperclip, "copy", no_backend)
    terminal: list[str] = []
    system, reason = copy_text("hello", terminal.append)
    assert not system and terminal == ["hello"]
    assert reason == "Pyperclip could not find a copy/paste mechanism for your system"


def test_copy_survives_any_backend_failure(monkeypatch):
    def broken(text):
        raise OSError(5, "xclip died")

    monkeypatch.setattr(pyperclip, "copy", broken)
    terminal: list[str] = []
    assert copy_text("x", terminal.append)[0] is False and terminal == ["x"]
