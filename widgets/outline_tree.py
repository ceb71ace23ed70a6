"""The outline: every summary of a talk as a branch, its sections as nodes with their times.

`00:12:34` is a time the summary gives, `~00:12:34` one placed by matching the
section's words against the transcript, `no time` when neither exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tui.model import Role, Talk, format_time
from tui.placement import Placement
from tui.textio import strip_controls

TIME_WIDTH = 9  # "~00:12:34"


@dataclass(slots=True, frozen=True)
class Section:
    doc_index: int  # index in talk.documents
    entry_index: int  # index in that document's outline
    seconds: float | None
    origin: str


DOC_KINDS = {"markdown": "Summary page", "plain": "Summary", "description": "Video description", "info": "Video chapters"}


def time_label(seconds: float | None, origin: str) -> str:
    if seconds is None:
        # "pending": still being matched against the transcript (a moment after opening).
        return ("…" if origin == "pending" else "no time").ljust(TIME_WIDTH)
    text = format_time(seconds)
    return (f"~{text}" if origin == "matched" else f" {text}").ljust(TIME_WIDTH)


class OutlineTree(Tree[Section | int]):
    """Sections of every summary; node data is a Section, or the document index for a branch."""

    DEFAULT_CSS = """
    OutlineTree {
        background: $surface;
    }
    OutlineTree > .outline--time { color: $text-muted; }
    OutlineTree > .outline--matched { color: $text-warning; }
    """
    COMPONENT_CLASSES = {"outline--time", "outline--matched"}
    # j/k move as they do in the panes beside it (the arrows are Tree's own).
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="outline.down"),
        Binding("k", "cursor_up", "Up", show=False, id="outline.up"),
    ]

    class SectionHighlighted(Message):
        """The user moved onto a section (arrow keys): the transcript should go there."""

        def __init__(self, section: Section) -> None:
            super().__init__()
            self.section = section

    class SectionChosen(SectionHighlighted):
        """The user chose a section (Enter, click): as a move there, and a section with no time says so."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("Outline", id=id, classes=classes)
        self.show_root = False
        self.guide_depth = 2
        # Enter and clicks go to a section; space folds a branch (Tree's own binding).
        self.auto_expand = False
        self.sections: list[Section] = []
        self._section_nodes: dict[tuple[int, int], TreeNode[Section | int]] = {}

    def show(self, talk: Talk, placements: list[Placement]) -> None:
        """Build the tree for `talk`, one branch per summary document (again when placements change)."""
        current = self.cursor_node.data if self.cursor_node is not None else None
        self.clear()
        self.sections = [Section(*p) for p in placements]
        self._section_nodes = {}
        by_doc: dict[int, list[Section]] = {}
        for section in self.sections:
            by_doc.setdefault(section.doc_index, []).append(section)
        for doc_index, doc in enumerate(talk.documents):
            if doc.role is not Role.SUMMARY:  # the transcript, its other copies, the media file
                continue
            sections = by_doc.get(doc_index, [])
            # The kind first, so a narrow pane still tells the summaries apart.
            label = Text(DOC_KINDS.get(doc.format, "Summary"), style="bold", no_wrap=True)
            name = strip_controls(doc.title or Path(doc.path).name)
            if doc.title != talk.title:
                label.append(f" · {name}", style="dim")
            if not sections:
                label.append("  no sections", style="italic")
            branch = self.root.add(label, data=doc_index, expand=True, allow_expand=bool(sections))
            stack: list[tuple[int, TreeNode[Section | int]]] = []
            for section in sections:
                entry = doc.outline[section.entry_index]
                while stack and stack[-1][0] >= entry.level:
                    stack.pop()
                parent = stack[-1][1] if stack else branch
                node = parent.add(self._label(section, entry.title), data=section, expand=True)
                stack.append((entry.level, node))
                self._section_nodes[(section.doc_index, section.entry_index)] = node
        # Leaves have nothing to expand: no arrow in front of them.
        for node in self._section_nodes.values():
            node.allow_expand = bool(node.children)
        if isinstance(current, Section):  # a rebuild keeps the cursor on the same section
            self.highlight_section(current)

    def _label(self, section: Section, title: str) -> Text:
        style = "outline--matched" if section.origin == "matched" else "outline--time"
        label = Text(no_wrap=True, end="")
        label.append(time_label(section.seconds, section.origin), self.get_component_rich_style(style, partial=True))
        label.append(" ")
        # Headings are file content: plain text, one line.
        label.append(" ".join(strip_controls(title).split()) or "(untitled)")
        return label

    # -- following the transcript ------------------------------------------

    def section_at(self, seconds: float) -> Section | None:
        """The section covering `seconds`: of all summaries, the one starting last at or before it.

        On a tie the branch the cursor is in wins, so the highlight does not hop between summaries.
        """
        current = self.cursor_node.data if self.cursor_node is not None else None
        preferred = current.doc_index if isinstance(current, Section) else current
        best: Section | None = None
        for section in self.sections:
            if section.seconds is None or section.seconds > seconds:
                continue
            if (
                best is None
                or section.seconds > best.seconds  # type: ignore[operator]
                or section.seconds == best.seconds and section.doc_index == preferred
            ):
                best = section
        return best

    def highlight_section(self, section: Section | None) -> None:
        """Move the tree's cursor to `section` without posting NodeHighlighted (no echo back)."""
        if section is None:
            return
        node = self._section_nodes.get((section.doc_index, section.entry_index))
        if node is None or node is self.cursor_node:
            return
        with self.prevent(Tree.NodeHighlighted):
            parent = node.parent
            while parent is not None:
                if not parent.is_expanded:
                    parent.expand()
                parent = parent.parent
            self._tree_lines  # rebuild line numbers now, so node._line is current
            self.move_cursor(node)

    def highlight_time(self, seconds: float | None) -> None:
        if seconds is None:
            return
        section = self.section_at(seconds)
        if section is not None:
            self.highlight_section(section)
            return
        # Before every section: the summary's own line, not the last section the cursor was on.
        current = self.cursor_node.data if self.cursor_node is not None else None
        if isinstance(current, Section):
            branch = next((n for n in self.root.children if n.data == current.doc_index), None)
            if branch is not None:
                with self.prevent(Tree.NodeHighlighted):
                    self.move_cursor(branch)

    # -- choosing ------------------------------------------------------------

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        # Only the user's own moves through the outline steer the transcript.
        if self.has_focus and isinstance(event.node.data, Section):
            self.post_message(self.SectionHighlighted(event.node.data))

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected) -> None:
        if isinstance(event.node.data, Section):
            self.post_message(self.SectionChosen(event.node.data))
