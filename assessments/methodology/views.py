"""The methodology owners' landing page. Each part of the method's workflow has its own package;
this page only points to them."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from assessments import permissions
from assessments.models import BankStatus, QuestionBank, RuleSet


def methodology_home(request):
    if not permissions.can_manage_methodology(request.user):
        raise PermissionDenied("Only the region's methodology owners manage the method")
    return render(
        request,
        "methodology/home.html",
        {
            "question_bank": QuestionBank.objects.filter(status=BankStatus.PUBLISHED).first(),
            "rule_set": RuleSet.objects.published().first(),
        },
    )
