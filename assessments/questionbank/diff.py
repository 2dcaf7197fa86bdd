"""What differs between two versions of the question bank, and what moving an assessment from
one to the other does to its answers. Pure Python: plain rows in, plain results out.

A question is known by its code across versions: the same code with other words is a rewording
(the meaning stays; a changed meaning gets a new code, so it shows as one removed and one added).
A question counts as moved only when its place among the questions both versions share changed,
so adding one question does not make every question after it look moved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

REWORDED = "reworded"
MOVED = "moved"
GUIDANCE = "guidance"
DUTIES = "duties"
STAGES = "stages"
REQUIRED = "required"

# How each kind of change reads on the comparison page, in the order they are shown.
CHANGE_LABELS = {
    REWORDED: "Reworded",
    MOVED: "Moved",
    GUIDANCE: "Guidance changed",
    DUTIES: "Duty tags changed",
    STAGES: "Stages where it is asked changed",
    REQUIRED: "Required or optional changed",
}


@dataclass(frozen=True)
class QuestionRow:
    code: str
    determinant: str
    stage_group: str
    order: int
    text: str
    guidance: str = ""
    duties: tuple[str, ...] = ()
    required: bool = True
    hidden_stages: tuple[str, ...] = ()

    @property
    def place(self) -> tuple[str, str]:
        return (self.determinant, self.stage_group)


@dataclass(frozen=True)
class QuestionChange:
    before: QuestionRow
    after: QuestionRow
    kinds: tuple[str, ...]

    @property
    def code(self) -> str:
        return self.after.code

    @property
    def labels(self) -> list[str]:
        return [CHANGE_LABELS[kind] for kind in self.kinds]

    @property
    def duties_added(self) -> list[str]:
        return sorted(set(self.after.duties) - set(self.before.duties))

    @property
    def duties_removed(self) -> list[str]:
        return sorted(set(self.before.duties) - set(self.after.duties))


@dataclass(frozen=True)
class BankDiff:
    added: list[QuestionRow]
    removed: list[QuestionRow]
    changed: list[QuestionChange]
    unchanged: int

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changed if kind in change.kinds)

    @property
    def kind_counts(self) -> list[tuple[str, int]]:
        """(label, how many) for each kind of change, in the order the page shows them."""
        return [(label, self.count(kind)) for kind, label in CHANGE_LABELS.items()]

    @property
    def summary(self) -> dict[str, int]:
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            **{kind: self.count(kind) for kind in CHANGE_LABELS},
            "unchanged": self.unchanged,
        }


def _same_words(a: str, b: str) -> bool:
    # Line endings and runs of spaces are typing, not wording.
    return " ".join(a.split()) == " ".join(b.split())


def _in_order(rows: Iterable[QuestionRow]) -> list[QuestionRow]:
    return sorted(rows, key=lambda row: (row.determinant, row.stage_group, row.order, row.code))


def _longest_common_run(a: list[str], b: list[str]) -> set[str]:
    """The codes of a longest common subsequence of a and b: the questions that kept their
    order relative to each other. Lists are one determinant's questions for one stage group."""
    lengths = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) - 1, -1, -1):
        for j in range(len(b) - 1, -1, -1):
            lengths[i][j] = (
                lengths[i + 1][j + 1] + 1
                if a[i] == b[j]
                else max(lengths[i + 1][j], lengths[i][j + 1])
            )
    kept: set[str] = set()
    i = j = 0
    while i < len(a) and j < len(b):
        if a[i] == b[j]:
            kept.add(a[i])
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            i += 1
        else:
            j += 1
    return kept


def _moved_codes(before: list[QuestionRow], after: list[QuestionRow]) -> set[str]:
    shared = {row.code for row in before} & {row.code for row in after}
    moved: set[str] = set()
    places = {row.place for row in after if row.code in shared}
    for place in places:
        old = [r.code for r in _in_order(before) if r.place == place and r.code in shared]
        new = [r.code for r in _in_order(after) if r.place == place and r.code in shared]
        moved |= set(new) - _longest_common_run(old, new)
    # A question whose determinant or stage group changed moved too.
    old_place = {row.code: row.place for row in before}
    moved |= {row.code for row in after if row.code in shared and old_place[row.code] != row.place}
    return moved


def _kinds(before: QuestionRow, after: QuestionRow, moved: bool) -> tuple[str, ...]:
    kinds = []
    if not _same_words(before.text, after.text):
        kinds.append(REWORDED)
    if moved:
        kinds.append(MOVED)
    if not _same_words(before.guidance, after.guidance):
        kinds.append(GUIDANCE)
    if set(before.duties) != set(after.duties):
        kinds.append(DUTIES)
    if set(before.hidden_stages) != set(after.hidden_stages):
        kinds.append(STAGES)
    if before.required != after.required:
        kinds.append(REQUIRED)
    return tuple(kinds)


def compare(published: Iterable[QuestionRow], draft: Iterable[QuestionRow]) -> BankDiff:
    """Everything the draft changes in the published version, question by question."""
    before, after = _in_order(published), _in_order(draft)
    old = {row.code: row for row in before}
    new = {row.code: row for row in after}
    moved = _moved_codes(before, after)
    changed = []
    unchanged = 0
    for row in after:
        if row.code not in old:
            continue
        kinds = _kinds(old[row.code], row, row.code in moved)
        if kinds:
            changed.append(QuestionChange(old[row.code], row, kinds))
        else:
            unchanged += 1
    return BankDiff(
        added=[row for row in after if row.code not in old],
        removed=[row for row in before if row.code not in new],
        changed=changed,
        unchanged=unchanged,
    )


@dataclass(frozen=True)
class Rewording:
    code: str
    old_text: str
    new_text: str


@dataclass(frozen=True)
class MovePlan:
    """What moving one assessment onto another bank version does, by question code: `kept`
    answers carry over as they are, `reworded` ones carry over flagged for the team to confirm,
    `removed` ones leave the assessment (their answers stay in its history) and `added` ones
    arrive unanswered."""

    kept: list[str] = field(default_factory=list)
    reworded: list[Rewording] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)

    @property
    def changes_anything(self) -> bool:
        return bool(self.reworded or self.removed or self.added)


def move_plan(asked_now: Iterable[QuestionRow], asked_after: Iterable[QuestionRow]) -> MovePlan:
    """`asked_now`: the questions the assessment asks in its current version at its stage;
    `asked_after`: those the new version asks at the same stage."""
    old = {row.code: row for row in _in_order(asked_now)}
    new = {row.code: row for row in _in_order(asked_after)}
    plan = MovePlan()
    for code, row in new.items():
        if code not in old:
            plan.added.append(code)
        elif _same_words(old[code].text, row.text):
            plan.kept.append(code)
        else:
            plan.reworded.append(Rewording(code, old[code].text, row.text))
    plan.removed.extend(code for code in old if code not in new)
    return plan
