"""Permissions as decorators: who is asking, and whether they may, settled before a handler's body runs.

Every privileged step — command or button — rebuilds the user's roles from SQLite
(:meth:`UnitRepository.actor`) and asks :func:`bot.domain.units.may`; nothing trusts callback data for
*whether*, only for *which*. ``@requires(Action.X, "refusal.key")`` does that once for a handler, which then
receives the :class:`~bot.domain.units.Actor` as its third argument; ``@with_actor`` only looks the actor up
(for handlers whose check depends on what they load, like a broadcast draft's author). A refusal is a clear
answer (a toast for a button, a message for a command) and a ``log.warning`` with the user id and the action,
never message text.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec

from telegram import Update
from telegram.ext import ContextTypes

from bot.domain.units import Action, Actor, may
from handlers.common import send_text, services, tr

log = logging.getLogger(__name__)

P = ParamSpec("P")
Context = ContextTypes.DEFAULT_TYPE
ActorHandler = Callable[Concatenate[Update, Context, Actor, P], Awaitable[None]]
Handler = Callable[Concatenate[Update, Context, P], Awaitable[None]]


async def current_actor(update: Update, context: Context) -> Actor:
    """The user's roles as the database has them now (an admin is whoever ``ADMIN_IDS`` lists today)."""
    user = update.effective_user
    assert user is not None
    svc = services(context)
    return await svc.units.actor(user.id, svc.is_admin(user.id))


async def refuse(update: Update, context: Context, action: str, key: str, **kwargs: object) -> None:
    """Say no clearly (a toast for a button, a message for a command) and log who tried what."""
    user = update.effective_user
    log.warning("refused %s for user %s (%s)", action, user.id if user else "?", key)
    text = tr(update, context, key, **kwargs)
    query = update.callback_query
    if query is not None:
        await query.answer(text, show_alert=True)
    else:
        await send_text(update, context, text)


def with_actor(handler: ActorHandler[P]) -> Handler[P]:
    """Call ``handler(update, context, actor, …)`` with the actor read fresh for this update."""

    @functools.wraps(handler)
    async def wrapper(update: Update, context: Context, /, *args: P.args, **kwargs: P.kwargs) -> None:
        await handler(update, context, await current_actor(update, context), *args, **kwargs)

    return wrapper


def requires(action: Action, refusal: str) -> Callable[[ActorHandler[P]], Handler[P]]:
    """Run the handler only if the actor ``may`` do ``action``; otherwise refuse with ``refusal`` (a catalog key)."""

    def decorate(handler: ActorHandler[P]) -> Handler[P]:
        @functools.wraps(handler)
        async def wrapper(update: Update, context: Context, /, *args: P.args, **kwargs: P.kwargs) -> None:
            actor = await current_actor(update, context)
            if not may(actor, action):
                await refuse(update, context, action, refusal)
                return
            await handler(update, context, actor, *args, **kwargs)

        return wrapper

    return decorate
