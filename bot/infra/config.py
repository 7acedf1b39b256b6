"""Settings from the environment and ``.env``, validated once.

One ``Settings`` object is built at the edge (CLI) and passed down; nothing else reads ``os.environ``.
An invalid value becomes one readable line naming the setting (see ``load_settings``), never a traceback.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

POLICY_ZONE = "Asia/Shanghai"
_WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class SettingsError(Exception):
    """A setting is invalid; the message names it and says why."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str | None = None
    telegram_base_file_url: str | None = None
    database_path: Path = Path("data/accbot.sqlite3")
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    default_language: Literal["zh", "en"] = "zh"
    # Folders holding more knowledge (policies/<year>.toml, documents/, faq/) beside the shipped one: where an
    # admin drops next year's notice before a release ships it. Separated by the system's path separator.
    # Not a choice: accepted only as Asia/Shanghai so an old .env saying so still starts (see ``tz``).
    timezone: str | None = None
    knowledge_dirs: Annotated[tuple[Path, ...], NoDecode] = ()
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    reminder_grace_hours: float = Field(default=12.0, ge=0, le=24 * 14)
    dispatch_interval_seconds: float = Field(default=5.0, gt=0, le=300)
    broadcast_rate: float = Field(default=25.0, gt=0, le=30)
    broadcast_daily_limit: int = Field(default=5, ge=1, le=1000)
    # Webhook mode (see bot/ops/webhook.py): set the URL and the secret, or neither (long polling).
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: SecretStr | None = Field(default=None, validate_default=True)
    webhook_listen: str = "127.0.0.1:8443"

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_base_url", "telegram_base_file_url", mode="before")
    @classmethod
    def _blank_url_is_none(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            if not value.startswith(("http://", "https://")):
                raise ValueError("must start with http:// or https://")
        return value

    @field_validator("telegram_webhook_url", mode="before")
    @classmethod
    def _https_url(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            parts = urlsplit(value)
            if parts.scheme != "https" or not parts.hostname:
                raise ValueError("must be the public https:// address Telegram posts updates to")
        return value

    @field_validator("telegram_webhook_secret", mode="before")
    @classmethod
    def _secret_with_url(cls, value: object, info: ValidationInfo) -> object:
        """Telegram accepts 1–256 characters of A-Z a-z 0-9 _ - as ``secret_token``; without one, anybody who
        learns the URL could post forged updates, so the secret is required whenever the URL is set."""
        if isinstance(value, SecretStr):
            value = value.get_secret_value()
        if isinstance(value, str) and not value.strip():
            value = None
        if value is None:
            if info.data.get("telegram_webhook_url"):
                raise ValueError("required when TELEGRAM_WEBHOOK_URL is set (1-256 characters of A-Z a-z 0-9 _ -)")
            return None
        if not isinstance(value, str) or not _WEBHOOK_SECRET.fullmatch(value):
            raise ValueError("must be 1-256 characters of A-Z a-z 0-9 _ - (Telegram's rule for secret_token)")
        return value

    @field_validator("webhook_listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        host, sep, port = value.strip().rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("must be HOST:PORT, e.g. 127.0.0.1:8443")
        return f"{host}:{int(port)}"

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError:
                raise ValueError("must be comma-separated Telegram user ids, e.g. 12345,67890") from None
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("timezone")
    @classmethod
    def _only_shanghai(cls, value: str | None) -> str | None:
        if value not in (None, "", POLICY_ZONE):
            raise ValueError(f"the bot always uses {POLICY_ZONE} (the notice's dates); remove this setting")
        return value

    @field_validator("knowledge_dirs", mode="before")
    @classmethod
    def _split_dirs(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(Path(p) for p in value.split(os.pathsep) if p.strip())
        return value

    @field_validator("knowledge_dirs")
    @classmethod
    def _dirs_exist(cls, value: tuple[Path, ...]) -> tuple[Path, ...]:
        for path in value:
            if not path.is_dir():
                raise ValueError(f"not a folder: {path}")
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def tz(self) -> ZoneInfo:
        """One zone for parsing, display, storage arithmetic and delivery: the policy's (Asia/Shanghai).

        There is deliberately no TIMEZONE setting: the notice's dates are Beijing dates wherever the server
        runs, and a second zone is how "明天上午9点" was once echoed as 09:00 and delivered at 02:00.
        """
        return ZoneInfo(POLICY_ZONE)

    @property
    def webhook_secret(self) -> str | None:
        return self.telegram_webhook_secret.get_secret_value() if self.telegram_webhook_secret else None

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning validation errors into one ``SettingsError`` line per bad setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            name = str(err["loc"][0]).upper() if err["loc"] else "SETTINGS"
            lines.append(f"invalid setting {name}: {err['msg']}")
        raise SettingsError("; ".join(lines)) from None
