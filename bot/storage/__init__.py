"""SQLite storage: one connection owner, numbered migrations, repositories per feature."""

from bot.storage.db import Database

__all__ = ["Database"]
