"""Screens of chain care: the case list, opening a case, the case page and its steps, the
lead's escalations and the notification list."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ketenradar.accounts.actor import Actor
from ketenradar.care import forms, selectors, services
from ketenradar.care.constants import CaseSource
from ketenradar.care.models import Case
from ketenradar.care.policy import (
    COORDINATE_CASES,
    HAND_OVER_CASES,
    LEAD_CASES,
    VIEW_CASES,
    CaseRole,
)
from ketenradar.core import clock
from ketenradar.core.http import actor_of


@require_safe
def case_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, VIEW_CASES)
    lists = selectors.case_lists(actor=actor)
    return render(request, "care/case_list.html", {"lists": lists})


@require_http_methods(["GET", "HEAD", "POST"])
def case_open(request: HttpRequest, uuid: uuid.UUID) -> HttpResponse:
    """The local team opens a case for a household it is involved with."""
    actor = actor_of(request, COORDINATE_CASES)
    household = selectors.household_for_case(actor=actor, household_uuid=uuid)
    form = forms.CaseOpenForm(request.POST or None, region=actor.region)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(
                actor=actor,
                household=household,
                municipality=form.cleaned_data["municipality"],
                source=CaseSource.LOCAL_TEAM,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            return redirect("care:detail", uuid=case.uuid)
    return render(request, "care/case_open.html", {"form": form, "household": household})


@require_http_methods(["GET", "HEAD", "POST"])
def case_handover(request: HttpRequest, uuid: uuid.UUID) -> HttpResponse:
    """Veilig Thuis hands a dossier's household over to the local team as a case."""
    actor = actor_of(request, HAND_OVER_CASES)
    dossier, households = selectors.handover_households(actor=actor, dossier_uuid=uuid)
    form = forms.HandoverForm(request.POST or None, households=households, region=actor.region)
    if request.method == "POST" and form.is_valid():
        household = next(
            h for h in households if str(h.uuid) == form.cleaned_data["household_uuid"]
        )
        try:
            case = services.case_open(
                actor=actor,
                household=household,
                municipality=form.cleaned_data["municipality"],
                source=CaseSource.VT_HANDOVER,
                dossier=dossier,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            return render(request, "care/handover_done.html", {"case": case, "dossier": dossier})
    return render(
        request,
        "care/case_handover.html",
        {"form": form, "dossier": dossier, "households": households},
    )


@require_safe
def case_detail(request: HttpRequest, uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request, VIEW_CASES)
    detail = selectors.case_detail(actor=actor, case_uuid=uuid)
    return render(request, "care/case_detail.html", _detail_context(detail, {}))


@dataclass(frozen=True)
class Step:
    form: type[forms.CaseForm]
    roles: frozenset[CaseRole]
    run: Callable[[Actor, Case, dict[str, Any]], Any]


COORD = frozenset({CaseRole.COORDINATOR})

STEPS: dict[str, Step] = {
    "team_add": Step(
        forms.TeamAddForm,
        COORD,
        lambda a, c, d: services.team_member_add(
            actor=a, case=c, organisation=d["organisation"], purpose=d["purpose"], user=d["user"]
        ),
    ),
    "team_end": Step(
        forms.TeamEndForm,
        COORD,
        lambda a, c, d: services.team_member_end(actor=a, case=c, member=d["member"]),
    ),
    "coordinator": Step(
        forms.CoordinatorForm,
        frozenset({CaseRole.COORDINATOR, CaseRole.LEAD}),
        lambda a, c, d: services.coordinator_change(
            actor=a,
            case=c,
            organisation=d["organisation"],
            coordinator=d["coordinator"],
            reason=d["reason"],
        ),
    ),
    "condition_add": Step(
        forms.ConditionAddForm,
        COORD,
        lambda a, c, d: services.condition_add(actor=a, case=c, text=d["text"]),
    ),
    "condition_status": Step(
        forms.ConditionStatusForm,
        COORD,
        lambda a, c, d: services.condition_status(
            actor=a, case=c, condition=d["condition"], status=d["status"]
        ),
    ),
    "analysis": Step(
        forms.AnalysisForm,
        COORD,
        lambda a, c, d: services.analysis_record(actor=a, case=c, **d),
    ),
    "goal_add": Step(
        forms.GoalAddForm,
        COORD,
        lambda a, c, d: services.goal_add(
            actor=a, case=c, phase=d["phase"], description=d["description"]
        ),
    ),
    "goal_status": Step(
        forms.GoalStatusForm,
        COORD,
        lambda a, c, d: services.goal_status(actor=a, case=c, goal=d["goal"], status=d["status"]),
    ),
    "action_add": Step(
        forms.ActionAddForm,
        COORD,
        lambda a, c, d: services.action_add(actor=a, case=c, **d),
    ),
    "action_status": Step(
        forms.ActionStatusForm,
        frozenset({CaseRole.COORDINATOR, CaseRole.TEAM}),
        lambda a, c, d: services.action_status(
            actor=a, case=c, action=d["action"], status=d["status"]
        ),
    ),
    "plan_approve": Step(
        forms.PlanApproveForm,
        COORD,
        lambda a, c, d: services.plan_approve(actor=a, case=c, note=d["note"]),
    ),
    "evaluation_plan": Step(
        forms.EvaluationPlanForm,
        COORD,
        lambda a, c, d: services.evaluation_plan(actor=a, case=c, planned_for=d["planned_for"]),
    ),
    "evaluation_record": Step(
        forms.EvaluationRecordForm,
        COORD,
        lambda a, c, d: services.evaluation_record(
            actor=a, case=c, evaluation=d["evaluation"], summary=d["summary"]
        ),
    ),
    "safety": Step(
        forms.SafetyForm,
        COORD,
        lambda a, c, d: services.safety_check_record(
            actor=a, case=c, level=d["level"], note=d["note"]
        ),
    ),
    "phase": Step(
        forms.PhaseForm,
        COORD,
        lambda a, c, d: services.phase_change(
            actor=a, case=c, to_phase=d["to_phase"], reason=d["reason"]
        ),
    ),
    "close": Step(
        forms.CloseForm,
        COORD,
        lambda a, c, d: services.case_close(
            actor=a, case=c, reason=d["reason"], final_safety=d["final_safety"], note=d["note"]
        ),
    ),
    "escalate": Step(
        forms.EscalateForm,
        frozenset({CaseRole.COORDINATOR, CaseRole.TEAM}),
        lambda a, c, d: services.escalate(actor=a, case=c, reason=d["reason"], note=d["note"]),
    ),
    "escalation_resolve": Step(
        forms.EscalationResolveForm,
        frozenset({CaseRole.LEAD}),
        lambda a, c, d: services.escalation_resolve(
            actor=a, escalation=d["escalation"], resolution=d["resolution"]
        ),
    ),
    "screening_offer": Step(
        forms.ScreeningOfferForm,
        COORD,
        lambda a, c, d: services.screening_offer(
            actor=a, case=c, person=d["person"], role=d["role"]
        ),
    ),
    "screening_outcome": Step(
        forms.ScreeningOutcomeForm,
        COORD,
        lambda a, c, d: services.screening_outcome(
            actor=a, case=c, screening=d["screening"], outcome=d["outcome"], referral=d["referral"]
        ),
    ),
    "refusal": Step(
        forms.RefusalForm,
        COORD,
        lambda a, c, d: services.refusal_record(actor=a, case=c, **d),
    ),
}


@require_POST
def case_step(request: HttpRequest, uuid: uuid.UUID, step: str) -> HttpResponse:
    """One step on the case: the form, the service, back to the case page; an invalid form
    or a refused step shows the page again with the reason."""
    actor = actor_of(request, VIEW_CASES)
    spec = STEPS[step]
    case = selectors.case_for(actor=actor, case_uuid=uuid, roles=spec.roles)
    form = spec.form(request.POST, case=case, prefix=step)
    if form.is_valid():
        try:
            spec.run(actor, case, form.cleaned_data)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            return redirect(f"{case_url(case)}#{step}")
    detail = selectors.case_detail(actor=actor, case_uuid=uuid)
    return render(request, "care/case_detail.html", _detail_context(detail, {step: form}))


def case_url(case: Case) -> str:
    from django.urls import reverse

    return reverse("care:detail", kwargs={"uuid": case.uuid})


def _detail_context(detail: selectors.CaseDetail, bound: dict[str, forms.CaseForm]) -> dict:
    allowed = {
        name: spec
        for name, spec in STEPS.items()
        if detail.role in spec.roles and (detail.case.is_open or name == "escalation_resolve")
    }
    step_forms = {
        name: bound.get(name) or spec.form(case=detail.case, prefix=name)
        for name, spec in allowed.items()
    }
    return {"d": detail, "case": detail.case, "forms": step_forms, "today": clock.today()}


@require_safe
def escalations(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, LEAD_CASES)
    rows = selectors.escalations_for_lead(actor=actor)
    return render(request, "care/escalations.html", {"rows": rows})
