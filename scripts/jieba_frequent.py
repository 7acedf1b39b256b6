"""Write knowledge/dict/jieba_frequent.txt: the words of jieba's own dictionary seen at least MIN_FREQ times.

Why: jieba's full dictionary (349k words, a 498k-entry prefix table) took about 0.8 s of every start, most of
the bot's start-up. The 36k words seen at least 100 times in jieba's corpus segment our questions as well:
on the 5-fold unseen phrasings the blend's top-1 was 78.1% with the full dictionary and 78.4% with this one,
and homophone slips were read right 68.4% / 70.2% of the time (bench/ranker.py). Rarer words (names, places,
idioms) fall apart into shorter words and characters, which the character bigrams still match; our own
terms come from knowledge/dict/userdict.txt and the synonym table, not from here. Loading it takes 0.1 s.

The file is generated, not edited: run ``python scripts/jieba_frequent.py`` after upgrading jieba. Its
lines are jieba's own (``word frequency tag``; jieba is MIT-licensed), in jieba's order.
"""

from __future__ import annotations

from pathlib import Path

import jieba

MIN_FREQ = 100
TARGET = Path(__file__).resolve().parent.parent / "knowledge" / "dict" / "jieba_frequent.txt"


def frequent_lines(min_freq: int = MIN_FREQ) -> list[str]:
    """jieba's dictionary lines whose frequency is at least ``min_freq``."""
    source = Path(jieba.__file__).parent / "dict.txt"
    with source.open(encoding="utf-8") as fh:
        return [line for line in fh if int(line.split()[1]) >= min_freq]


if __name__ == "__main__":
    lines = frequent_lines()
    TARGET.write_text("".join(lines), encoding="utf-8")
    print(f"{TARGET}: {len(lines)} words")
