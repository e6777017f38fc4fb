"""MDA++ screens: the core team's referral list, a referral (criteria, accept or decline,
hand back), conference planning, the conference (weighing, global plan, actions per
agency); and the coordinator's referral form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ketenradar.audit.constants import AuditAction
from ketenradar.care import selectors as care_selectors
from ketenradar.care.policy import CaseRole
from ketenradar.core.http import actor_of
from ketenradar.mda import selectors, services
from ketenradar.mda.constants import MIN_FURTHER_CRITERIA, ReferralStatus
from ketenradar.mda.forms import (
    ActionForm,
    ConferencePlanForm,
    DeclineForm,
    HoldForm,
    ReferralForm,
    WeighingForm,
)
from ketenradar.mda.models import Conference

RUN = selectors.RUN
REFER = selectors.REFER


def _error(request: HttpRequest, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


@require_safe
@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, RUN)
    return render(
        request, "mda/referral_list.html", {"lists": selectors.referral_lists(actor=actor)}
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def refer(request: HttpRequest, case_uuid: str) -> HttpResponse:
    """The coordinator refers their case; the page also shows earlier referrals' status."""
    actor = actor_of(request, REFER)
    case = care_selectors.case_for(actor=actor, case_uuid=case_uuid, roles={CaseRole.COORDINATOR})
    organisations = selectors.mda_organisations(actor=actor, case=case)
    form = ReferralForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(
                actor=actor,
                case=case,
                mda_organisation=form.cleaned_data["mda_organisation"],
                criteria=form.criteria(),
                question=form.cleaned_data["question"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The case has been referred to MDA++."))
            return redirect("mda:referral_detail", uuid=referral.uuid)
    context = {
        "case": case,
        "form": form,
        "referrals": selectors.case_referrals(actor=actor, case=case),
        "min_further": MIN_FURTHER_CRITERIA,
    }
    return render(request, "mda/refer.html", context)


@require_safe
@login_required
def referral_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = actor_of(request)
    detail = selectors.referral_detail(actor=actor, referral_uuid=uuid)
    context: dict[str, Any] = {"detail": detail, "referral": detail.referral}
    if detail.runs and detail.referral.status == ReferralStatus.REFERRED:
        context["decline_form"] = DeclineForm()
    return render(request, "mda/referral_detail.html", context)


@require_POST
@login_required
def referral_accept(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = actor_of(request, RUN)
    referral = selectors.referral_for_mda(actor=actor, referral_uuid=uuid)
    try:
        services.referral_accept(actor=actor, referral=referral)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Referral accepted: MDA++ has joined the case team."))
    return redirect("mda:referral_detail", uuid=referral.uuid)


@require_POST
@login_required
def referral_decline(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = actor_of(request, RUN)
    referral = selectors.referral_for_mda(actor=actor, referral_uuid=uuid)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("State why MDA++ declines the referral."))
        return redirect("mda:referral_detail", uuid=referral.uuid)
    try:
        services.referral_decline(
            actor=actor, referral=referral, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Referral declined."))
    return redirect("mda:referral_detail", uuid=referral.uuid)


@require_POST
@login_required
def hand_back(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = actor_of(request, RUN)
    referral = selectors.referral_for_mda(actor=actor, referral_uuid=uuid)
    try:
        services.plan_hand_back(actor=actor, referral=referral)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The plan has been handed back to the coordinator."))
    return redirect("mda:referral_detail", uuid=referral.uuid)


@require_safe
@login_required
def conference_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, RUN)
    return render(
        request,
        "mda/conference_list.html",
        {"conferences": selectors.conference_list(actor=actor)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def conference_plan(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, RUN)
    candidates = selectors.agenda_candidates(actor=actor)
    form = ConferencePlanForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            conference = services.conference_plan(
                actor=actor,
                planned_at=form.cleaned_data["planned_at"],
                referrals=list(form.cleaned_data["referrals"]),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Conference planned."))
            return redirect("mda:conference_detail", uuid=conference.uuid)
    return render(request, "mda/conference_plan.html", {"form": form, "candidates": candidates})


def _conference_page(request: HttpRequest, conference: Conference) -> HttpResponse:
    actor = actor_of(request, RUN)
    agencies = selectors.agencies(actor=actor)
    cases = []
    for item in conference.cases.select_related("referral").prefetch_related("actions__agency"):
        open_ = item.referral.status == ReferralStatus.ON_AGENDA
        weigh_form = (
            WeighingForm(
                initial={
                    "risk_factors": item.risk_factors,
                    "protective_factors": item.protective_factors,
                    "global_plan": item.global_plan,
                },
                prefix=f"weging-{item.pk}",
            )
            if open_
            else None
        )
        action_form = ActionForm(agencies=agencies, prefix=f"actie-{item.pk}") if open_ else None
        cases.append((item, weigh_form, action_form))
    hold_form = (
        HoldForm(agencies=agencies, prefix="overleg") if conference.held_at is None else None
    )
    context = {"conference": conference, "cases": cases, "hold_form": hold_form}
    return render(request, "mda/conference_detail.html", context)


@require_safe
@login_required
def conference_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = actor_of(request, RUN)
    conference = selectors.conference_detail(actor=actor, conference_uuid=uuid)
    return _conference_page(request, conference)


@require_POST
@login_required
def conference_hold(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = actor_of(request, RUN)
    conference = selectors.conference_detail(
        actor=actor, conference_uuid=uuid, action=AuditAction.UPDATE
    )
    form = HoldForm(request.POST, agencies=selectors.agencies(actor=actor), prefix="overleg")
    if not form.is_valid():
        messages.error(request, _("Record the participants and their agencies."))
        return redirect("mda:conference_detail", uuid=conference.uuid)
    try:
        services.conference_hold(
            actor=actor,
            conference=conference,
            participants=form.cleaned_data["participants"],
            participant_organisations=list(form.cleaned_data["participant_organisations"]),
            next_conference_on=form.cleaned_data["next_conference_on"],
        )
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("The conference has been recorded as held."))
    return redirect("mda:conference_detail", uuid=conference.uuid)


@require_POST
@login_required
def conference_case_weigh(request: HttpRequest, uuid: str, pk: int) -> HttpResponse:
    actor = actor_of(request, RUN)
    conference = selectors.conference_detail(
        actor=actor, conference_uuid=uuid, action=AuditAction.UPDATE
    )
    item = selectors.conference_case_for(actor=actor, conference=conference, pk=pk)
    form = WeighingForm(request.POST, prefix=f"weging-{item.pk}")
    if not form.is_valid():
        messages.error(
            request, _("Record the risk factors, the protective factors and the global plan.")
        )
        return redirect("mda:conference_detail", uuid=conference.uuid)
    try:
        services.conference_case_weigh(actor=actor, conference_case=item, **form.cleaned_data)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Weighing and global plan recorded."))
    return redirect("mda:conference_detail", uuid=conference.uuid)


@require_POST
@login_required
def conference_action_add(request: HttpRequest, uuid: str, pk: int) -> HttpResponse:
    actor = actor_of(request, RUN)
    conference = selectors.conference_detail(
        actor=actor, conference_uuid=uuid, action=AuditAction.CREATE
    )
    item = selectors.conference_case_for(actor=actor, conference=conference, pk=pk)
    form = ActionForm(
        request.POST, agencies=selectors.agencies(actor=actor), prefix=f"actie-{item.pk}"
    )
    if not form.is_valid():
        messages.error(request, _("Complete the action: agency, action and date."))
        return redirect("mda:conference_detail", uuid=conference.uuid)
    try:
        services.conference_action_add(actor=actor, conference_case=item, **form.cleaned_data)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Action added."))
    return redirect("mda:conference_detail", uuid=conference.uuid)
