"""What the app told the user, caught as it was told.

    notices = Notices()
    async with app.run_test(message_hook=notices) as pilot:
        ...
        assert "Bookmarked 00:01:30" in notices.messages

Every notification the app shows passes through a `Notify` message, so the hook
sees them all, including those that have already timed out.
"""

from __future__ import annotations

from textual.message import Message
from textual.notifications import Notification, Notify


class Notices:
    """A `run_test(message_hook=...)` that keeps every notification shown."""

    def __init__(self) -> None:
        self.shown: list[Notification] = []

    def __call__(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.shown.append(message.notification)

    @property
    def messages(self) -> list[str]:
        return [n.message for n in self.shown]
