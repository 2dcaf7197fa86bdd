"""Recording what someone answering says about a question."""

from __future__ import annotations

from assessments.models import Answer, QuestionFeedback


def record_feedback(answer: Answer, *, kind: str, comment: str, by) -> QuestionFeedback:
    """Store one remark on the answer's question, with the question's stable code and bank
    version and the project's type, stage and council as they are now."""
    assessment = answer.assessment
    project = assessment.project
    return QuestionFeedback.objects.create(
        question=answer.question,
        question_code=answer.question.code,
        bank_version=answer.question.bank.version,
        assessment=assessment,
        council_id=project.council_id,
        stage_id=assessment.stage_id,
        project_type=project.project_type,
        kind=kind,
        comment=comment.strip(),
        by=by,
    )
