"""Whole-project JSON export (anyone who may see the project) and import (system administrators)."""

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render

from .. import exports, permissions, queries, transfer

MAX_IMPORT_BYTES = 20 * 1024 * 1024


def project_export(request, pk):
    project = queries.project_detail(pk)
    permissions.check_project(request.user, project)
    text = json.dumps(transfer.export_project(project), cls=DjangoJSONEncoder, indent=1, ensure_ascii=False)
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    return exports.attachment(response, f"chiia-{project.council.code}-{project.reference}.json")


class ImportForm(forms.Form):
    file = forms.FileField(label="Project export file (.json)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("The file is larger than 20 MB; is it a CHIIA project export?")
        try:
            return json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise forms.ValidationError("The file is not valid JSON.") from None


def project_import(request):
    if not request.user.is_superuser:
        raise PermissionDenied("Only system administrators can import projects.")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = transfer.import_project(form.cleaned_data["file"])
        except (transfer.TransferError, KeyError, TypeError, ValueError) as exc:
            form.add_error("file", f"Import failed: {exc}")
        else:
            messages.success(request, f"Project “{project.title}” imported.")
            return redirect(project)
    return render(request, "assessments/project_import.html", {"form": form})
