"""Whole-project JSON export (anyone who may see the project) and import (council administrators,
into their own councils, and system administrators)."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render

from assessments import permissions
from assessments.answering import queries
from assessments.dataops import transfer, transfer_import
from assessments.portfolio import exports
from assessments.privacy.downloads import records_download


@records_download("Project export JSON", of="project")
def project_export(request, pk):
    project = queries.project_detail(pk)
    permissions.check_project(request.user, project)
    text = json.dumps(
        transfer.export_project(project), cls=DjangoJSONEncoder, indent=1, ensure_ascii=False
    )
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    return exports.attachment(response, f"chiia-{project.council.code}-{project.reference}.json")


class ImportForm(forms.Form):
    file = forms.FileField(label="Project export file (.json)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            # One byte over the limit is enough to refuse it without reading the rest.
            return transfer_import.read_document(upload.read(transfer_import.MAX_IMPORT_BYTES + 1))
        except transfer.TransferError as exc:
            raise forms.ValidationError(exc.problems) from None


def project_import(request):
    if not permissions.can_import_projects(request.user):
        raise PermissionDenied("Only council and system administrators can import projects.")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = transfer_import.import_project(form.cleaned_data["file"], user=request.user)
        except transfer.TransferError as exc:
            form.add_error("file", exc.problems)
        else:
            messages.success(request, f"Project “{project.title}” imported.")
            return redirect(project)
    return render(request, "dataops/project_import.html", {"form": form})
