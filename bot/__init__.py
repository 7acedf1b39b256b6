"""accbot: answers Shanxi accountants' 2026 continuing-education questions on Telegram."""

__version__ = "0.1.0"
