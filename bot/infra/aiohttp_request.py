"""PTB's network layer on aiohttp instead of httpx.

Why: in a crowd (100 users at once, each answer a Bot API call that Telegram holds for ~150 ms), the bot's CPU
goes almost entirely to the HTTP client, not to answering. httpx/httpcore spend about 2–3 ms of Python per call
with a hundred calls in flight (the pool re-scans every connection on each request and each response, and looks
for the optional ``sniffio`` on every call); aiohttp's C-accelerated client does the same call for a fraction of
that, so the last user of a crowd gets their answer sooner. ``bench/load.py`` prints the numbers.

Errors map as PTB's own ``HTTPXRequest`` maps them: a time-out (connecting, waiting for a free connection, or
reading the answer) is ``TimedOut``; anything else that goes wrong on the wire is ``NetworkError``. Their
messages say whether the call can have reached Telegram (:data:`NOT_SENT`), which delivery needs to know
(``handlers/sending.py``): sending again after a call that may have arrived can repeat the message.
"""

from __future__ import annotations

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

_DEFAULT = BaseRequest.DEFAULT_NONE
TRANSPORT = "aiohttp."  # every network error raised here starts so (a 5xx answer from Telegram does not)
NOT_SENT = TRANSPORT + "not sent: "  # the call never left: sending again cannot repeat it


class AiohttpRequest(BaseRequest):
    """One ``aiohttp.ClientSession`` with a bounded connection pool; made per loop in :meth:`initialize`."""

    def __init__(self, *, connection_pool_size: int = 256, read_timeout: float | None = 5.0,
                 connect_timeout: float | None = 5.0, pool_timeout: float | None = 1.0) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            # trust_env: HTTPS_PROXY / ALL_PROXY from the environment apply, as they did under httpx; no cookies.
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size, limit_per_host=self._pool_size),
                headers={"User-Agent": self.USER_AGENT}, cookie_jar=aiohttp.DummyCookieJar(), trust_env=True,
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | None = _DEFAULT,  # type: ignore[assignment]
        write_timeout: float | None = _DEFAULT,  # type: ignore[assignment]  # aiohttp has none: a form is small
        connect_timeout: float | None = _DEFAULT,  # type: ignore[assignment]
        pool_timeout: float | None = _DEFAULT,  # type: ignore[assignment]
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        read = self._read_timeout if read_timeout is _DEFAULT else read_timeout
        connect = self._connect_timeout if connect_timeout is _DEFAULT else connect_timeout
        pool = self._pool_timeout if pool_timeout is _DEFAULT else pool_timeout
        # aiohttp's "connect" covers waiting for a pooled connection and opening it, so it gets both budgets
        # (None, as in PTB, is no limit).
        both = None if connect is None or pool is None else connect + pool
        timeout = aiohttp.ClientTimeout(total=None, connect=both, sock_read=read)
        try:
            async with self._session.request(method, url, data=_body(request_data), timeout=timeout) as response:
                return response.status, await response.read()
        except aiohttp.ConnectionTimeoutError as err:  # no connection in time (pooled or new): nothing was sent
            raise TimedOut(f"{NOT_SENT}ConnectTimeout: {err}") from err
        except TimeoutError as err:  # the answer did not come in time: Telegram may have processed the call
            raise TimedOut from err
        except aiohttp.ClientConnectorError as err:  # could not connect: nothing was sent
            raise NetworkError(f"{NOT_SENT}ConnectError: {err}") from err
        except aiohttp.ClientError as err:  # e.g. the connection dropped mid-answer: outcome unknown
            raise NetworkError(f"{TRANSPORT}{err.__class__.__name__}: {err}") from err


def _body(request_data: RequestData | None) -> dict[str, str] | None:
    """Form fields as PTB encodes them (each value JSON-encoded). The bot sends no files, so there is no
    multipart form here; a call with files is refused rather than sent without them."""
    if request_data is None:
        return None
    if request_data.multipart_data:
        raise NetworkError("AiohttpRequest does not upload files")
    return request_data.json_parameters
