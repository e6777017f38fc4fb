"""The meldcode assistant for professionals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketenradar.core.http import actor_of
from ketenradar.reports import selectors, services
from ketenradar.reports.constants import (
    AssessmentDecision,
    ContactKind,
    MonitoringOutcome,
    ViolenceType,
)
from ketenradar.reports.forms import (
    AssessmentForm,
    ExtendForm,
    MeldcodeForm,
    MonitoringForm,
    PersonFormSet,
    SubmitToVeiligThuisForm,
    TaskDoneForm,
)
from ketenradar.reports.meldcode import Answers, weigh

USE_MELDCODE = "reports.use_meldcode"


@login_required
def meldcode_start(request: HttpRequest) -> HttpResponse:
    """First question, before anything else: is someone in danger right now?"""
    actor = actor_of(request, USE_MELDCODE)
    return render(
        request, "reports/meldcode_start.html", {"records": selectors.meldcode_records(actor=actor)}
    )


@login_required
def meldcode_acute(request: HttpRequest) -> HttpResponse:
    actor_of(request, USE_MELDCODE)
    return render(request, "reports/meldcode_acute.html")


@login_required
def meldcode_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, USE_MELDCODE)
    form = MeldcodeForm(request.POST or None)
    persons = PersonFormSet(request.POST or None, prefix="persoon")
    if request.method == "POST" and form.is_valid() and persons.is_valid():
        described = [
            {**p, "date_of_birth": p["date_of_birth"].isoformat() if p.get("date_of_birth") else ""}
            for p in persons.cleaned_data
            if p and (p.get("surname") or p.get("given_names") or p.get("bsn"))
        ]
        record = services.meldcode_record_create(
            actor=actor, persons=described, **form.cleaned_data
        )
        return redirect("reports:meldcode_detail", uuid=record.uuid)
    return render(request, "reports/meldcode_form.html", {"form": form, "persons": persons})


@login_required
def meldcode_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = actor_of(request, USE_MELDCODE)
    record = selectors.meldcode_record(actor=actor, record_uuid=uuid)
    weighing = weigh(
        Answers(
            suspicion=record.suspicion,
            acute=record.acute_unsafety,
            structural=record.structural_unsafety,
            can_offer_help=record.can_offer_help,
            help_accepted=record.help_accepted,
            leads_to_safety=record.leads_to_safety,
        )
    )
    initial = {"kind": ContactKind.REPORT if weighing.must_report else ContactKind.ADVICE}
    context = {
        "record": record,
        "weighing": weighing,
        "submit_form": SubmitToVeiligThuisForm(initial=initial),
    }
    return render(request, "reports/meldcode_detail.html", context)


@login_required
@require_POST
def meldcode_submit(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = actor_of(request, USE_MELDCODE)
    record = selectors.meldcode_record(actor=actor, record_uuid=uuid)
    form = SubmitToVeiligThuisForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Complete the request to Veilig Thuis."))
        return redirect("reports:meldcode_detail", uuid=record.uuid)
    try:
        contact = services.meldcode_submit(
            actor=actor,
            record=record,
            kind=ContactKind(form.cleaned_data["kind"]),
            violence_types=[ViolenceType(v) for v in form.cleaned_data["violence_types"]],
            phone=form.cleaned_data["phone"],
            human_trafficking=form.cleaned_data["human_trafficking"],
            description=form.cleaned_data["description"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Sent to Veilig Thuis: %(kind)s.") % {"kind": contact.get_kind_display()}
        )
    return redirect("reports:meldcode_detail", uuid=record.uuid)


@login_required
def work_queue(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, selectors.VIEW_VT_WORK)
    return render(request, "reports/work_queue.html", {"queue": selectors.work_queue(actor=actor)})


@login_required
def dossier_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = actor_of(request)
    detail = selectors.dossier_detail(actor=actor, dossier_uuid=uuid)
    context: dict[str, Any] = {"detail": detail, "dossier": detail.dossier}
    if actor.has_perm(services.ASSESS) and detail.dossier.state == "veiligheidsbeoordeling":
        context["assessment_form"] = AssessmentForm(region=actor.region)
    context["task_form"], context["extend_form"] = TaskDoneForm(), ExtendForm()
    context["monitoring_form"] = MonitoringForm()
    return render(request, "reports/dossier_detail.html", context)


def _dossier_action(request: HttpRequest, uuid: str, perm: str) -> tuple[Any, Any]:
    actor = actor_of(request, perm)
    detail = selectors.dossier_detail(actor=actor, dossier_uuid=uuid)
    return actor, detail.dossier


def _done(request: HttpRequest, call: Any, ok: str) -> None:
    try:
        call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, ok)


@login_required
@require_POST
def dossier_assess(request: HttpRequest, uuid: str) -> HttpResponse:
    actor, dossier = _dossier_action(request, uuid, services.ASSESS)
    form = AssessmentForm(request.POST, region=actor.region)
    if form.is_valid():
        data = form.cleaned_data
        _done(
            request,
            lambda: services.assessment_decide(
                actor=actor,
                dossier=dossier,
                **{**data, "decision": AssessmentDecision(data["decision"])},
            ),
            _("Safety assessment decided."),
        )
    else:
        messages.error(request, _("Complete every screening with its rationale and the decision."))
    return redirect("reports:dossier_detail", uuid=dossier.uuid)


@login_required
@require_POST
def task_done(request: HttpRequest, uuid: str, pk: int) -> HttpResponse:
    actor, dossier = _dossier_action(request, uuid, selectors.VIEW_VT_WORK)
    task = get_object_or_404(dossier.tasks, pk=pk)
    form = TaskDoneForm(request.POST)
    if form.is_valid():
        _done(
            request,
            lambda: services.task_complete(
                actor=actor, task=task, content=form.cleaned_data["content"]
            ),
            _("Recorded."),
        )
    else:
        messages.error(request, _("Record what was said."))
    return redirect("reports:dossier_detail", uuid=dossier.uuid)


@login_required
@require_POST
def task_extend(request: HttpRequest, uuid: str, pk: int) -> HttpResponse:
    actor, dossier = _dossier_action(request, uuid, selectors.VIEW_VT_WORK)
    task = get_object_or_404(dossier.tasks, pk=pk)
    form = ExtendForm(request.POST)
    if form.is_valid():
        _done(
            request,
            lambda: services.informing_extend(
                actor=actor, task=task, reason=form.cleaned_data["reason"]
            ),
            _("Extended by 2 weeks."),
        )
    else:
        messages.error(request, _("An extension needs a reason."))
    return redirect("reports:dossier_detail", uuid=dossier.uuid)


@login_required
@require_POST
def monitoring_done(request: HttpRequest, uuid: str, pk: int) -> HttpResponse:
    actor, dossier = _dossier_action(request, uuid, selectors.VIEW_VT_WORK)
    moment = get_object_or_404(dossier.monitoring_moments, pk=pk)
    form = MonitoringForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        _done(
            request,
            lambda: services.monitoring_record(
                actor=actor,
                moment=moment,
                outcome=MonitoringOutcome(data["outcome"]),
                note=data["note"],
                action=data["action"],
            ),
            _("Monitoring outcome recorded."),
        )
    else:
        messages.error(request, _("Give the outcome and a note."))
    return redirect("reports:dossier_detail", uuid=dossier.uuid)
