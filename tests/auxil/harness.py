"""Drive the real Application as a Telegram user would, through the in-process Bot API double."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.app import build_application, start_application, stop_application
from bot.infra.botapi_double import BotApiDouble, DoubleRequest, SentMessage
from bot.services import Services

ADMIN_ID = 9001  # an admin in the test settings (ADMIN_IDS)


async def start_app(services: Services, double: BotApiDouble) -> Application:  # type: ignore[type-arg]
    """The real Application answering through ``double``, started as ``run_polling`` starts it (post_init opens
    the database, starts the job queue and the broadcast drainer); stop it with ``stop_application``."""
    app = build_application(services, request=DoubleRequest(double))
    await start_application(app)
    return app


@asynccontextmanager
async def running_chat(services: Services, double: BotApiDouble) -> AsyncIterator[ChatHarness]:
    """A started Application wrapped in a :class:`ChatHarness`, stopped (post_stop, shutdown) on the way out."""
    app = await start_app(services, double)
    try:
        yield ChatHarness(app, double)
    finally:
        await stop_application(app)


class ChatHarness:
    def __init__(self, app: Application, double: BotApiDouble) -> None:  # type: ignore[type-arg]
        self.app = app
        self.double = double

    async def feed(self, data: dict[str, Any]) -> None:
        await self.app.process_update(Update.de_json(data, self.app.bot))

    async def send(self, user_id: int, text: str | None = None, *, lang: str | None = "zh-hans",
                   chat_id: int | None = None, **content: Any) -> list[SentMessage]:
        """The user sends a message; returns what the bot sent or edited in that chat in response."""
        chat = chat_id if chat_id is not None else user_id
        before = self._snapshot(chat)
        await self.feed(self.double.message_update(user_id, text, chat_id=chat_id, language_code=lang,
                                                   **content))
        return self._changed(chat, before)

    async def press(self, user_id: int, label: str | None = None, *, data: str | None = None,
                    message: SentMessage | None = None, lang: str | None = "zh-hans") -> list[SentMessage]:
        """Press the newest button whose label contains ``label`` (or send forged ``data``)."""
        target = message
        if label is not None:
            target, data = self.find_button(user_id, label)
        if target is None:
            target = self.double.last(user_id)
        assert data is not None
        before = self._snapshot(user_id)
        await self.feed(self.double.callback_update(user_id, target, data, lang))
        return self._changed(user_id, before)

    def find_button(self, chat_id: int, label: str) -> tuple[SentMessage, str]:
        for message in reversed(self.double.chat(chat_id)):
            for text, data in message.buttons:
                if label in text:
                    return message, data
        shown = [t for m in self.double.chat(chat_id) for t, _ in m.buttons]
        raise AssertionError(f"no button {label!r} in chat {chat_id}; buttons: {shown}")

    def texts(self, chat_id: int) -> list[str]:
        return [m.text for m in self.double.chat(chat_id)]

    def last_answer(self, user_id: int) -> str | None:
        return str(self.double.answers[-1].get("text")) if self.double.answers else None

    def _snapshot(self, chat: int) -> dict[int, tuple[str, int]]:
        return {m.message_id: (m.text, m.edits) for m in self.double.chat(chat)}

    def _changed(self, chat: int, before: dict[int, tuple[str, int]]) -> list[SentMessage]:
        return [m for m in self.double.chat(chat) if before.get(m.message_id) != (m.text, m.edits)]
