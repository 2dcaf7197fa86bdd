"""How hard a public summary is to read, as a reading age in years.

The Flesch-Kincaid grade (US school year) plus five is the age at which a typical reader
manages the text. Words and sentences are counted by textstat; syllables with pyphen's British
English hyphenation dictionary, which is what textstat itself falls back to for a word it cannot
look up (its English pronouncing dictionary would otherwise be downloaded at run time, which a
council server must not do)."""

from __future__ import annotations

import re
from functools import cache

import pyphen
import textstat

# Above this, the summary is too hard for much of the public (a common plain-English target).
READING_AGE_LIMIT = 12
WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


@cache
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_GB")


def _syllables(word: str) -> int:
    return len(_hyphenator().positions(word.lower())) + 1


def reading_age(text: str) -> int | None:
    """Whole years, never below 5; None for text too short to judge (under 10 words)."""
    words = WORD.findall(text)
    if len(words) < 10:
        return None
    sentences = max(1, textstat.sentence_count(text))
    syllables = sum(_syllables(word) for word in words)
    grade = 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59
    return max(5, round(grade + 5))
