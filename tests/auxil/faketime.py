"""A clock for the engines' pacing: ``monotonic`` reads it, ``sleep`` moves it on at once."""

from __future__ import annotations

import asyncio


class FakeTime:
    """Injected into a Drainer (``monotonic``, ``sleep``) and its SendBudget, so pacing and pauses are
    asserted in the engine's own seconds, never against the wall clock."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)
