"""What the domain answers, before any transport renders it.

A ``Reply`` is plain text plus abstract buttons; handlers turn it into a Telegram message, the CLI into
terminal lines or JSON. Keeping it free of Telegram types lets ``accbot ask`` answer exactly as the chat does.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str  # callback data, at most 64 bytes (Telegram's limit)

    def __post_init__(self) -> None:
        if not 1 <= len(self.data.encode()) <= 64:
            raise ValueError(f"callback data must be 1-64 bytes: {self.data!r}")


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    title: str
    citation: str


@dataclass(frozen=True, slots=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    sources: tuple[Source, ...] = ()
    score: float | None = None
    kind: str = "answer"  # answer | unsure | not_found | credits | reminder | error | info
    extra: dict[str, object] = field(default_factory=dict, compare=False)
