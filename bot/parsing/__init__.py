"""Reading what people type: numerals (one parser, on cn2an), credit statements and commands, profiles,
conversion questions, and time expressions (``timeparse``). Parsers return domain values or a typed error."""
