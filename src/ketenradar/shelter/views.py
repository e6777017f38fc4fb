from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ketenradar.audit.constants import AuditAction
from ketenradar.core.http import actor_of
from ketenradar.shelter import calculations as calc
from ketenradar.shelter import selectors, services
from ketenradar.shelter.constants import BedType
from ketenradar.shelter.forms import (
    MonthForm,
    PlacementEndForm,
    PlacementForm,
    TrajectoryEndForm,
    TrajectoryForm,
    WaitingListForm,
    WithdrawForm,
)

VIEW = selectors.VIEW
MANAGE = services.MANAGE


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@require_safe
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, VIEW)
    today = timezone.localdate()
    org = selectors.own_organisation(actor)
    rows = selectors.occupancy_per_day(actor=actor, start=today, end=today, organisation=org)
    waiting = selectors.waiting_times(
        actor=actor, start=today - dt.timedelta(days=365), end=today, organisation=org
    )
    norm = selectors.norm_summary(
        actor=actor, start=today - dt.timedelta(days=365), end=today, organisation=org
    )
    return render(
        request,
        "shelter/overview.html",
        {
            "organisation": org,
            "facilities": selectors.facilities(actor=actor),
            "rows": rows,
            "totals": _totals(rows),
            "waiting": waiting,
            "norm": norm,
            "today": today,
            "can_manage": actor.has_perm(MANAGE),
        },
    )


def _totals(rows: list[selectors.OccupancyRow]) -> dict[str, int]:
    return {
        "capacity": sum(r.occupancy.capacity for r in rows),
        "occupied": sum(r.occupancy.occupied for r in rows),
        "free": sum(r.occupancy.free for r in rows),
    }


@require_safe
@login_required
def occupancy(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, VIEW)
    org = selectors.own_organisation(actor)
    today = timezone.localdate()
    form = MonthForm(request.GET or {"month": today.strftime("%Y-%m")})
    month = today.replace(day=1)
    if form.is_valid():
        year, number = form.cleaned_data["month"].split("-")
        month = dt.date(int(year), int(number), 1)
    end = calc.add_months(month, 1) - dt.timedelta(days=1)
    rows = selectors.occupancy_per_day(actor=actor, start=month, end=end, organisation=org)
    by_key: dict[tuple[str, str], list[calc.DayOccupancy]] = {}
    for row in rows:
        by_key.setdefault((row.facility, row.bed_type), []).append(row.occupancy)
    table = [
        {"facility": facility, "bed_type": BedType(bed_type).label, "days": days}
        for (facility, bed_type), days in by_key.items()
    ]
    return render(
        request,
        "shelter/occupancy.html",
        {"form": form, "month": month, "days": calc.days(month, end), "table": table},
    )


@require_safe
@login_required
def free_capacity(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, selectors.FREE_CAPACITY)
    today = timezone.localdate()
    return render(
        request,
        "shelter/free_capacity.html",
        {"rows": selectors.free_capacity(actor=actor, today=today), "today": today},
    )


@require_safe
@login_required
def placements(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, VIEW)
    include_ended = request.GET.get("alle") == "1"
    today = timezone.localdate()
    return render(
        request,
        "shelter/placements.html",
        {
            "rows": selectors.placements(actor=actor, today=today, include_ended=include_ended),
            "include_ended": include_ended,
            "can_manage": actor.has_perm(MANAGE),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def placement_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, MANAGE)
    persons = selectors.placeable_persons(actor=actor)
    form = PlacementForm(
        request.POST or None,
        persons=persons,
        facilities=selectors.facilities(actor=actor).filter(is_active=True),
        initial={"start_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            placement = services.placement_start(
                actor=actor,
                facility=data["facility"],
                person=data["person"],
                members=list(data["members"]),
                bed_type=data["bed_type"],
                start_date=data["start_date"],
                planned_end=data["planned_end"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("The placement has been registered."))
            return redirect("shelter:placement_detail", uuid=placement.uuid)
    selectors.log_choices(actor=actor, persons=persons)
    return render(request, "shelter/placement_form.html", {"form": form, "entry": None})


@require_safe
@login_required
def placement_detail(request: HttpRequest, uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request, VIEW)
    detail = selectors.placement_detail(
        actor=actor, placement_uuid=uuid, today=timezone.localdate()
    )
    return render(
        request,
        "shelter/placement_detail.html",
        {
            "detail": detail,
            "row": detail.row,
            "end_form": PlacementEndForm(initial={"end_date": timezone.localdate()}),
            "can_manage": actor.has_perm(MANAGE),
        },
    )


@require_POST
@login_required
def placement_end(request: HttpRequest, uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request, MANAGE)
    placement = selectors.placement_get(actor=actor, placement_uuid=uuid, action=AuditAction.UPDATE)
    form = PlacementEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day of leaving and the reason."))
    else:
        try:
            services.placement_end(
                actor=actor,
                placement=placement,
                end_date=form.cleaned_data["end_date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("The placement has ended."))
    return redirect("shelter:placement_detail", uuid=placement.uuid)


@require_safe
@login_required
def waiting_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, VIEW)
    today = timezone.localdate()
    return render(
        request,
        "shelter/waiting_list.html",
        {
            "rows": selectors.waiting_list(actor=actor, today=today),
            "withdraw_form": WithdrawForm(initial={"withdrawn_on": today}),
            "can_manage": actor.has_perm(MANAGE),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def waiting_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, MANAGE)
    persons = selectors.placeable_persons(actor=actor)
    form = WaitingListForm(
        request.POST or None,
        persons=persons,
        facilities=selectors.facilities(actor=actor).filter(is_active=True),
        initial={"registered_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.waiting_list_add(
                actor=actor,
                person=data["person"],
                bed_type=data["bed_type"],
                registered_on=data["registered_on"],
                household_size=data["household_size"],
                facility=data["facility"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Added to the waiting list."))
            return redirect("shelter:waiting_list")
    selectors.log_choices(actor=actor, persons=persons)
    return render(request, "shelter/waiting_form.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def waiting_place(request: HttpRequest, uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request, MANAGE)
    attempt = AuditAction.CREATE if request.method == "POST" else AuditAction.READ
    entry = selectors.waiting_entry_get(actor=actor, entry_uuid=uuid, action=attempt)
    persons = selectors.placeable_persons(actor=actor)
    form = PlacementForm(
        request.POST or None,
        persons=persons,
        facilities=selectors.facilities(actor=actor).filter(is_active=True),
        fixed_person=True,
        initial={
            "start_date": timezone.localdate(),
            "bed_type": entry.bed_type,
            "facility": entry.facility.uuid if entry.facility else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            placement = services.placement_start(
                actor=actor,
                facility=data["facility"],
                person=entry.person,
                members=list(data["members"]),
                bed_type=data["bed_type"],
                start_date=data["start_date"],
                planned_end=data["planned_end"],
                waiting_entry=entry,
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("The placement has been registered."))
            return redirect("shelter:placement_detail", uuid=placement.uuid)
    selectors.log_choices(actor=actor, persons=persons)
    return render(request, "shelter/placement_form.html", {"form": form, "entry": entry})


@require_POST
@login_required
def waiting_withdraw(request: HttpRequest, uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request, MANAGE)
    entry = selectors.waiting_entry_get(actor=actor, entry_uuid=uuid, action=AuditAction.UPDATE)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day and the reason of the withdrawal."))
    else:
        try:
            services.waiting_list_withdraw(
                actor=actor,
                entry=entry,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Withdrawn from the waiting list."))
    return redirect("shelter:waiting_list")


@require_safe
@login_required
def trajectories(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, VIEW)
    return render(
        request,
        "shelter/trajectories.html",
        {
            "rows": selectors.trajectories(actor=actor),
            "end_form": TrajectoryEndForm(initial={"end_date": timezone.localdate()}),
            "can_manage": actor.has_perm(MANAGE),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def trajectory_new(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, MANAGE)
    persons = selectors.placeable_persons(actor=actor)
    form = TrajectoryForm(
        request.POST or None, persons=persons, initial={"start_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.trajectory_start(
                actor=actor,
                person=data["person"],
                kind=data["kind"],
                start_date=data["start_date"],
                planned_end=data["planned_end"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("The ambulant trajectory has been registered."))
            return redirect("shelter:trajectories")
    selectors.log_choices(actor=actor, persons=persons)
    return render(request, "shelter/trajectory_form.html", {"form": form})


@require_POST
@login_required
def trajectory_end(request: HttpRequest, uuid: uuid.UUID) -> HttpResponse:
    actor = actor_of(request, MANAGE)
    trajectory = selectors.trajectory_get(
        actor=actor, trajectory_uuid=uuid, action=AuditAction.UPDATE
    )
    form = TrajectoryEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day the trajectory ended."))
    else:
        try:
            services.trajectory_end(
                actor=actor, trajectory=trajectory, end_date=form.cleaned_data["end_date"]
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("The ambulant trajectory has ended."))
    return redirect("shelter:trajectories")
