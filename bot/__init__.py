"""accbot: answers Shanxi accountants' 2026 continuing-education questions on Telegram.

Rooms, lowest first (tests/test_layering.py keeps imports pointing down): ``domain`` < ``parsing`` <
``answers`` < ``storage`` < ``services`` < ``engines`` < the composition root here (``app``, ``bootstrap``,
``cli``, ``cli_when``, ``terminal``, ``__main__``); ``infra`` is used by whoever needs it and imports nothing
else of ours. Only ``app``, ``cli`` and ``__main__`` import ``handlers``.
"""

__version__ = "0.1.0"
