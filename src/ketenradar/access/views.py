from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ketenradar.access import policy, selectors, services
from ketenradar.access.constants import BreakGlassReview
from ketenradar.access.forms import BreakGlassForm, ReviewForm
from ketenradar.core.http import actor_of
from ketenradar.persons.models import Person


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def break_glass(request: HttpRequest, uuid: str) -> HttpResponse:
    """Ask for emergency access to one person. Shows no client data before it is granted."""
    actor = actor_of(request, policy.USE_BREAK_GLASS)
    person = Person.objects.filter(uuid=uuid).first()
    if person is None:
        raise Http404
    if policy.decide_person(actor, person).allowed:
        return redirect("persons:detail", uuid=person.uuid)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.break_glass_start(
                actor=actor, person=person, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error("reason", exc)
        else:
            messages.warning(
                request, _("Break-glass access granted for 24 hours. It will be reviewed.")
            )
            return redirect("persons:detail", uuid=person.uuid)
    return render(request, "access/break_glass.html", {"form": form, "person_uuid": person.uuid})


@require_safe
@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, "access.review_break_glass")
    show_all = request.GET.get("alle") == "1"
    grants = selectors.break_glass_review_list(actor=actor, pending_only=not show_all)
    return render(
        request,
        "access/review_list.html",
        {"grants": grants, "form": ReviewForm(), "show_all": show_all},
    )


@require_POST
@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request, "access.review_break_glass")
    grant = selectors.break_glass_grant_for_review(actor=actor, pk=pk)
    if grant is None:
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.break_glass_review(
                actor=actor,
                grant=grant,
                outcome=BreakGlassReview(form.cleaned_data["outcome"]),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Review saved."))
    else:
        messages.error(request, _("Choose an outcome."))
    return redirect("access:review_list")
