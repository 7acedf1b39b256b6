"""Long-running background work: the reminder dispatcher and the broadcast drainer, with their delivery
outcomes. Started and stopped by ``bot.app``; they reach Telegram only through an injected send function."""
