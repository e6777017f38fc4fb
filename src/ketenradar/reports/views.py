"""The meldcode assistant for professionals."""

from __future__ import annotations

from typing import Any

from django import forms
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
    DossierState,
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
        "feedback": selectors.reporter_feedback(actor=actor, record=record),
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
    dossier = detail.dossier
    context: dict[str, Any] = {"detail": detail, "dossier": dossier}
    may_assess = actor.has_perm(services.ASSESS)
    if may_assess and dossier.state == DossierState.ASSESSMENT:
        context["assessment_form"] = AssessmentForm(region=actor.region)
    context["may_start_monitoring"] = may_assess and dossier.state in MONITORING_AFTER
    # one form per task and per moment, each with its own ids, so every label has its input
    context["tasks"] = [
        (t, TaskDoneForm(auto_id=f"id_task{t.pk}_%s"), ExtendForm(auto_id=f"id_task{t.pk}_%s"))
        for t in dossier.tasks.select_related("contact__reporter")
    ]
    context["moments"] = [
        (m, MonitoringForm(auto_id=f"id_moment{m.pk}_%s")) for m in dossier.monitoring_moments.all()
    ]
    return render(request, "reports/dossier_detail.html", context)


# The states after the assessment's decision from which Veilig Thuis goes on to monitor.
MONITORING_AFTER = (DossierState.CONDITIONS, DossierState.CHILD_PROTECTION_BOARD)


def _dossier_post(
    request: HttpRequest,
    uuid: str,
    perm: str,
    make_form: Any,
    act: Any,
    ok: str,
    invalid: str,
) -> HttpResponse:
    """The dossier page's actions: the dossier through its selector, the form
    (``make_form(data, actor)``), then the service (``act(actor, dossier, cleaned_data)``);
    every outcome back on the dossier page."""
    actor = actor_of(request, perm)
    dossier = selectors.dossier_detail(actor=actor, dossier_uuid=uuid).dossier
    form = make_form(request.POST, actor)
    if not form.is_valid():
        messages.error(request, invalid)
    else:
        try:
            act(actor, dossier, form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, ok)
    return redirect("reports:dossier_detail", uuid=dossier.uuid)


@login_required
@require_POST
def dossier_assess(request: HttpRequest, uuid: str) -> HttpResponse:
    return _dossier_post(
        request,
        uuid,
        services.ASSESS,
        lambda data, actor: AssessmentForm(data, region=actor.region),
        lambda actor, dossier, data: services.assessment_decide(
            actor=actor,
            dossier=dossier,
            **{**data, "decision": AssessmentDecision(data["decision"])},
        ),
        _("Safety assessment decided."),
        _("Complete every screening with its rationale and the decision."),
    )


@login_required
@require_POST
def task_done(request: HttpRequest, uuid: str, pk: int) -> HttpResponse:
    return _dossier_post(
        request,
        uuid,
        selectors.VIEW_VT_WORK,
        lambda data, actor: TaskDoneForm(data),
        lambda actor, dossier, data: services.task_complete(
            actor=actor, task=get_object_or_404(dossier.tasks, pk=pk), content=data["content"]
        ),
        _("Recorded."),
        _("Record what was said."),
    )


@login_required
@require_POST
def task_extend(request: HttpRequest, uuid: str, pk: int) -> HttpResponse:
    return _dossier_post(
        request,
        uuid,
        selectors.VIEW_VT_WORK,
        lambda data, actor: ExtendForm(data),
        lambda actor, dossier, data: services.informing_extend(
            actor=actor, task=get_object_or_404(dossier.tasks, pk=pk), reason=data["reason"]
        ),
        _("Extended by 2 weeks."),
        _("An extension needs a reason."),
    )


@login_required
@require_POST
def monitoring_done(request: HttpRequest, uuid: str, pk: int) -> HttpResponse:
    return _dossier_post(
        request,
        uuid,
        selectors.VIEW_VT_WORK,
        lambda data, actor: MonitoringForm(data),
        lambda actor, dossier, data: services.monitoring_record(
            actor=actor,
            moment=get_object_or_404(dossier.monitoring_moments, pk=pk),
            outcome=MonitoringOutcome(data["outcome"]),
            note=data["note"],
            action=data["action"],
        ),
        _("Monitoring outcome recorded."),
        _("Give the outcome and a note."),
    )


@login_required
@require_POST
def dossier_to_monitoring(request: HttpRequest, uuid: str) -> HttpResponse:
    """After Voorwaarden & Vervolg (or the Raad), Veilig Thuis monitors: its moments are
    planned. Nothing to fill in: an empty form, always valid."""
    return _dossier_post(
        request,
        uuid,
        services.ASSESS,
        lambda data, actor: forms.Form(data),
        lambda actor, dossier, data: services.dossier_move(
            actor=actor, dossier=dossier, to=DossierState.MONITORING
        ),
        _("Monitoring started: its moments are planned."),
        "",
    )
