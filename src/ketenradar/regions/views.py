from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ketenradar.core.http import actor_of
from ketenradar.regions import selectors, services
from ketenradar.regions.forms import OrganisationForm


@require_safe
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, "regions.view_region")
    municipalities = list(selectors.municipality_list(actor=actor))
    context = {
        "region": actor.region,
        "municipalities": municipalities,
        "inhabitants": sum(m.inhabitants for m in municipalities),
        "organisations": selectors.organisation_list(actor=actor),
    }
    return render(request, "regions/overview.html", context)


@require_safe
@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, "regions.manage_organisations")
    return render(
        request,
        "regions/organisation_list.html",
        {"organisations": selectors.organisation_list(actor=actor)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def organisation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    actor = actor_of(request, "regions.manage_organisations")
    organisation = (
        get_object_or_404(selectors.organisation_list(actor=actor), pk=pk) if pk else None
    )
    initial = (
        {
            "name": organisation.name,
            "type": organisation.type,
            "municipalities": list(organisation.municipalities.all()),
            "is_active": organisation.is_active,
        }
        if organisation
        else None
    )
    form = OrganisationForm(request.POST or None, initial=initial, region=actor.region)
    if request.method == "POST" and form.is_valid():
        assert actor.region is not None
        services.organisation_save(
            actor=actor, region=actor.region, organisation=organisation, **form.cleaned_data
        )
        messages.success(request, _("Organisation saved."))
        return redirect("regions:organisation_list")
    return render(
        request, "regions/organisation_form.html", {"form": form, "organisation": organisation}
    )
