"""Webhook mode, as deployed: a real `accbot run` process registers the webhook with Telegram (the Bot API double
over HTTP), refuses posts without the secret header, answers those with it, and refuses bad settings."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.infra.botapi_double import BotApiDouble
from bot.infra.botapi_http import BotApiHttpServer
from tests.auxil.live import LiveBot, bot_env, wait_until

SECRET = "Shanxi_2026-webhook-secret"
URL = "https://bot.example.org/tg/hook"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _post(port: int, secret: str | None, update: dict[str, object]) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(f"http://127.0.0.1:{port}/tg/hook", data=json.dumps(update).encode(),
                                     headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return -1  # not listening yet


async def test_webhook_is_registered_refuses_forged_posts_and_answers_telegrams(tmp_path: Path) -> None:
    double = BotApiDouble()
    port = _free_port()
    async with BotApiHttpServer(double) as server:
        env = bot_env(tmp_path / "hook.sqlite3", server.base_url, TELEGRAM_WEBHOOK_URL=URL,
                      TELEGRAM_WEBHOOK_SECRET=SECRET, WEBHOOK_LISTEN=f"127.0.0.1:{port}")
        async with LiveBot(env, tmp_path) as bot:
            await wait_until(lambda: any(m == "setWebhook" for m, _ in double.calls), 60, "setWebhook")
            [registered] = [p for m, p in double.calls if m == "setWebhook"]
            assert registered["url"] == URL
            assert registered["secret_token"] == SECRET
            assert sorted(registered["allowed_updates"]) == ["callback_query", "message"]

            forged = double.message_update(7001, "每年需要多少学分")
            deadline = time.monotonic() + 30
            status = await asyncio.to_thread(_post, port, "wrong-secret", forged)
            while status == -1 and time.monotonic() < deadline:  # the listener comes up just after setWebhook
                await asyncio.sleep(0.1)
                status = await asyncio.to_thread(_post, port, "wrong-secret", forged)
            assert status in (401, 403)
            assert await asyncio.to_thread(_post, port, None, double.message_update(7002, "每年需要多少学分")) in (
                401, 403)

            assert await asyncio.to_thread(_post, port, SECRET, double.message_update(7003, "每年需要多少学分")) == 200
            await wait_until(lambda: bool(double.chat(7003)), 20, "the answer to the authorised post")
            assert "90" in double.chat(7003)[0].text
            assert await bot.terminate() == 0, bot.output()
    assert double.chat(7001) == [] and double.chat(7002) == [], "a post without the secret reached a handler"
    assert not any(m == "deleteWebhook" for m, _ in double.calls), "webhook mode must not switch to polling"


@pytest.mark.parametrize(("secret", "why"), [
    (None, "required"),
    ("has space", "A-Z a-z 0-9 _ -"),
    ("秘密", "A-Z a-z 0-9 _ -"),
    ("x" * 257, "1-256"),
])
def test_a_webhook_without_a_valid_secret_is_one_line_and_status_2(tmp_path: Path, secret: str | None,
                                                                   why: str) -> None:
    env = bot_env(tmp_path / "x.sqlite3", TELEGRAM_WEBHOOK_URL=URL)
    if secret is not None:
        env["TELEGRAM_WEBHOOK_SECRET"] = secret
    proc = subprocess.run([sys.executable, "-m", "bot", "run"], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "TELEGRAM_WEBHOOK_SECRET" in lines[0] and why in lines[0]
    assert secret is None or secret not in lines[0], "the secret itself is never printed"
    assert not (tmp_path / "x.sqlite3").exists()


def test_webhook_url_must_be_https(tmp_path: Path) -> None:
    env = bot_env(tmp_path / "x.sqlite3", TELEGRAM_WEBHOOK_URL="http://bot.example.org/hook",
                  TELEGRAM_WEBHOOK_SECRET=SECRET)
    proc = subprocess.run([sys.executable, "-m", "bot", "run"], env=env, cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2 and "TELEGRAM_WEBHOOK_URL" in proc.stderr and "https" in proc.stderr
