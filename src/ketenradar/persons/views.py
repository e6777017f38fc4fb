from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ketenradar.access import policy
from ketenradar.audit.constants import AuditAction
from ketenradar.core.http import actor_of, page_number
from ketenradar.persons import selectors, services
from ketenradar.persons.forms import PersonForm, PersonSearchForm
from ketenradar.persons.models import Person

PAGE_SIZE = 25


@require_safe
@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, "persons.view_client_data")
    form = PersonSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    number = page_number(request)
    if query:
        persons, total = selectors.person_search(actor=actor, query=query)
        page = None
    else:
        persons, total = selectors.person_list(
            actor=actor, offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
        page = Paginator(range(total), PAGE_SIZE).get_page(number) if total else None
    context = {"form": form, "persons": persons, "total": total, "query": query, "page": page}
    template = "persons/_person_rows.html" if request.htmx else "persons/person_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_safe
@login_required
def person_detail(request: HttpRequest, uuid: str, printable: bool = False) -> HttpResponse:
    actor = actor_of(request)
    action = AuditAction.PRINT if printable else AuditAction.READ
    try:
        detail = selectors.person_detail(actor=actor, person_uuid=uuid, action=action)
    except PermissionDenied:
        person = Person.objects.filter(uuid=uuid).first()
        if person is not None and policy.may_use_break_glass(actor, person):
            request.break_glass_url = reverse("access:break_glass", args=[person.uuid])  # type: ignore[attr-defined]
        raise
    context = {"detail": detail, "person": detail.person, "printable": printable}
    return render(request, "persons/person_detail.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, "persons.add_person")
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = services.person_create(
            actor=actor,
            involvement_kind=policy.default_involvement_kind(actor),
            purpose=_("Registered by %(org)s") % {"org": actor.organisation},
            address=form.address_fields(),
            **form.person_fields(),
        )
        messages.success(request, _("Person registered."))
        return redirect("persons:detail", uuid=person.uuid)
    return render(request, "persons/person_form.html", {"form": form})


@require_safe
@login_required
def household_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = actor_of(request)
    detail = selectors.household_detail(actor=actor, household_uuid=uuid)
    return render(request, "persons/household_detail.html", {"detail": detail})
