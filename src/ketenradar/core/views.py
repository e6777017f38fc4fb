from django.contrib.auth.decorators import login_not_required, login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import defaults
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language as django_set_language

from rest_framework.exceptions import NotFound

from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.core import clock
from ketenradar.core import notices as notices_module
from ketenradar.core.capabilities import capabilities_for
from ketenradar.core.http import actor_of, is_safe_path, safe_next_url


@require_safe
@login_required
def start(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    return render(request, "core/start.html", {"capabilities": capabilities_for(actor)})


@require_POST
@login_not_required
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, with its target through the one safe-redirect check: the
    ``next`` path, else the page the form was on, else the start page."""
    referer = request.META.get("HTTP_REFERER", "")
    referer_path = referer.split(request.get_host(), 1)[-1] if referer else ""
    fallback = referer_path if is_safe_path(referer_path) else "/"
    post = request.POST.copy()
    post["next"] = safe_next_url(request, fallback=fallback)
    request.POST = post  # type: ignore[assignment]
    return django_set_language(request)


@require_safe
@login_required
def notices(request: HttpRequest) -> HttpResponse:
    """Signaleringen: everything with a deadline that needs the signed-in user, from every
    app that has deadlines; each links to the page that deals with it."""
    actor = actor_of(request)
    items = notices_module.collect(actor=actor, now=clock.now())
    return render(request, "core/notices.html", {"notices": items})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403 page; offers break-glass where the policy allows it (decided by the view that
    raised, which puts ``break_glass_url`` on the request)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and not audit.denial_recorded():
        # Every refusal is logged (ASVS 16.3.2); client-data refusals were already logged
        # by their selector, with the person concerned.
        audit.record_denied(
            actor=getattr(request, "actor", None),
            action=AuditAction.READ if request.method in ("GET", "HEAD") else AuditAction.UPDATE,
            object_type="url",
            object_id=request.path[:64],
            reason=str(exception or "")[:200],
        )
    context = {"break_glass_url": getattr(request, "break_glass_url", None)}
    return render(request, "403.html", context, status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404: under /api/ the API's JSON error (as in docs/openapi.yaml), elsewhere the page.
    An API path that no URL pattern matches (a malformed UUID) reaches this handler, not DRF."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return defaults.page_not_found(request, exception)
