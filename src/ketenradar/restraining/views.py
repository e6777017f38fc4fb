"""The screens of the tijdelijk huisverbod: the list, registering one from a household, and
an order's page with its deadlines and the forms for its course."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ketenradar.accounts.actor import Actor
from ketenradar.audit.constants import AuditAction
from ketenradar.core import clock
from ketenradar.core.http import actor_of
from ketenradar.persons import selectors as person_selectors
from ketenradar.restraining import selectors, services
from ketenradar.restraining.constants import (
    Capacity,
    ExtensionOutcome,
    OrderStatus,
    RihgOutcome,
)
from ketenradar.restraining.forms import (
    ExtensionForm,
    HelpForm,
    PersonSearchForm,
    RegisterForm,
    SafetyPlanForm,
    StatusForm,
    ViolationForm,
)
from ketenradar.restraining.models import RestrainingOrder

VIEW = selectors.VIEW
MANAGE = services.MANAGE


@require_safe
@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, VIEW)
    now = clock.now()
    orders = selectors.order_list(actor=actor, now=now)
    rows = [(o, o.status_label_at(now), o.is_running(now)) for o in orders]
    return render(
        request,
        "restraining/order_list.html",
        {"rows": rows, "may_register": actor.has_perm(MANAGE)},
    )


@require_safe
@login_required
def register_start(request: HttpRequest) -> HttpResponse:
    """Find a person the actor may see, then choose one of their households."""
    actor = actor_of(request, MANAGE)
    form = PersonSearchForm(request.GET or None)
    persons: list[Any] = []
    total = 0
    if form.is_valid():
        persons, total = person_selectors.person_search(actor=actor, query=form.cleaned_data["q"])
    found = [
        (p, list(p.household_memberships.select_related("household").order_by("-start_date")))
        for p in persons
    ]
    return render(
        request,
        "restraining/register_start.html",
        {"form": form, "found": found, "total": total, "searched": form.is_bound},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def register(request: HttpRequest, household: str) -> HttpResponse:
    """Register an order for members of a household the actor may see; each member's role."""
    actor = actor_of(request, MANAGE)
    attempt = AuditAction.CREATE if request.method == "POST" else AuditAction.READ
    detail = person_selectors.household_detail(
        actor=actor, household_uuid=household, action=attempt
    )
    form = RegisterForm(request.POST or None, region=actor.region, members=detail.members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.order_register(
                actor=actor,
                municipality=data["municipality"],
                imposed_at=data["imposed_at"],
                imposed_by_capacity=Capacity(data["imposed_by_capacity"]),
                imposed_by_name=data["imposed_by_name"],
                rihg_outcome=RihgOutcome(data["rihg_outcome"]),
                rihg_note=data["rihg_note"],
                persons=form.persons(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Restraining order recorded."))
            return redirect("restraining:detail", uuid=order.uuid)
    return render(
        request, "restraining/register.html", {"form": form, "household": detail.household}
    )


@require_safe
@login_required
def order_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = actor_of(request, VIEW)
    detail = selectors.order_detail(actor=actor, order_uuid=uuid)
    order = detail.order
    now = clock.now()
    context: dict[str, Any] = {
        "detail": detail,
        "order": order,
        "status_label": order.status_label_at(now),
        "running": order.is_running(now),
        "help": list(order.help.select_related("organisation")),
        "plans": list(order.safety_plans.select_related("organisation")),
        "violations": list(order.violations.all()),
    }
    if actor.has_perm(MANAGE):
        region = actor.region
        if detail.extension is None and order.status == OrderStatus.IMPOSED and context["running"]:
            context["extension_form"] = ExtensionForm(auto_id="id_ext_%s")
        context["help_form"] = HelpForm(region=region, auto_id="id_help_%s")
        context["plan_form"] = SafetyPlanForm(region=region, auto_id="id_plan_%s")
        if context["running"]:
            context["violation_form"] = ViolationForm(auto_id="id_violation_%s")
        if order.status in (OrderStatus.IMPOSED, OrderStatus.EXTENDED):
            context["status_form"] = StatusForm(auto_id="id_status_%s")
    return render(request, "restraining/order_detail.html", context)


def _order_post(
    request: HttpRequest,
    uuid: str,
    make_form: Callable[[Any, Actor], forms.Form],
    act: Callable[[Actor, RestrainingOrder, dict[str, Any]], object],
    ok: str,
    attempt: AuditAction = AuditAction.CREATE,
) -> HttpResponse:
    """The order page's actions: the order through its selector (a refusal logged as the
    write attempted), the form, the service; every outcome back on the order's page."""
    actor = actor_of(request, MANAGE)
    order = selectors.order_get(actor=actor, order_uuid=uuid, action=attempt)
    form = make_form(request.POST, actor)
    if not form.is_valid():
        errors = [str(e) for field in form.errors.values() for e in field]
        messages.error(request, " ".join(errors))
    else:
        try:
            act(actor, order, form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, ok)
    return redirect("restraining:detail", uuid=order.uuid)


@require_POST
@login_required
def extension_decide(request: HttpRequest, uuid: str) -> HttpResponse:
    return _order_post(
        request,
        uuid,
        lambda data, actor: ExtensionForm(data),
        lambda actor, order, d: services.extension_decide(
            actor=actor,
            order=order,
            outcome=ExtensionOutcome(d["outcome"]),
            decided_at=d["decided_at"],
            decided_by_capacity=Capacity(d["decided_by_capacity"]),
            decided_by_name=d["decided_by_name"],
            new_end=d["new_end"],
        ),
        _("Extension decision recorded."),
    )


@require_POST
@login_required
def help_start(request: HttpRequest, uuid: str) -> HttpResponse:
    return _order_post(
        request,
        uuid,
        lambda data, actor: HelpForm(data, region=actor.region),
        lambda actor, order, d: services.help_start(actor=actor, order=order, **d),
        _("Help recorded."),
    )


@require_POST
@login_required
def safety_plan(request: HttpRequest, uuid: str) -> HttpResponse:
    return _order_post(
        request,
        uuid,
        lambda data, actor: SafetyPlanForm(data, region=actor.region),
        lambda actor, order, d: services.safety_plan_record(actor=actor, order=order, **d),
        _("Safety plan recorded."),
    )


@require_POST
@login_required
def violation(request: HttpRequest, uuid: str) -> HttpResponse:
    return _order_post(
        request,
        uuid,
        lambda data, actor: ViolationForm(data),
        lambda actor, order, d: services.violation_record(actor=actor, order=order, **d),
        _("Violation recorded."),
    )


@require_POST
@login_required
def status_change(request: HttpRequest, uuid: str) -> HttpResponse:
    return _order_post(
        request,
        uuid,
        lambda data, actor: StatusForm(data),
        lambda actor, order, d: services.order_status_change(
            actor=actor, order=order, to=OrderStatus(d["to"]), **{k: d[k] for k in d if k != "to"}
        ),
        _("Status changed."),
        attempt=AuditAction.UPDATE,
    )
