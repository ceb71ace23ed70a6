"""The library search screen, driven by the Pilot."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.widgets import Input, OptionList, Static

from tests.test_index import write_transcript
from tui.index import Index, SearchHit
from tui.model import format_time
from widgets.library_search_screen import LibrarySearchScreen, hit_prompt


def make_index(tmp_path: Path) -> Index:
    root = tmp_path / "lib"
    root.mkdir()
    write_transcript(root / "AAAAAAAAAAA.json", ["intro words here.", "we discuss gradient descent at length."])
    write_transcript(root / "BBBBBBBBBBB.json", ["andrej karpathy on neural networks."])
    index = Index.open()
    index.refresh(root)
    return index


class Host(App):
    def __init__(self, index: Index):
        super().__init__()
        self.index = index
        self.results: list[SearchHit | None] = []

    def on_mount(self) -> None:
        self.push_screen(LibrarySearchScreen(self.index), self.results.append)


async def settle(pilot, screen: LibrarySearchScreen) -> None:
    """Wait until the list shows results for what the input holds (the search runs in a thread)."""
    for _ in range(200):
        await pilot.pause(0.01)
        await screen.workers.wait_for_complete()
        await pilot.pause()
        if screen.shown_query == screen.query_one(Input).value:
            return
    raise AssertionError("search results never arrived")


async def test_typing_shows_ranked_hits_and_enter_dismisses_with_the_hit(tmp_path: Path):
    app = Host(make_index(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, LibrarySearchScreen)
        await pilot.press(*"gradient desc")  # the last word is still being typed
        await settle(pilot, screen)
        hits = screen.query_one(OptionList)
        assert hits.option_count == 1
        prompt = hits.get_option_at_index(0).prompt
        (hit,) = screen.hits
        assert prompt.plain.startswith(f"AAAAAAAAAAA  {format_time(hit.start, hit.estimated)}\n")
        assert "gradient descent at length" in prompt.plain
        status = str(screen.query_one("#search-status", Static).render())
        assert status.startswith("1 hit") and "hits" not in status
        await pilot.press("enter")
        await pilot.pause()
    (hit,) = app.results
    assert hit.talk_id == "AAAAAAAAAAA"
    talk = next(t for t in app.index.talks() if t.id == hit.talk_id)
    # The hit's moment is its first matched word's, inside its paragraph.
    segment = talk.documents[0].segments[hit.segment]
    assert segment.start <= hit.start <= segment.end
    assert [hit.text[a:b] for a, b in hit.spans] == ["gradient descent"]


async def test_arrows_choose_among_hits(tmp_path: Path):
    app = Host(make_index(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await pilot.press(*"n")  # one letter: a whole word, so nothing; then more
        await pilot.press(*"e")
        await settle(pilot, screen)
        assert screen.query_one(OptionList).option_count >= 1
        await pilot.press("down", "up", "enter")
        await pilot.pause()
    assert app.results and app.results[0].talk_id == "BBBBBBBBBBB"


async def test_did_you_mean_replaces_the_query(tmp_path: Path):
    app = Host(make_index(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await pilot.press(*"karpaty ")
        await settle(pilot, screen)
        status = str(screen.query_one("#search-status", Static).render())
        assert "Did you mean" in status
        option = screen.query_one(OptionList).get_option_at_index(0)
        assert "karpathy" in option.prompt.plain
        await pilot.press("enter")  # takes the suggestion, does not leave
        await settle(pilot, screen)
        assert screen.query_one(Input).value == "karpathy"
        assert app.screen is screen
        assert "BBBBBBBBBBB" in screen.query_one(OptionList).get_option_at_index(0).prompt.plain
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_a_hit_is_two_lines_cut_to_the_width(tmp_path: Path):
    root = tmp_path / "lib"
    root.mkdir()
    long = "we talk about gradient descent " + "and then some more words " * 20 + "to the end."
    write_transcript(root / "AAAAAAAAAAA.json", [long])
    index = Index.open()
    index.refresh(root)
    app = Host(index)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = app.screen
        await pilot.press(*"gradient")
        await settle(pilot, screen)
        hits = screen.query_one(OptionList)
        lines = [hits.render_line(y).text.rstrip() for y in range(3)]
        assert lines[0].startswith("AAAAAAAAAAA") and lines[1].startswith("  ") and lines[1].endswith("…"), lines
        assert lines[2] == "", lines


def test_hit_prompt_highlights_spans_from_plain_text():
    hit = SearchHit("t", "[red]Title[/red]", "/p", "transcript", 3, 61.0, False, "say hello world", 10, ((4, 9),), 1.0)
    text = hit_prompt(hit, "bold")
    assert text.plain.startswith("[red]Title[/red]  00:01:01")
    assert "…say hello world" in text.plain
    start = text.plain.index("hello")
    assert any(s.start == start and s.end == start + 5 and str(s.style) == "bold" for s in text.spans)
