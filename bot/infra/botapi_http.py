"""The Bot API double served over real HTTP on 127.0.0.1.

With ``TELEGRAM_BASE_URL=http://127.0.0.1:PORT/bot`` the bot talks to it through its real aiohttp
transport, so tests and benchmarks exercise the network path (encoding, status codes, timeouts) without
leaving the machine. Only loopback addresses are accepted.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any
from urllib.parse import parse_qsl

from bot.infra.botapi_double import BotApiDouble

log = logging.getLogger(__name__)

# Parameters PTB sends as plain strings; every other form value is JSON-encoded by PTB.
_STRING_PARAMS = {"text", "callback_query_id", "parse_mode", "url", "language_code", "description",
                  "short_description", "name", "action"}


def _decode_form(body: bytes) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key, value in parse_qsl(body.decode(), keep_blank_values=True):
        if key in _STRING_PARAMS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except json.JSONDecodeError:
            params[key] = value
    return params


class BotApiHttpServer:
    def __init__(self, double: BotApiDouble, host: str = "127.0.0.1", port: int = 0, latency: float = 0.0) -> None:
        if not host.startswith("127.") and host not in {"localhost", "::1"}:
            raise ValueError("the Bot API double listens on loopback only")
        self.double = double
        self.latency = latency  # seconds before answering a call other than getUpdates, as Telegram's ~0.15 s
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None
        self._clients: set[asyncio.Task[None]] = set()  # connection handlers, ended by stop()
        self.requests = 0

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            for task in self._clients:  # a keep-alive connection's handler waits for its next request
                task.cancel()
            await asyncio.gather(*self._clients, return_exceptions=True)
            try:
                await asyncio.wait_for(self._server.wait_closed(), timeout=1)
            except TimeoutError:  # a client still holds a keep-alive connection; closing is enough
                log.debug("the Bot API double's server did not close within 1 s")
            self._server = None

    async def __aenter__(self) -> BotApiHttpServer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._clients.add(task)
            task.add_done_callback(self._clients.discard)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                _, path, _ = lines[0].split(" ", 2)
                headers = {k.strip().lower(): v.strip() for k, v in
                           (ln.split(":", 1) for ln in lines[1:] if ":" in ln)}
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                status, payload = await self._dispatch(path, headers.get("content-type", ""), body)
                data = json.dumps(payload).encode()
                writer.write(
                    f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(data)}\r\nConnection: keep-alive\r\n\r\n".encode() + data
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the client closed the connection: nothing to answer
        except asyncio.CancelledError:
            # stop() ends idle keep-alive handlers. The handler returns instead of ending cancelled: Python
            # 3.11's start_server callback calls task.exception() on it, which raises for a cancelled task
            # and is logged as an "unhandled exception in client_connected_cb".
            log.debug("a Bot API double connection was closed by stop()")
        finally:
            writer.close()

    async def _dispatch(self, path: str, content_type: str, body: bytes) -> tuple[int, dict[str, Any]]:
        self.requests += 1
        method = path.split("?", 1)[0].rsplit("/", 1)[-1]
        if self.latency and method != "getUpdates":
            await asyncio.sleep(self.latency)
        params = json.loads(body or b"{}") if "json" in content_type else _decode_form(body)
        return await self.double.call(method, params)
