"""Small pieces shared by the pure scoring modules (rules.py and flags.py): rank orders, how
numbers and lists of answer keys are written in reasons, and the tests an answer is put to.

Standard library and the schema only, like the modules that use it.
"""

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from .schema import AnswerInput, AnswerScore, Band, Direction, RuleSet

# An answer's score beside the answer it was worked out from.
Pair = tuple[AnswerScore, AnswerInput]

BAND_RANK = {None: -1, Band.NEGLIGIBLE: 0, Band.LOW: 1, Band.MEDIUM: 2, Band.HIGH: 3}


SCORED = (Direction.POSITIVE, Direction.NEGATIVE)


def rated(a: AnswerInput) -> bool:
    return a.likelihood is not None and a.severity is not None


def is_answered(a: AnswerInput) -> bool:
    if a.direction in (Direction.NOT_APPLICABLE, Direction.UNANSWERED):
        return False
    return rated(a) or a.direction not in SCORED


def format_decimal(value: Decimal, signed: bool = False) -> str:
    text = format(abs(value).normalize(), "f")
    if not signed or not value:
        return text
    return ("\u2212" if value < 0 else "+") + text


def evidence_gap(a: AnswerInput, rules: RuleSet) -> bool:
    """Weak/no evidence, or none recorded at all."""
    return a.evidence is None or a.evidence in rules.evidence_gap_levels


def keys_text(items: Iterable[AnswerScore]) -> str:
    return ", ".join(sorted(s.key for s in items))


def automatic_note(items: Iterable[AnswerScore]) -> str:
    """Names the answers that count as affecting a priority group only through an automatic
    group, and why; blank when every answer named its priority group itself."""
    relying: dict[tuple[str, str], list[AnswerScore]] = {}
    items = list(items)
    for s in items:
        if s.only_automatic_priority:
            for g in s.automatic_groups:
                relying.setdefault((g.code, g.reason), []).append(s)
    if not relying:
        return ""
    parts = []
    for (code, reason), scores in relying.items():
        which = "" if len(scores) == len(items) else f"{keys_text(scores)} "
        parts.append(f"{which}through {code}, {reason}")
    return " (" + "; ".join(parts) + ")"


def percent_text(value: Decimal) -> str:
    """A 0-1 share as a percentage, half up to one decimal place: 0.625 -> "62.5%", 0.5 -> "50%"."""
    return format_decimal((value * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)) + "%"
