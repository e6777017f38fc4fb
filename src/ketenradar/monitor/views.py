from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from ketenradar.core.http import actor_of
from ketenradar.monitor import council_report as report_selectors
from ketenradar.monitor import selectors
from ketenradar.monitor.forms import CouncilReportForm, KpiForm, last_month
from ketenradar.monitor.pdf import html_to_pdf
from ketenradar.reports.constants import (
    EarlierInvolvement,
    MonitoringOutcome,
    ReporterCategory,
    ViolenceType,
)


def _labelled(split: dict[str, Any], choices: Any) -> list[tuple[str, Any]]:
    return [(str(choices(value).label), figures) for value, figures in split.items()]


@login_required
def kpis(request: HttpRequest) -> HttpResponse:
    """The region's KPIs for a period and area: suppressed figures only."""
    actor = actor_of(request, selectors.VIEW)
    scopes = selectors.scope_choices(actor=actor)
    start, end = last_month(timezone.localdate())
    form = KpiForm(
        request.GET or {"start": start, "end": end, "scope": ""},
        scopes=scopes,
    )
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        scope = selectors.scope_of(actor=actor, choice=form.cleaned_data["scope"] or "")
        figures = selectors.kpis(
            actor=actor, scope=scope, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
        profile = figures["reports"]
        context.update(
            figures=figures,
            scope_name=dict(scopes).get(form.cleaned_data["scope"] or "", ""),
            by_reporter=_labelled(profile["by_reporter"], ReporterCategory),
            by_type=_labelled(profile["by_violence_type"], ViolenceType),
            by_earlier=_labelled(profile["by_earlier_involvement"], EarlierInvolvement),
            outcomes=[(o.value, str(o.label)) for o in MonitoringOutcome],
            trend=selectors.monthly_trend(actor=actor, scope=scope, end=form.cleaned_data["end"]),
            municipalities=selectors.municipalities_side_by_side(
                actor=actor,
                scope=scope,
                start=form.cleaned_data["start"],
                end=form.cleaned_data["end"],
            ),
        )
    return render(request, "monitor/kpis.html", context)


def _council_report_context(request: HttpRequest) -> dict[str, Any]:
    actor = actor_of(request, report_selectors.VIEW)
    form = CouncilReportForm(request.GET or {"year": timezone.localdate().year})
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        report = report_selectors.council_report(
            actor=actor, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
        context.update(
            report=report,
            query=request.GET.urlencode() or f"year={form.cleaned_data['year']}",
            by_earlier=_labelled(
                report.kpis["reports"]["by_earlier_involvement"], EarlierInvolvement
            ),
        )
    return context


@login_required
def council_report(request: HttpRequest) -> HttpResponse:
    """The council progress report of the actor's region for a year or period, as a page."""
    return render(request, "monitor/council_report.html", _council_report_context(request))


@login_required
def council_report_pdf(request: HttpRequest) -> HttpResponse:
    """The same report as a PDF download (WeasyPrint, A4)."""
    context = _council_report_context(request)
    report = context.get("report")
    if report is None:
        return render(request, "monitor/council_report.html", context, status=400)
    html = render_to_string("monitor/council_report_pdf.html", context, request=request)
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    name = f"raadsrapportage-{report.region.code}-{report.start:%Y%m%d}-{report.end:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
