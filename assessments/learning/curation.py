"""The method's owners curate the shared library of mitigations. Entries are answers in
signed-off stages, which never change; what the owners decide is stored beside them."""

from __future__ import annotations

from django.db import transaction

from assessments.models import Answer, MitigationCuration


class CurationError(ValueError):
    """A curation that cannot be done (said in words for the person who asked)."""


HIDE, SHOW, RECOMMEND, UNRECOMMEND, MERGE, UNMERGE = (
    "hide",
    "show",
    "recommend",
    "unrecommend",
    "merge",
    "unmerge",
)
ACTIONS = (HIDE, SHOW, RECOMMEND, UNRECOMMEND, MERGE, UNMERGE)


def _root(answer_id: int) -> int:
    """The entry an entry stands for: itself, or the entry it was merged into (followed)."""
    seen = set()
    while answer_id not in seen:
        seen.add(answer_id)
        following = (
            MitigationCuration.objects.filter(answer_id=answer_id)
            .values_list("merged_into_id", flat=True)
            .first()
        )
        if following is None:
            return answer_id
        answer_id = following
    return answer_id


@transaction.atomic
def curate(entry: Answer, action: str, *, by, into: Answer | None = None) -> MitigationCuration:
    if action not in ACTIONS:
        raise CurationError("Choose what to do with this entry.")
    curation, _ = MitigationCuration.objects.select_for_update().get_or_create(answer=entry)
    if action in (HIDE, SHOW):
        curation.hidden = action == HIDE
    elif action in (RECOMMEND, UNRECOMMEND):
        curation.recommended = action == RECOMMEND
    elif action == UNMERGE:
        curation.merged_into = None
    else:
        curation.merged_into = _merge_target(entry, into)
        # Entries already merged into this one move with it, so each shows once.
        MitigationCuration.objects.filter(merged_into=entry).update(
            merged_into=curation.merged_into
        )
    curation.by = by
    curation.save()
    return curation


def _merge_target(entry: Answer, into: Answer | None) -> Answer:
    if into is None:
        raise CurationError("Give the number of the entry this one repeats.")
    target_id = _root(into.pk)
    if target_id == entry.pk:
        raise CurationError("An entry cannot be merged into itself.")
    target = Answer.objects.select_related("question").get(pk=target_id)
    if target.question.determinant_id != entry.question.determinant_id:
        raise CurationError(
            "Merge only entries about the same determinant: that entry is about another one."
        )
    return target
