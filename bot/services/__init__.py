"""Use cases: what handlers and engines ask of the application, above storage and below Telegram.

``Services`` is the per-process container handlers reach through ``bot_data``; the use-case modules beside it
take only the repositories they need, so a test can call them with a database and a clock.
"""

from bot.services.container import Services, services_of

__all__ = ["Services", "services_of"]
