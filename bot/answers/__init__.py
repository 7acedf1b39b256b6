"""Turning decisions into replies: the responder, Q&A rendering, credit and reminder views, the reply model and
the message catalogs (i18n). Every user-visible string passes through here."""
