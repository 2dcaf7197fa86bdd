"""Pages of outcomes monitoring: a project's indicators, one indicator with its chart and
measurements, defining indicators, and the CSV template and import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from assessments import permissions
from assessments.answering import queries as project_queries
from assessments.models import Indicator, IndicatorSuggestion, Measurement
from assessments.monitoring import charts, csv_import, queries, recording
from assessments.monitoring.forms import IndicatorForm, MeasurementForm, MeasurementImportForm

SUGGESTION_FIELDS = (
    "name",
    "definition",
    "unit",
    "good_direction",
    "data_source",
    "population",
    "frequency",
)


def _indicator(request, pk, *, write=False) -> Indicator:
    try:
        indicator = queries.indicator_detail(pk)
    except Indicator.DoesNotExist:
        raise Http404("No such indicator") from None
    permissions.check_indicators(request.user, indicator.project, write=write)
    return indicator


def _chart(row, points):
    indicator = row.indicator
    return charts.indicator_chart(
        queries.facts_of(indicator),
        points,
        name=indicator.name,
        unit_label=indicator.get_unit_display(),
        status=row.status,
        element_id=f"indicator-chart-{indicator.pk}",
    )


def indicator_list(request, pk):
    project = project_queries.project_detail(pk)
    permissions.check_indicators(request.user, project)
    rows = queries.indicator_rows([project])
    points = queries.points_by_indicator(row.indicator.pk for row in rows)
    cards = [(row, _chart(row, points[row.indicator.pk])) for row in rows]
    return render(
        request,
        "monitoring/indicator_list.html",
        {
            "project": project,
            "cards": cards,
            "can_define": permissions.can_define_indicators(request.user, project),
        },
    )


def _suggestion_initial(request, project) -> dict:
    code = request.GET.get("suggestion", "")
    suggestion = IndicatorSuggestion.objects.filter(code=code).first() if code else None
    if suggestion is None:
        return {"frequency": "quarterly", "owner": project.project_manager_id}
    return {
        **{name: getattr(suggestion, name) for name in SUGGESTION_FIELDS},
        "determinant": suggestion.determinant_id,
        "owner": project.project_manager_id,
    }


def indicator_create(request, pk):
    project = project_queries.project_detail(pk)
    permissions.check_indicators(request.user, project, write=True)
    form = IndicatorForm(
        request.POST or None, project=project, initial=_suggestion_initial(request, project)
    )
    if request.method == "POST" and form.is_valid():
        indicator = form.save(commit=False)
        indicator.project = project
        indicator.suggestion_code = request.GET.get("suggestion", "")[:20]
        recording.save_indicator(indicator, opened_version=0, by=request.user, links=_links(form))
        messages.success(request, f"Indicator “{indicator.name}” added.")
        return redirect(indicator)
    return render(
        request,
        "monitoring/indicator_form.html",
        {
            "form": form,
            "project": project,
            "creating": True,
            "suggestions": queries.suggestions_by_determinant(),
        },
    )


def _links(form) -> dict:
    return {name: form.cleaned_data[name] for name in ("answers", "actions", "population_groups")}


def indicator_edit(request, pk):
    indicator = _indicator(request, pk, write=True)
    form = IndicatorForm(request.POST or None, instance=indicator, project=indicator.project)
    context = {"form": form, "project": indicator.project, "indicator": indicator}
    if request.method != "POST" or not form.is_valid():
        return render(request, "monitoring/indicator_form.html", context)
    try:
        recording.save_indicator(
            form.save(commit=False),
            opened_version=form.cleaned_data.get("lock_version") or 0,
            by=request.user,
            links=_links(form),
        )
    except recording.StaleIndicator as exc:
        form.add_error(None, str(exc))
        context["current"] = queries.indicator_detail(pk)
        return render(request, "monitoring/indicator_form.html", context, status=409)
    messages.success(request, "Indicator saved.")
    return redirect(indicator)


def indicator_detail(request, pk):
    indicator = _indicator(request, pk)
    can_enter = permissions.can_enter_measurements(request.user, indicator)
    form = MeasurementForm(request.POST or None, indicator=indicator)
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied("You cannot enter measurements for this indicator")
        if form.is_valid() and _record(request, indicator, form):
            return redirect(indicator)
    row = queries.indicator_row(indicator)
    measurements = queries.measurements_of(indicator)
    chart = _chart(row, queries.points_of(reversed(measurements)))
    removable = {m.pk for m in measurements if permissions.can_change_measurement(request.user, m)}
    return render(
        request,
        "monitoring/indicator_detail.html",
        {
            "indicator": indicator,
            "project": indicator.project,
            "row": row,
            "chart": chart,
            "measurements": measurements,
            "removable": removable,
            "form": form,
            "can_enter": can_enter,
            "can_define": permissions.can_define_indicators(request.user, indicator.project),
        },
        status=400 if form.is_bound else 200,
    )


def _record(request, indicator, form) -> bool:
    """Write the measurement; on refusal put the reasons by their fields and return False."""
    entry = recording.MeasurementInput(
        measured_on=form.cleaned_data["measured_on"],
        value=form.cleaned_data["value"],
        source=form.cleaned_data["source"],
        note=form.cleaned_data["note"],
        outlier_confirmed=form.cleaned_data["confirm"],
    )
    try:
        recording.add_measurement(indicator, entry, by=request.user)
    except recording.MeasurementRefused as exc:
        for name, reason in exc.errors.items():
            form.add_error(name, reason)
        if exc.outlier and set(exc.errors) == {"value"}:
            form.ask_to_confirm()
        return False
    messages.success(request, f"Measurement for {entry.measured_on:%-d %B %Y} saved.")
    return True


@require_POST
def measurement_delete(request, pk):
    measurement = get_object_or_404(
        Measurement.objects.select_related("indicator__project", "assessment"), pk=pk
    )
    permissions.check_indicators(request.user, measurement.indicator.project)
    if not permissions.can_change_measurement(request.user, measurement):
        raise PermissionDenied("This measurement belongs to a signed-off stage and cannot change")
    indicator = measurement.indicator
    recording.remove_measurement(measurement)
    messages.success(request, f"Measurement for {measurement.measured_on:%-d %B %Y} removed.")
    return redirect(indicator)


def measurement_template(request, pk):
    project = project_queries.project_detail(pk)
    permissions.check_indicators(request.user, project, write=True)
    response = HttpResponse(csv_import.template_csv(project), content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="{project.reference}-measurements-template.csv"'
    )
    return response


def measurement_import(request, pk):
    project = project_queries.project_detail(pk)
    permissions.check_indicators(request.user, project, write=True)
    form = MeasurementImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = csv_import.import_measurements(
            project, form.cleaned_data["file"].read(), by=request.user
        )
        if report.ok:
            messages.success(request, f"{report.written} measurements imported.")
            return redirect("assessments:indicator-list", pk=project.pk)
    return render(
        request,
        "monitoring/measurement_import.html",
        {"form": form, "project": project, "report": report, "columns": csv_import.COLUMNS},
        status=400 if request.method == "POST" else 200,
    )
