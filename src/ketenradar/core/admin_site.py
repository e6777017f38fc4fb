"""The Django admin is for functional admins only (permission ``accounts.use_admin``).

Signing in happens on Ketenradar's own login page (lockout, second factor); a signed-in
user without the permission gets 403, not the admin's own login form.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods


class KetenradarAdminSite(admin.AdminSite):
    site_header = "Ketenradar functioneel beheer"
    site_title = "Ketenradar beheer"
    index_title = "Functioneel beheer"

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        verified = not settings.KETENRADAR_REQUIRE_2FA or user.is_verified()
        return bool(
            user.is_active
            and user.is_authenticated
            and verified
            and user.has_perm("accounts.use_admin")
        )

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        # the admin's views answer any method (a changelist renders for PUT or TRACE): like
        # every page, only GET, HEAD and POST (405 otherwise)
        return require_http_methods(["GET", "HEAD", "POST"])(guarded)

    @method_decorator(require_http_methods(["GET", "HEAD", "POST"]))
    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
