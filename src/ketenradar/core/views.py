from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ketenradar.core.capabilities import capabilities_for


@login_required
def start(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    return render(request, "core/start.html", {"capabilities": capabilities_for(actor)})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 page; offers break-glass where the policy allows it (decided by the view that
    raised, which puts ``break_glass_url`` on the request)."""
    context = {"break_glass_url": getattr(request, "break_glass_url", None)}
    return render(request, "403.html", context, status=403)
