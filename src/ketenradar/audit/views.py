"""The privacy officer's screens: 'wie heeft de gegevens van deze persoon ingezien'."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ketenradar.accounts.models import User
from ketenradar.audit import selectors
from ketenradar.audit.forms import IdentityLookupForm, PeriodForm
from ketenradar.core.http import actor_of
from ketenradar.persons.models import Person
from ketenradar.persons.selectors import merged_person_ids, person_identity_lookup

CSV_COLUMNS = [
    "seq",
    "occurred_at",
    "username",
    "role",
    "organisation_name",
    "action",
    "outcome",
    "object_type",
    "object_id",
    "break_glass",
    "reason",
    "request_id",
    "ip_address",
]


def _person(uuid: str) -> Person:
    person = Person.objects.filter(uuid=uuid).first()
    if person is None:
        raise Http404
    return person


@require_safe
@login_required
def person_log_search(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, "audit.view_access_log")
    form = IdentityLookupForm(request.GET or None)
    found = (
        person_identity_lookup(actor=actor, query=form.cleaned_data["q"]) if form.is_valid() else []
    )
    return render(request, "audit/person_log_search.html", {"form": form, "found": found})


@require_safe
@login_required
def person_log(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = actor_of(request, "audit.view_access_log")
    person = _person(uuid)
    form = PeriodForm(request.GET or None)
    start = end = None
    if form.is_valid():
        start, end = form.cleaned_data["van"], form.cleaned_data["tot"]
    events = selectors.person_access_log(
        actor=actor,
        person_id=person.pk,
        start=start,
        end=end,
        merged_ids=merged_person_ids(person),
    )
    return render(
        request,
        "audit/person_log.html",
        {"person": person, "events": events, "form": form, "query": request.GET.urlencode()},
    )


@require_safe
@login_required
def person_log_export(request: HttpRequest, uuid: str) -> HttpResponse:
    actor = actor_of(request, "audit.export_access_log")
    person = _person(uuid)
    form = PeriodForm(request.GET or None)
    start = end = None
    if form.is_valid():
        start, end = form.cleaned_data["van"], form.cleaned_data["tot"]
    events = selectors.person_access_log(
        actor=actor,
        person_id=person.pk,
        start=start,
        end=end,
        export=True,
        merged_ids=merged_person_ids(person),
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="toegangslog-{person.uuid.hex[:8]}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for e in events:
        writer.writerow([_csv_safe(getattr(e, c)) for c in CSV_COLUMNS])
    return response


def _csv_safe(value: object) -> str:
    """Neutralise spreadsheet formulas (CSV injection) in exported text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_safe
@login_required
def user_log(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request, "audit.view_access_log")
    subject = User.objects.filter(pk=pk).first()
    if subject is None:
        raise Http404
    form = PeriodForm(request.GET or None)
    start = end = None
    if form.is_valid():
        start, end = form.cleaned_data["van"], form.cleaned_data["tot"]
    events = selectors.user_access_log(actor=actor, user_id=pk, start=start, end=end)
    return render(
        request, "audit/user_log.html", {"subject": subject, "events": events, "form": form}
    )
