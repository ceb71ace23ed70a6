"""What a reader types to go to a moment: `1:23:45`, `83:20`, `45%`, `+30s`, `-2m`.

One parser for the go-to-time prompt and `--at` on the command line, so both
take the same forms:

- clock times: `1:23:45`, `83:20` (minutes may run past 59), `:45`;
- durations with units: `90s`, `2m`, `1h5m`, `1.5h`; a bare number is seconds;
- a share of the talk: `45%` (needs the talk's length);
- any of those after `+` or `-`: that far from where the cursor is.

No Textual import: the CLI and the tests use it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FORMS = "1:23:45, 83:20, 90s, 2m, 1h5m, 45%, +30s, -2m"

_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0}
_UNIT_TERM = re.compile(r"(\d+(?:\.\d+)?)\s*([hms])")
_NUMBER = r"\d+(?:\.\d+)?"


class TimeInputError(ValueError):
    """The text is not a time; the message says which forms are."""


@dataclass(frozen=True, slots=True)
class TimeTarget:
    """A parsed time: `value` seconds (or percent), absolute or relative to the cursor."""

    value: float
    relative: int = 0  # +1 forward, -1 back, 0 absolute
    percent: bool = False

    def resolve(self, current: float = 0.0, duration: float | None = None) -> float:
        """Seconds from the start of the talk, never below 0 nor past `duration` when known."""
        amount = self.value
        if self.percent:
            if not duration:
                raise TimeInputError("this talk's length is unknown, so a percentage cannot be placed")
            amount = duration * amount / 100.0
        seconds = current + self.relative * amount if self.relative else amount
        seconds = max(0.0, seconds)
        if duration:
            seconds = min(seconds, duration)
        return seconds


def _error(text: str) -> TimeInputError:
    return TimeInputError(f"not a time: {text!r} (try {FORMS})")


def _amount(body: str, original: str) -> tuple[float, bool]:
    """Seconds (or a percentage, with True) of an unsigned time expression."""
    if body.endswith("%"):
        number = body[:-1].strip()
        if not re.fullmatch(_NUMBER, number):
            raise _error(original)
        value = float(number)
        if value > 100:
            raise TimeInputError(f"{original!r}: a percentage runs from 0% to 100%")
        return value, True
    if ":" in body:
        parts = body.split(":")
        if len(parts) > 3 or not all(re.fullmatch(_NUMBER, p) or (p == "" and i == 0) for i, p in enumerate(parts)):
            raise _error(original)
        values = [float(p) if p else 0.0 for p in parts]
        # The first field may run past its usual range (83:20 is 83 min 20 s); the others may not.
        if any(v >= 60 for v in values[1:]):
            raise TimeInputError(f"{original!r}: minutes and seconds after a colon run from 00 to 59")
        seconds = 0.0
        for v in values:
            seconds = seconds * 60 + v
        return seconds, False
    if re.fullmatch(_NUMBER, body):
        return float(body), False
    compact = body.replace(" ", "")
    terms = _UNIT_TERM.findall(compact)
    if not terms or "".join(n + u for n, u in terms) != compact:
        raise _error(original)
    units = [u for _, u in terms]
    if len(set(units)) != len(units):
        raise _error(original)
    return sum(float(n) * _UNITS[u] for n, u in terms), False


def parse_time_input(text: str) -> TimeTarget:
    """Parse what the reader typed; raises TimeInputError with a message for them."""
    body = text.strip().lower()
    if not body:
        raise _error(text)
    relative = 0
    if body[0] in "+-":
        relative = 1 if body[0] == "+" else -1
        body = body[1:].strip()
        if not body:
            raise _error(text)
    value, percent = _amount(body, text.strip())
    return TimeTarget(value, relative, percent)


def resolve_time_input(text: str, current: float = 0.0, duration: float | None = None) -> float:
    """`parse_time_input(text).resolve(current, duration)`: seconds from the start."""
    return parse_time_input(text).resolve(current, duration)
