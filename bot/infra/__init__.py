"""Infrastructure with no business rules: settings, logging, and the Bot API double (in-process and over
HTTP on 127.0.0.1) that the terminal chat, the tests and the benchmarks talk to instead of Telegram."""
