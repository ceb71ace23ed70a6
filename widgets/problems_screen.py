"""The problems screen: every file the scan could not read, with the reason."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.model import Problem
from tui.textio import strip_controls
from widgets.footer import Footer


def problem_prompt(problem: Problem) -> Text:
    # Paths and reasons can hold anything a file name can: plain text only.
    text = Text(no_wrap=False, end="")
    text.append(strip_controls(problem.path), "bold")
    text.append("\n  ")
    text.append(strip_controls(problem.reason))
    return text


class ProblemsScreen(ModalScreen[None]):
    """A modal list of the problems of the last scan; Esc closes it."""

    BINDINGS = [
        Binding("escape,q,p", "dismiss_problems", "Close", id="problems.close"),
    ]

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__()
        self.problems = list(problems)

    def compose(self) -> ComposeResult:
        count = len(self.problems)
        with Vertical(id="problems-box"):
            if count:
                title = f"{count} file{'s' if count != 1 else ''} could not be read"
            else:
                title = "Every file was read: no problems"
            yield Static(title, id="problems-title", markup=False)
            yield OptionList(*(Option(problem_prompt(p)) for p in self.problems), id="problems-list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_dismiss_problems(self) -> None:
        self.dismiss(None)
