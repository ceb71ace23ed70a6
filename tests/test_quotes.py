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
    assert "[[bold]Title[/bold]](https://" in quote and "\x1b" not in quote
    assert "> a {text} b" in quote  # braces in the text are not template fields
    assert "[bold]Title[/bold]" in format_quote(talk, [Segment(1, None, "x")], "{title}: {text}")


def test_brackets_in_a_title_stay_inside_the_default_link():
    from markdown_it import MarkdownIt

    for title in ("Part [2] of a\\b talk]", "[Music] night", "a ] b [", "x\\"):
        quote = format_quote(Talk("m", title, video_id="Wmo2vR7U9ck"), [Segment(5, None, "Words.")])
        tokens = MarkdownIt().parseInline(quote.splitlines()[-1])[0].children
        assert [t.type for t in tokens][:3] == ["text", "link_open", "text"], title
        assert "".join(t.content for t in tokens[2 : [t.type for t in tokens].index("link_close")]) == title
        assert tokens[1].attrs["href"] == "https://youtu.be/Wmo2vR7U9ck?t=5"
    assert "[[Music] night](" in format_quote(Talk("m", "[Music] night", video_id="Wmo2vR7U9ck"), [Segment(5, None, "x")])


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


def test_speaker_marks_are_dropped_from_quotes():
    from tui.quotes import clean_quote_text

    quote = format_quote(TALK, [Segment(10, 20, ">> So what now? >> I think we wait.")])
    assert ">>" not in quote and "> So what now? I think we wait." in quote
    assert clean_quote_text("&gt;&gt; yes\n\n>> no") == "yes\n\nno"
    # Not a speaker mark: an arrow inside a word, a Markdown quote's own ">" stays.
    assert clean_quote_text("a->>b") == "a->>b"


def test_estimated_times_are_quoted_with_the_approx_sign():
    quote = format_quote(TALK, [Segment(65, 70, "Guessed.", estimated=True)])
    assert "at ≈00:01:05" in quote
    assert "?t=65" in quote


def test_a_passage_of_words_quotes_exactly_them_with_the_first_words_time():
    from tui.quotes import passage

    seg = Segment(100, 200, "alpha beta gamma delta epsilon")
    # "gamma delta": offsets 11..22
    chosen = passage([seg], 11, 22)
    assert chosen.text == "gamma delta"
    assert chosen.estimated and 100 < chosen.start < 200
    quote = format_quote(TALK, chosen)
    assert quote.startswith("> gamma delta\n") and "at ≈00:02:16" in quote and "?t=136" in quote  # 100 + 100 * 11/30
    # From the paragraph's first word: its own time, not estimated.
    first = passage([seg], 0, 5)
    assert (first.text, first.start, first.estimated) == ("alpha", 100, False)
    # Across paragraphs: from a word of the first to a word of the last.
    two = passage([seg, Segment(200, 300, "zeta eta theta")], 23, 8)
    assert two.text == "epsilon\n\nzeta eta"
    assert format_quote(TALK, two).startswith("> epsilon\n>\n> zeta eta\n")


def test_a_word_inside_a_paragraph_without_an_end_uses_the_next_start():
    from tui.quotes import word_time

    seg = Segment(10, None, "0123456789")
    assert word_time(seg, 5, next_start=20) == (15, True)
    assert word_time(seg, 5) == (10, True)  # nothing to place it by: the paragraph's time, as a guess
    assert word_time(Segment(None, None, "x y"), 2) == (None, False)


def test_links_drop_tracking_parameters_and_keep_the_second():
    from tui.model import Talk, clean_link

    talk = Talk(id="x", title="t", url="https://www.youtube.com/watch?list=PL1&si=AbC&feature=share&pp=ygU&t=10")
    assert talk.link(73.9) == "https://www.youtube.com/watch?list=PL1&t=73"
    assert talk.link() == "https://www.youtube.com/watch?list=PL1&t=10"
    assert clean_link("https://youtu.be/abc?si=x&utm_source=tw") == "https://youtu.be/abc"
    shared = Talk(id="y", title="t", video_id="Wmo2vR7U9ck", url="https://youtu.be/Wmo2vR7U9ck?si=abc&t=4")
    assert shared.link(125.99) == "https://youtu.be/Wmo2vR7U9ck?t=125"
    assert shared.link() == "https://youtu.be/Wmo2vR7U9ck"
