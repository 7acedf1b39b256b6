"""Telegram adapters, one module per feature: read the update, check the role, call a service, render.

What belongs here: turning an ``Update`` into arguments (command text, callback data), the permission check
(``@requires(Action…)`` from :mod:`handlers.access`, never a hand-written preamble), one call into
``bot.services`` / repositories, and sending the reply through the catalogs (:func:`handlers.common.tr`).
What does not: rules (``bot.domain``), parsing of what people type (``bot.parsing``), SQL (``bot.storage``),
wording (``locale/``). Every handler is registered in one place, ``bot.app.register_handlers``; nothing else
imports this package except ``bot.app``, ``bot.cli`` and ``bot.__main__``.
"""
