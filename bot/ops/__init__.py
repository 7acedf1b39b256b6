"""Running the bot in production: webhook serving, health, database backups and checks, the stats report.

These sit beside the composition root (``bot/app.py``, ``bot/cli.py``): they may use every room below, and
``bot/cli.py`` only registers their commands, so start-up code stays short.
"""
