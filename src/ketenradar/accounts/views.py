from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

import segno
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from ketenradar.accounts import services
from ketenradar.accounts.forms import LoginForm, MembershipForm, TokenForm, UserCreateForm
from ketenradar.accounts.middleware import SESSION_LOGIN_AT
from ketenradar.accounts.models import Membership
from ketenradar.accounts.selectors import (
    SESSION_MEMBERSHIP,
    actor_for_request,
    current_memberships,
    memberships_awaiting_approval,
    user_list,
)
from ketenradar.core.http import actor_of, ascii_int, safe_next_url


class KetenradarLoginView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = False
    http_method_names = ["get", "head", "post"]

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)  # django.contrib.auth.login: new session id
            self.request.session[SESSION_LOGIN_AT] = time.time()
            self.request.session.pop(SESSION_MEMBERSHIP, None)  # a new sign-in chooses anew
            actor = actor_for_request(self.request)
            assert actor is not None
            services.record_login(actor=actor)
        return response

    def get_redirect_url(self) -> str:
        """Where to go after signing in: only a path on this site (``safe_next_url``)."""
        return safe_next_url(self.request, fallback="")

    def form_invalid(self, form: Any) -> HttpResponse:
        services.record_login_failed(username=self.request.POST.get("username", ""))
        return super().form_invalid(form)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    actor = getattr(request, "actor", None)
    if actor is not None:
        services.record_logout(actor=actor)
    logout(request)
    return redirect("accounts:login")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP app: scan the code, confirm with a first token."""
    user: Any = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return redirect("accounts:otp_verify")
        device = TOTPDevice.objects.create(user=user, name="Ketenradar", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                otp_login(request, device)
                services.record_otp_setup(actor=request.actor)  # type: ignore[attr-defined]
            return redirect("core:start")
        form.add_error("token", _("This code is not correct. Try the next code from the app."))
    qr = segno.make(device.config_url, error="m").svg_data_uri(scale=4)
    secret = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "accounts/otp_setup.html", {"form": form, "qr": qr, "secret": secret})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(safe_next_url(request, fallback=reverse("core:start")))
        services.record_login_failed(username=request.user.get_username())
        form.add_error("token", _("This code is not correct."))
    return render(request, "accounts/otp_verify.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def switch_membership(request: HttpRequest) -> HttpResponse:
    memberships = list(current_memberships(request.user))  # type: ignore[arg-type]
    if request.method == "POST":
        chosen = next((m for m in memberships if str(m.pk) == request.POST.get("membership")), None)
        if chosen is not None:
            request.session[SESSION_MEMBERSHIP] = chosen.pk
            return redirect("core:start")
    return render(request, "accounts/switch_membership.html", {"memberships": memberships})


@require_safe
@login_required
def user_list_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, "accounts.manage_users")
    context = {
        "users": user_list(actor=actor),
        "pending": memberships_awaiting_approval(actor=actor),
    }
    return render(request, "accounts/user_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def user_create_view(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request, "accounts.manage_users")
    form = UserCreateForm(request.POST or None, region=actor.region)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("username", exc)
        else:
            services.send_password_link(actor=actor, user=user, request=request)
            messages.success(
                request,
                _("Account %(u)s created; a link to set the password was e-mailed.")
                % {"u": user.username},
            )
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def user_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request, "accounts.manage_users")
    user = get_object_or_404(user_list(actor=actor), pk=pk)
    form = MembershipForm(request.POST or None, region=actor.region)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add_membership" and form.is_valid():
            services.membership_add(actor=actor, user=user, **form.cleaned_data)
            messages.success(request, _("Membership added."))
            return redirect("accounts:user_detail", pk=user.pk)
        if action == "end_membership":
            key = ascii_int(request.POST.get("membership"))
            membership = get_object_or_404(Membership, pk=key or 0, user=user)
            services.membership_end(actor=actor, membership=membership)
            messages.success(request, _("Membership ended."))
            return redirect("accounts:user_detail", pk=user.pk)
        if action == "deactivate":
            try:
                services.user_deactivate(actor=actor, user=user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Account deactivated; its sessions have ended."))
            return redirect("accounts:user_detail", pk=user.pk)
    memberships = user.memberships.select_related("organisation", "role", "team", "requested_by")
    return render(
        request,
        "accounts/user_detail.html",
        {
            "managed_user": user,
            "memberships": memberships,
            "form": form,
            "own_account": request.user.pk == user.pk,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def membership_approvals(request: HttpRequest) -> HttpResponse:
    """Pending memberships with a sensitive role: a second admin (or the privacy officer)
    approves or refuses them; never the one who asked, nor the user concerned."""
    actor = actor_of(request, "accounts.approve_memberships")
    if request.method == "POST":
        pending = {m.pk: m for m in memberships_awaiting_approval(actor=actor)}
        key = ascii_int(request.POST.get("membership"))
        membership = pending.get(key) if key is not None else None
        if membership is None:
            messages.error(request, _("This membership is not awaiting approval."))
            return redirect("accounts:membership_approvals")
        approve = request.POST.get("decision") == "approve"
        services.membership_approve(actor=actor, membership=membership, approve=approve)
        messages.success(
            request, _("Membership approved.") if approve else _("Membership refused.")
        )
        return redirect("accounts:membership_approvals")
    return render(
        request,
        "accounts/membership_approvals.html",
        {"pending": memberships_awaiting_approval(actor=actor)},
    )
