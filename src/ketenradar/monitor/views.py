from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from ketenradar.accounts.actor import Actor
from ketenradar.core.http import actor_of
from ketenradar.monitor import care_exports, care_kpis, exports, selectors
from ketenradar.monitor import council_report as report_selectors
from ketenradar.monitor.forms import CbsForm, CouncilReportForm, KpiForm, last_month
from ketenradar.monitor.pdf import html_to_pdf
from ketenradar.reports.constants import (
    EarlierInvolvement,
    MonitoringOutcome,
    ReporterCategory,
    ViolenceType,
)


def _labelled(split: dict[str, Any], choices: Any) -> list[tuple[str, Any]]:
    return [(str(choices(value).label), figures) for value, figures in split.items()]


def _kpi_form(request: HttpRequest, scopes: list[tuple[str, str]]) -> KpiForm:
    start, end = last_month(timezone.localdate())
    return KpiForm(request.GET or {"start": start, "end": end, "scope": ""}, scopes=scopes)


def _cbs_form(request: HttpRequest, scopes: list[tuple[str, str]]) -> CbsForm:
    year, half = selectors.last_half_year(timezone.localdate())
    data = request.GET if "year" in request.GET else {"year": year, "half": half, "scope": ""}
    return CbsForm(data, scopes=scopes)


@require_safe
@login_required
def kpis(request: HttpRequest) -> HttpResponse:
    """The region's KPIs for a period and area: suppressed figures only."""
    actor = actor_of(request, selectors.VIEW)
    scopes = selectors.scope_choices(actor=actor)
    form = _kpi_form(request, scopes)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        scope = selectors.scope_of(actor=actor, choice=form.cleaned_data["scope"] or "")
        seen = selectors.overview(  # one suppression for all of the period's figures
            actor=actor, scope=scope, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
        )
        figures = seen["kpis"]
        profile = figures["reports"]
        query = urlencode(
            {
                "scope": form.cleaned_data["scope"] or "",
                "start": form.cleaned_data["start"].isoformat(),
                "end": form.cleaned_data["end"].isoformat(),
            }
        )
        context.update(
            figures=figures,
            scope_name=dict(scopes).get(form.cleaned_data["scope"] or "", ""),
            by_reporter=_labelled(profile["by_reporter"], ReporterCategory),
            by_type=_labelled(profile["by_violence_type"], ViolenceType),
            by_earlier=_labelled(profile["by_earlier_involvement"], EarlierInvolvement),
            outcomes=[(o.value, str(o.label)) for o in MonitoringOutcome],
            trend=seen["trend"],
            municipalities=seen["municipalities"],
            care_tables=care_exports.tables(  # chain care (docs/monitor.md#chain-care-ketenzorg)
                care_kpis.care_kpis(
                    actor=actor,
                    scope=scope,
                    start=form.cleaned_data["start"],
                    end=form.cleaned_data["end"],
                )
            ),
            export_csv=f"{reverse('monitor:export', kwargs={'fmt': 'csv'})}?{query}",
            export_xlsx=f"{reverse('monitor:export', kwargs={'fmt': 'xlsx'})}?{query}",
        )
    cbs_form = _cbs_form(request, scopes)
    if cbs_form.is_valid():
        query = urlencode(
            {
                "scope": cbs_form.cleaned_data["scope"] or "",
                "year": cbs_form.cleaned_data["year"],
                "half": cbs_form.cleaned_data["half"],
            }
        )
        context.update(
            cbs_xlsx=f"{reverse('monitor:cbs_export', kwargs={'fmt': 'xlsx'})}?{query}",
            cbs_csv=f"{reverse('monitor:cbs_export', kwargs={'fmt': 'csv'})}?{query}",
            cbs_period=f"{cbs_form.cleaned_data['year']}-H{cbs_form.cleaned_data['half']}",
        )
    context["cbs_form"] = CbsForm(
        initial=cbs_form.cleaned_data if cbs_form.is_valid() else None,
        scopes=scopes,
        auto_id="cbs_%s",
    )
    return render(request, "monitor/kpis.html", context)


def _file(sheets: list[exports.Sheet], fmt: str, name: str) -> HttpResponse:
    if fmt == "xlsx":
        response = HttpResponse(exports.to_xlsx(sheets), content_type=exports.XLSX_TYPE)
    else:
        response = HttpResponse(exports.to_csv(sheets), content_type=exports.CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _actor_scopes(request: HttpRequest) -> tuple[Actor, list[tuple[str, str]]]:
    actor = actor_of(request, selectors.VIEW)
    return actor, selectors.scope_choices(actor=actor)


@require_safe
@login_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The KPI page's figures as CSV or XLSX, for the same area and period (the page's
    filters). Aggregated, suppressed figures: no access-log event (docs/monitor.md#exports)."""
    actor, scopes = _actor_scopes(request)
    form = _kpi_form(request, scopes)
    if not form.is_valid():
        return HttpResponseBadRequest("invalid area or period")
    start, end, choice = (
        form.cleaned_data["start"],
        form.cleaned_data["end"],
        form.cleaned_data["scope"] or "",
    )
    scope = selectors.scope_of(actor=actor, choice=choice)
    figures = selectors.kpis(actor=actor, scope=scope, start=start, end=end)
    sheet = exports.kpi_sheet(
        figures=figures, scope_name=dict(scopes).get(choice, ""), start=start, end=end
    )
    sheet.rows += care_exports.care_rows(  # chain care, below the Veilig Thuis figures
        care_kpis.care_kpis(actor=actor, scope=scope, start=start, end=end)
    )
    sheet.rows += exports.legend()
    return _file([sheet], fmt, f"monitor-{start.isoformat()}-{end.isoformat()}")


@require_safe
@login_required
def cbs_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The CBS Beleidsinformatie half-year tables as XLSX (three sheets) or CSV."""
    actor, scopes = _actor_scopes(request)
    form = _cbs_form(request, scopes)
    if not form.is_valid():
        return HttpResponseBadRequest("invalid area or half year")
    year, half, choice = (
        form.cleaned_data["year"],
        form.cleaned_data["half"],
        form.cleaned_data["scope"] or "",
    )
    scope = selectors.scope_of(actor=actor, choice=choice)
    tables = selectors.cbs_half_year(actor=actor, scope=scope, year=year, half=half)
    sheets = exports.cbs_sheets(
        tables=tables, scope_name=dict(scopes).get(choice, ""), year=year, half=half
    )
    return _file(sheets, fmt, f"cbs-beleidsinformatie-{year}-h{half}")


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
            care_tables=care_exports.tables(
                care_kpis.care_kpis(
                    actor=actor,
                    scope=selectors.Scope(region=report.region),
                    start=report.start,
                    end=report.end,
                ),
                short=True,
            ),
        )
    return context


@require_safe
@login_required
def council_report(request: HttpRequest) -> HttpResponse:
    """The council progress report of the actor's region for a year or period, as a page."""
    return render(request, "monitor/council_report.html", _council_report_context(request))


@require_safe
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
