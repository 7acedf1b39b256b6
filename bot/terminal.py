"""``accbot chat``: the whole bot in a terminal.

The real ``Application`` runs with its handlers, storage and job queue; Telegram is replaced by the
in-process Bot API double, which the terminal feeds with the user's lines and whose outgoing messages it
prints. Inline buttons are shown numbered; typing the number presses the button.
"""

from __future__ import annotations

import asyncio
import sys
from typing import TextIO

from telegram.ext import Application

from bot.answers.i18n import normalize_language, translator
from bot.app import start_application, stop_application
from bot.infra.botapi_double import BotApiDouble, DoubleRequest, SentMessage


class TerminalChat:
    def __init__(self, app_factory, double: BotApiDouble, *, user_id: int, language_code: str,
                 out: TextIO = sys.stdout) -> None:
        self.double = double
        self.user_id = user_id
        self.language_code = language_code
        self.out = out
        self._buttons: list[tuple[SentMessage, str, str]] = []
        self._events = 0
        double.on_event = self._show
        self.app: Application = app_factory(DoubleRequest(double))  # type: ignore[type-arg]

    def _show(self, kind: str, payload: object) -> None:
        self._events += 1
        if kind == "answer":
            text = payload.get("text") if isinstance(payload, dict) else None
            if text:
                print(f"  [{text}]", file=self.out)
            return
        if not isinstance(payload, SentMessage) or payload.chat_id != self.user_id:
            return
        marker = "bot (edited)" if kind == "edit" else "bot"
        print(f"\n{marker}> " + payload.text.replace("\n", "\n     "), file=self.out)
        buttons = payload.buttons
        if buttons:
            self._buttons = [(payload, label, data) for label, data in buttons]
            for i, (label, _) in enumerate(buttons, 1):
                print(f"     [{i}] {label}", file=self.out)
        self.out.flush()

    def _update_for(self, line: str) -> dict[str, object] | None:
        """The update a typed line stands for; ``None`` for a button number that is not on the screen (it is
        a mistyped press, not a question, so it is neither sent nor logged as unanswered)."""
        if line.isdigit() and len(line) <= 2:
            if self._buttons and 1 <= int(line) <= len(self._buttons):
                message, _, data = self._buttons[int(line) - 1]
                return self.double.callback_update(self.user_id, message, data, self.language_code)
            lang = normalize_language(self.language_code)
            print("  [" + translator()(lang, "chat.no_button", n=line, count=len(self._buttons)) + "]",
                  file=self.out)
            return None
        return self.double.message_update(self.user_id, line, language_code=self.language_code)

    async def run(self, lines: TextIO = sys.stdin, banner: str = "") -> None:
        app = self.app
        await start_application(app, poll=True)
        if banner:
            print(banner, file=self.out)
        loop = asyncio.get_running_loop()
        try:
            while True:
                print("\nyou> ", end="", file=self.out, flush=True)
                line = await loop.run_in_executor(None, lines.readline)
                if not line:
                    break
                line = line.strip()
                if not lines.isatty():
                    print(line, file=self.out)  # piped input: keep the transcript readable
                if line in {"/quit", "/exit"}:
                    break
                if not line:
                    continue
                update = self._update_for(line)
                if update is None:
                    continue
                await self.double.updates.put(update)
                await self._settle()
        finally:
            await stop_application(app)

    async def _settle(self) -> None:
        """Wait for the bot's answer (first output, then a short quiet spell) before prompting again."""
        before = self._events
        for _ in range(250):
            await asyncio.sleep(0.02)
            if self._events > before:
                break
        quiet_since = self._events
        while True:
            await asyncio.sleep(0.15)
            if self._events == quiet_since:
                return
            quiet_since = self._events
