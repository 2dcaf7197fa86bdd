"""Community panel pages: the list of consultations, the plain-language summary with comments and
replies, and the project team's and moderators' actions on them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.answering import queries
from assessments.community import consultation as community
from assessments.community import public_summary
from assessments.community.forms import ApproveSummaryForm, PublicSummaryForm
from assessments.models import CommunityComment
from assessments.review import workflow
from assessments.review.forms import CommentForm, ConsultationOpenForm, HideForm, ReplyForm


def consultation_list(request):
    if not permissions.panel_council_ids(request.user):
        raise PermissionDenied("Only community panel members have consultations to see here.")
    return render(
        request,
        "community/consultation_list.html",
        {"assessments": community.consultations_for_panel(request.user)},
    )


def _visible(request, pk):
    assessment = queries.assessment_header(pk)
    if not permissions.can_view_panel_summary(request.user, assessment):
        # Drafts and other councils' projects are not revealed to the panel.
        raise Http404("No such consultation")
    return assessment


def consultation(request, pk):
    return _consultation_page(request, _visible(request, pk))


def _consultation_page(request, assessment, comment_form=None, summary_form=None):
    """The consultation page; a comment that was refused comes back bound, its errors by the
    field, with status 400."""
    user = request.user
    moderator = permissions.can_moderate(user, assessment)
    can_reply = permissions.can_reply_to_comment(user, assessment)
    staff = permissions.can_view_assessment(user, assessment)
    comments = community.comments_for(assessment, include_hidden=moderator or staff)
    return render(
        request,
        "community/consultation.html",
        {
            "assessment": assessment,
            "project": assessment.project,
            "summary": community.panel_summary(assessment),
            "window": community.open_window(assessment),
            "state": community.consultation_state(assessment),
            "staff": staff,
            "comments": [
                {
                    "comment": c,
                    "reply_form": ReplyForm(prefix=f"r{c.pk}")
                    if can_reply and not c.hidden
                    else None,
                    "hide_form": HideForm(prefix=f"h{c.pk}")
                    if moderator and not c.hidden
                    else None,
                }
                for c in comments
            ],
            "can_comment": permissions.can_comment_as_panel(user, assessment),
            "comment_form": comment_form or CommentForm(),
            "can_open": permissions.can_open_consultation(user, assessment),
            "can_close": permissions.can_close_consultation(user, assessment),
            "open_form": ConsultationOpenForm(),
            **_summary_context(request.user, assessment, staff, summary_form),
        },
        status=400 if comment_form is not None or summary_form is not None else 200,
    )


def _summary_context(user, assessment, staff: bool, summary_form) -> dict:
    """The approved summary for everyone; its draft, reading age and forms for the team."""
    context: dict = {"public_summary": public_summary.approved_text(assessment)}
    if not staff:
        return context
    draft = public_summary.summary_view(assessment)
    context["summary_draft"] = draft
    if permissions.can_write_public_summary(user, assessment):
        context["summary_form"] = summary_form or PublicSummaryForm(
            initial={"text": draft.text, "version": draft.version}
        )
    if (
        draft.text
        and not draft.approved
        and permissions.can_approve_public_summary(user, assessment)
    ):
        context["approve_form"] = ApproveSummaryForm(initial={"version": draft.version})
    return context


@require_POST
def summary_save(request, pk):
    assessment = queries.assessment_header(pk)
    permissions.check_assessment(request.user, assessment)
    form = PublicSummaryForm(request.POST)
    if not form.is_valid():
        return _consultation_page(request, assessment, summary_form=form)
    try:
        public_summary.save_summary(
            assessment,
            request.user,
            text=form.cleaned_data["text"],
            version=form.cleaned_data["version"],
        )
    except public_summary.StaleSummary:
        form.add_error(
            "text",
            "Someone else changed the summary while you were writing. Your text is below: "
            "compare it with theirs (reload the page) before saving again.",
        )
        return _consultation_page(request, assessment, summary_form=form)
    messages.success(request, "Summary saved. A public health reviewer approves it for the panel.")
    return redirect("assessments:consultation", pk)


@require_POST
def summary_approve(request, pk):
    assessment = queries.assessment_header(pk)
    permissions.check_assessment(request.user, assessment)
    form = ApproveSummaryForm(request.POST)
    if not form.is_valid():
        raise PermissionDenied
    try:
        public_summary.approve_summary(
            assessment, request.user, version=form.cleaned_data["version"]
        )
    except public_summary.StaleSummary:
        messages.error(request, "The summary changed since you read it. Read it again first.")
    else:
        messages.success(request, "Summary approved: the community panel can now read it.")
    return redirect("assessments:consultation", pk)


@require_POST
def consultation_open(request, pk):
    assessment = queries.assessment_header(pk)
    permissions.check_assessment(request.user, assessment)
    form = ConsultationOpenForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter a valid closing date and time, or leave it blank.")
        return redirect("assessments:consultation", pk)
    try:
        community.open_consultation(
            assessment, request.user, closes_at=form.cleaned_data["closes_at"]
        )
    except workflow.WorkflowError as exc:
        messages.error(request, exc.full_message)
    else:
        messages.success(
            request,
            "Consultation opened: the community panel can now read the summary and comment.",
        )
    return redirect("assessments:consultation", pk)


@require_POST
def consultation_close(request, pk):
    assessment = queries.assessment_header(pk)
    permissions.check_assessment(request.user, assessment)
    try:
        community.close_consultation(assessment, request.user)
    except workflow.WorkflowError as exc:
        messages.error(request, exc.full_message)
    else:
        messages.success(request, "Consultation closed.")
    return redirect("assessments:consultation", pk)


@require_POST
def comment_add(request, pk):
    assessment = _visible(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _consultation_page(request, assessment, comment_form=form)
    try:
        comment = community.add_comment(assessment, request.user, **form.cleaned_data)
    except workflow.WorkflowError as exc:
        messages.error(request, exc.full_message)
        return redirect("assessments:consultation", pk)
    messages.success(request, "Thank you: your comment has been sent to the project team.")
    # Back at the comment just sent: without this, a keyboard or screen reader user starts again
    # at the top and tabs through the whole page to find it.
    return redirect(reverse("assessments:consultation", args=[pk]) + f"#comment-{comment.pk}")


def _comment(request, pk):
    comment = get_object_or_404(
        CommunityComment.objects.select_related("assessment__project"), pk=pk
    )
    if not permissions.can_view_panel_summary(request.user, comment.assessment):
        raise Http404("No such comment")
    return comment


def _act_on_comment(request, pk, form_class, prefix: str, act, *, done: str, invalid: str):
    """Bind a per-comment form, run one community action on it, and report the outcome."""
    comment = _comment(request, pk)
    form = form_class(request.POST, prefix=f"{prefix}{comment.pk}")
    if not form.is_valid():
        messages.error(request, invalid)
    else:
        try:
            act(comment, request.user, form.cleaned_data)
        except workflow.WorkflowError as exc:
            messages.error(request, exc.full_message)
        else:
            messages.success(request, done)
    return redirect("assessments:consultation", comment.assessment_id)


@require_POST
def comment_reply(request, pk):
    return _act_on_comment(
        request,
        pk,
        ReplyForm,
        "r",
        lambda comment, user, data: community.reply(comment, user, text=data["text"]),
        done="Reply published beside the comment.",
        invalid="Write your reply.",
    )


@require_POST
def comment_hide(request, pk):
    return _act_on_comment(
        request,
        pk,
        HideForm,
        "h",
        lambda comment, user, data: community.hide_comment(comment, user, reason=data["reason"]),
        done="Comment hidden. It is kept, with your reason, in the record.",
        invalid="Give the reason for hiding this comment.",
    )
