"""Turns one free-text message into a ``Reply``, the same way for the chat and for ``accbot ask``.

Interpreters are tried in order; the first that recognises the text answers. More specific readings
(a statement of one's own credits, a conversion question) come before the general question answering,
which always answers (possibly "not found"). Nothing here stores anything: saving is offered through
buttons that the chat handlers act on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.answers.i18n import Translator, text_language
from bot.answers.reply import Reply

Interpreter = Callable[[str, str], Reply | None]

MAX_TEXT_CHARS = 600


@dataclass
class Responder:
    interpreters: Sequence[Interpreter]
    fallback: Callable[[str, str], Reply]
    t: Translator

    def respond(self, text: str, lang: str) -> Reply:
        """Answer in the language the text is written in; ``lang`` (the user's) when that is unclear."""
        text = text.strip()
        lang = text_language(text) or lang
        if not text:
            return Reply(self.t(lang, "text.empty"), kind="error")
        if len(text) > MAX_TEXT_CHARS:
            return Reply(self.t(lang, "text.too_long", limit=MAX_TEXT_CHARS), kind="error")
        for interpret in self.interpreters:
            reply = interpret(text, lang)
            if reply is not None:
                return reply
        return self.fallback(text, lang)
