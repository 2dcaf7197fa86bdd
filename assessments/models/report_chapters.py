"""Rendered chapters of project reports, kept so a project report re-renders only what changed."""

from django.db import models


class ReportChapter(models.Model):
    """A stage's chapter of the project report, rendered as a tagged PDF of its own pages.

    A cache, not a record: `source_sha256` is the hash of the chapter's HTML and of everything
    that lays it out (print stylesheet, renderer version), so whatever the chapter shows (the
    stage's answers, but also the project's title, description, budget or place) is part of
    the key. A stored chapter is used only while that hash still matches; otherwise it is
    rendered again and replaced. Signed-off stages never change, so theirs are rendered once,
    at sign-off, unless the project details they print change."""

    assessment = models.OneToOneField(
        "assessments.StageAssessment", on_delete=models.CASCADE, related_name="report_chapter"
    )
    source_sha256 = models.CharField(max_length=64)
    pdf = models.BinaryField()
    pages = models.PositiveIntegerField()
    rendered_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Report chapter of {self.assessment} ({self.pages} pages)"
