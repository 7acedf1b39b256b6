"""Webhook mode with python-telegram-bot's own server (the ``webhooks`` extra, tornado).

Why PTB's server and not our own: it already registers the webhook (``setWebhook`` with the URL, the secret
and ``allowed_updates``, with PTB's bootstrap retries), refuses a POST whose ``X-Telegram-Bot-Api-Secret-Token``
header is missing or wrong with 403 before anything is parsed, answers 200 only once the update is queued, and
on stop closes the listener before the Application drains its queue. So the handlers, the dispatcher job and
the broadcast drainer run exactly as they do under long polling; only the source of updates differs.

The bot listens on ``WEBHOOK_LISTEN`` (plain HTTP, normally 127.0.0.1) behind a reverse proxy that terminates
TLS; the path it serves is the path of ``TELEGRAM_WEBHOOK_URL``, so the proxy forwards that path unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from telegram.ext import Application

from bot.infra.config import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class WebhookPlan:
    """Where to listen and what to register, derived from the settings (validated there)."""

    host: str
    port: int
    path: str
    url: str
    secret: str


def webhook_plan(settings: Settings) -> WebhookPlan | None:
    """None in polling mode (no ``TELEGRAM_WEBHOOK_URL``)."""
    if not settings.telegram_webhook_url or not settings.webhook_secret:
        return None
    host, _, port = settings.webhook_listen.rpartition(":")
    return WebhookPlan(host=host.strip("[]"), port=int(port), path=urlsplit(settings.telegram_webhook_url).path,
                       url=settings.telegram_webhook_url, secret=settings.webhook_secret)


def run_webhook(app: Application, plan: WebhookPlan, allowed_updates: Sequence[str],  # type: ignore[type-arg]
                *, bootstrap_retries: int = -1) -> None:
    """Serve until SIGTERM/SIGINT; the shutdown is PTB's (listener closed, queue drained, post_stop hooks).
    ``bootstrap_retries`` as for polling: -1 retries ``setWebhook`` with back-off while Telegram is unreachable."""
    log.info("serving the webhook on %s:%d%s", plan.host, plan.port, plan.path or "/")
    app.run_webhook(
        listen=plan.host,
        port=plan.port,
        url_path=plan.path.lstrip("/"),
        webhook_url=plan.url,
        secret_token=plan.secret,
        allowed_updates=list(allowed_updates),
        drop_pending_updates=False,
        bootstrap_retries=bootstrap_retries,
    )
