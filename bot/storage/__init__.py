"""SQLite storage: one connection owner (:class:`Database`), numbered migrations, one repository per table.

What belongs here: SQL (always parameterised) and the row types repositories return. What does not: rules
(``bot.domain``), use cases that combine repositories (``bot.services``), anything from ``telegram``.
A schema change is a new numbered file in ``migrations/``, applied at start-up.
"""

from bot.storage.db import Database, StorageUnavailable

__all__ = ["Database", "StorageUnavailable"]
