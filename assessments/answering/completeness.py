"""What an answer still lacks. An unfinished answer is saved as it is; this says what is
missing so the section form, the assessment page and the submit check can all list it in the
same words."""

from __future__ import annotations

from assessments.enums import Direction

# What a positive or negative impact needs before it can be scored, in the words people see.
NEEDED_FOR_IMPACT = (
    ("likelihood", "likelihood"),
    ("severity", "severity"),
    ("duration", "duration"),
    ("reach", "how many people it reaches"),
)


def missing_parts(values: dict, *, required: bool) -> list[str]:
    """The parts an answer (as editing.answer_values or a form's cleaned data) still needs.
    An untouched optional question needs nothing; an untouched required one needs an answer."""
    direction = values.get("direction") or ""
    if not direction:
        return ["an answer"] if required else []
    missing = []
    if direction in (Direction.POSITIVE, Direction.NEGATIVE):
        missing = [words for name, words in NEEDED_FOR_IMPACT if values.get(name) in (None, "")]
    if (values.get("mitigation") or "").strip() and not (
        values.get("mitigation_owner") or ""
    ).strip():
        missing.append("the owner of the mitigation")
    residual = (values.get("residual_likelihood"), values.get("residual_severity"))
    if residual[0] is None and residual[1] is not None:
        missing.append("the likelihood after mitigation")
    if residual[1] is None and residual[0] is not None:
        missing.append("the severity after mitigation")
    return missing
