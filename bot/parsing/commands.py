"""The command in front of what a user typed, spelt as Telegram spells commands (``/f2f``, ``/add@accbot``).

One pattern for every parser that may be handed a whole message: a command is a slash, then Latin letters,
digits or underscores, optionally addressed to a bot (``@name``).
"""

from __future__ import annotations

import re

COMMAND = re.compile(r"^\s*/[A-Za-z0-9_]+(?:@\w+)?\s*")


def strip_command(text: str) -> str:
    """``/credits@accbot 专业 40`` → ``专业 40``; text that does not start with a command comes back as is."""
    return COMMAND.sub("", text, count=1)
