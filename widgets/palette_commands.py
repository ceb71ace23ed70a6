"""The command palette's provider: the key bindings and the own commands of the screen it was opened over.

Names and help come from files (a title "Inside OpenAI [Entire Talk]"), and
Textual's palette reads plain strings as markup, which ate bracketed text:
the names go in as Content built from plain text, the help with its markup
escaped.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape


class TalkshelfCommands(Provider):
    """Every action reachable from where the palette was opened: its key bindings and the screen's own commands."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        screen = self.screen
        app = self.app
        commands: list[tuple[str, str, Callable[[], object]]] = []
        if hasattr(screen, "palette_commands"):
            commands.extend(screen.palette_commands())
        names = {name.casefold() for name, _, _ in commands}
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or not active.enabled:
                continue
            name = binding.description
            if name.casefold() in names or name in ("Palette", "Keys"):
                continue
            names.add(name.casefold())
            shown_key = app.get_key_display(binding)
            commands.append((name, f"key: {shown_key}", partial(app.run_action, binding.action, active.node)))
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(Content(name), callback, text=name, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, _highlight(matcher, name), callback, text=name, help=escape(help_text))


def _highlight(matcher, name: str) -> Content:
    """The name as plain text with the matched letters styled (the matcher's own highlight parses markup)."""
    content = Content(name)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, name)
    for offset in offsets:
        if not name[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
