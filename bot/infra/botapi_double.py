"""An in-process stand-in for the Telegram Bot API.

It serves the same methods the bot's core flows use (getMe, getUpdates, sendMessage, editMessageText,
editMessageReplyMarkup, answerCallbackQuery, deleteMessage, setMyCommands, sendChatAction …) from memory.
Three things run on it: ``accbot chat`` (the terminal plays the user), the handler tests (they drive the real
``Application``), and, behind ``bot.infra.botapi_http``, tests and benchmarks over real HTTP on 127.0.0.1.
It is the idea of PTB's own ``OfflineRequest``: replace the network, keep the whole bot.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_USER = {"id": 777000111, "is_bot": True, "first_name": "accbot", "username": "accbot_local_bot"}
_STUBBED = {
    "setMyCommands": True, "deleteMyCommands": True, "getMyCommands": [], "sendChatAction": True,
    "setMyDescription": True, "setMyShortDescription": True, "setChatMenuButton": True,
    "deleteWebhook": True, "setWebhook": True, "close": True, "logOut": True,
}


@dataclass
class SentMessage:
    """A message as the bot left it (edits applied)."""

    chat_id: int
    message_id: int
    text: str
    reply_markup: dict[str, Any] | None = None
    edits: int = 0
    deleted: bool = False

    @property
    def buttons(self) -> list[tuple[str, str]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]


@dataclass
class BotApiDouble:
    """Telegram as far as the bot can tell; everything observable for tests and the terminal."""

    bot_user: dict[str, Any] = field(default_factory=lambda: dict(BOT_USER))
    messages: dict[tuple[int, int], SentMessage] = field(default_factory=dict)
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)
    forbidden_chats: set[int] = field(default_factory=set)
    retry_after: dict[int, int] = field(default_factory=dict)  # chat -> seconds, served once
    fail_methods: set[str] = field(default_factory=set)  # methods that answer 400, for failure tests
    on_event: Callable[[str, SentMessage | dict[str, Any]], None] | None = None
    latency: float = 0.0  # seconds every call but getUpdates takes, as Telegram's round trip does
    # Fault injection for tests: called with (method, params) before serving; "5xx" answers 502 without doing
    # anything, "lost" does the call and then holds the answer for ``lost_delay`` s (the bot times out).
    fault: Callable[[str, dict[str, Any]], str | None] | None = None
    lost_delay: float = 1.0
    polls: int = 0  # getUpdates calls served: the bot is up once this moves
    in_flight: dict[int, int] = field(default_factory=dict)  # chat -> calls being served right now
    most_in_flight: int = 0  # the most calls served at once, over all chats
    most_in_flight_per_chat: int = 0

    def __post_init__(self) -> None:
        self._ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        self._updates: asyncio.Queue[dict[str, Any]] | None = None
        # Telegram's delivery contract: an update fetched by getUpdates stays "unconfirmed" until a later call
        # passes an offset above its id, and an unconfirmed update is served again (to a restarted bot).
        self._unconfirmed: list[dict[str, Any]] = []
        self.confirmed_offset = 0

    # ------------------------------------------------------------------ the user's side
    @property
    def updates(self) -> asyncio.Queue[dict[str, Any]]:
        if self._updates is None:
            self._updates = asyncio.Queue()
        return self._updates

    def user(self, user_id: int, language_code: str | None = "zh-hans") -> dict[str, Any]:
        data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if language_code:
            data["language_code"] = language_code
        return data

    def message_update(self, user_id: int, text: str | None = None, *, chat_id: int | None = None,
                       language_code: str | None = "zh-hans", **content: Any) -> dict[str, Any]:
        """An update carrying a user's message; ``content`` adds e.g. ``sticker=…`` for non-text."""
        chat = chat_id if chat_id is not None else user_id
        message: dict[str, Any] = {
            "message_id": next(self._ids), "date": int(time.time()),
            "chat": {"id": chat, "type": "private" if chat > 0 else "group",
                     **({"first_name": f"User{user_id}"} if chat > 0 else {"title": f"Group {chat}"})},
            "from": self.user(user_id, language_code),
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                length = len(text.split(maxsplit=1)[0])
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        message.update(content)
        return {"update_id": next(self._update_ids), "message": message}

    def callback_update(self, user_id: int, message: SentMessage, data: str,
                        language_code: str | None = "zh-hans") -> dict[str, Any]:
        """An update for pressing a button with ``data`` on ``message`` (data may be forged)."""
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": str(next(self._ids)), "from": self.user(user_id, language_code),
                "chat_instance": str(message.chat_id), "data": data,
                "message": {
                    "message_id": message.message_id, "date": int(time.time()),
                    "chat": {"id": message.chat_id, "type": "private"}, "from": self.bot_user,
                    "text": message.text,
                    **({"reply_markup": message.reply_markup} if message.reply_markup else {}),
                },
            },
        }

    def chat(self, chat_id: int) -> list[SentMessage]:
        """What the bot has shown in a chat, oldest first (deleted messages left out)."""
        return [m for (c, _), m in sorted(self.messages.items()) if c == chat_id and not m.deleted]

    def last(self, chat_id: int) -> SentMessage:
        shown = self.chat(chat_id)
        if not shown:
            raise AssertionError(f"the bot sent nothing to chat {chat_id}")
        return max(shown, key=lambda m: m.message_id)

    # ------------------------------------------------------------------ the bot's side
    def _message_json(self, m: SentMessage, edited: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": m.message_id, "date": int(time.time()), "from": self.bot_user,
            "chat": {"id": m.chat_id, "type": "private" if m.chat_id > 0 else "group"}, "text": m.text,
        }
        if m.reply_markup:
            data["reply_markup"] = m.reply_markup
        if edited:
            data["edit_date"] = int(time.time())
        return data

    @staticmethod
    def _error(code: int, description: str, **extra: Any) -> tuple[int, dict[str, Any]]:
        return code, {"ok": False, "error_code": code, "description": description, **extra}

    async def call(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Serve one Bot API call; returns (HTTP status, JSON body) as Telegram would."""
        if method == "getUpdates":
            return 200, {"ok": True, "result": await self._get_updates(params)}
        verdict = self.fault(method, params) if self.fault is not None else None
        if verdict == "5xx":
            return self._error(502, "Bad Gateway")
        status, body = await self._serve(method, params)
        if verdict == "lost":
            await asyncio.sleep(self.lost_delay)
        return status, body

    async def _serve(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.calls.append((method, params))
        if self.latency:
            chat = int(params.get("chat_id", 0) or 0)
            self.in_flight[chat] = self.in_flight.get(chat, 0) + 1
            self.most_in_flight = max(self.most_in_flight, sum(self.in_flight.values()))
            self.most_in_flight_per_chat = max(self.most_in_flight_per_chat, self.in_flight[chat])
            try:
                await asyncio.sleep(self.latency)
            finally:
                self.in_flight[chat] -= 1
        if method in self.fail_methods:
            return self._error(400, f"Bad Request: {method} failed (test double)")
        if method == "getMe":
            return 200, {"ok": True, "result": self.bot_user}
        if method in _STUBBED:
            return 200, {"ok": True, "result": _STUBBED[method]}
        chat_id = int(params.get("chat_id", 0) or 0)
        if chat_id in self.forbidden_chats:
            return self._error(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.retry_after:
            wait = self.retry_after.pop(chat_id)
            return self._error(429, f"Too Many Requests: retry after {wait}",
                               parameters={"retry_after": wait})
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return self._error(400, f"Bad Request: method {method} is not supported by the double")
        return handler(params, chat_id)

    def _markup(self, params: dict[str, Any]) -> dict[str, Any] | None:
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        return markup if markup and markup.get("inline_keyboard") else None

    def _emit(self, kind: str, payload: SentMessage | dict[str, Any]) -> None:
        if self.on_event is not None:
            self.on_event(kind, payload)

    def _m_sendMessage(self, params: dict[str, Any], chat_id: int) -> tuple[int, dict[str, Any]]:
        text = str(params.get("text", ""))
        if not 1 <= len(text) <= 4096:
            return self._error(400, "Bad Request: message text is empty or too long")
        m = SentMessage(chat_id, next(self._ids), text, self._markup(params))
        self.messages[(chat_id, m.message_id)] = m
        self._emit("message", m)
        return 200, {"ok": True, "result": self._message_json(m)}

    def _find(self, params: dict[str, Any], chat_id: int) -> SentMessage | None:
        m = self.messages.get((chat_id, int(params.get("message_id", 0))))
        return None if m is None or m.deleted else m

    def _m_editMessageText(self, params: dict[str, Any], chat_id: int) -> tuple[int, dict[str, Any]]:
        m = self._find(params, chat_id)
        if m is None:
            return self._error(400, "Bad Request: message to edit not found")
        text = str(params.get("text", ""))
        if not 1 <= len(text) <= 4096:
            return self._error(400, "Bad Request: message text is empty or too long")
        markup = self._markup(params)
        if text == m.text and markup == m.reply_markup:
            return self._error(400, "Bad Request: message is not modified")
        m.text, m.reply_markup, m.edits = text, markup, m.edits + 1
        self._emit("edit", m)
        return 200, {"ok": True, "result": self._message_json(m, edited=True)}

    def _m_editMessageReplyMarkup(self, params: dict[str, Any], chat_id: int) -> tuple[int, dict[str, Any]]:
        m = self._find(params, chat_id)
        if m is None:
            return self._error(400, "Bad Request: message to edit not found")
        m.reply_markup, m.edits = self._markup(params), m.edits + 1
        self._emit("edit", m)
        return 200, {"ok": True, "result": self._message_json(m, edited=True)}

    def _m_deleteMessage(self, params: dict[str, Any], chat_id: int) -> tuple[int, dict[str, Any]]:
        m = self._find(params, chat_id)
        if m is None:
            return self._error(400, "Bad Request: message to delete not found")
        m.deleted = True
        return 200, {"ok": True, "result": True}

    def _m_answerCallbackQuery(self, params: dict[str, Any], chat_id: int) -> tuple[int, dict[str, Any]]:
        self.answers.append(params)
        if params.get("text"):
            self._emit("answer", params)
        return 200, {"ok": True, "result": True}

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        self.polls += 1
        offset = int(params.get("offset", 0) or 0)
        if offset > 0:
            self.confirmed_offset = max(self.confirmed_offset, offset)
            self._unconfirmed = [u for u in self._unconfirmed if u["update_id"] >= offset]
        if self._unconfirmed:
            return list(self._unconfirmed[:100])
        timeout = float(params.get("timeout", 0) or 0)
        batch: list[dict[str, Any]] = []
        try:
            batch.append(await asyncio.wait_for(self.updates.get(), timeout=max(timeout, 0.01)))
        except TimeoutError:
            return []
        while not self.updates.empty() and len(batch) < 100:
            batch.append(self.updates.get_nowait())
        self._unconfirmed = list(batch)
        return batch


class DoubleRequest(BaseRequest):
    """A PTB request object that talks to a :class:`BotApiDouble` instead of the network."""

    def __init__(self, double: BotApiDouble, read_timeout: float | None = 5.0) -> None:
        self.double = double
        self._read_timeout = read_timeout

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | None = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
        write_timeout: float | None = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
        connect_timeout: float | None = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
        pool_timeout: float | None = BaseRequest.DEFAULT_NONE,  # type: ignore[assignment]
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        status, body = await self.double.call(api_method, dict(params))
        return status, json.dumps(body).encode()
