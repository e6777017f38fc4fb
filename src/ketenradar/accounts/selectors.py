from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from django_otp import devices_for_user

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.models import Membership, User

SESSION_MEMBERSHIP = "ketenradar_membership_id"


def current_memberships(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.current()
        .filter(user=user)
        .select_related("organisation__region", "role__group", "team")
        .order_by("pk")
    )


def actor_for_request(request: HttpRequest) -> Actor | None:
    """The user and the membership this session acts in. A session keeps the membership it
    started acting in; once that membership has ended (or was never approved) the session
    has no role at all on its next request, not silently another one: the user chooses
    again on the role page."""
    user: Any = request.user
    if not user.is_authenticated:
        return None
    memberships = list(current_memberships(user))
    chosen = request.session.get(SESSION_MEMBERSHIP)
    if chosen is None:
        membership = memberships[0] if memberships else None
        if membership is not None:
            request.session[SESSION_MEMBERSHIP] = membership.pk
    else:
        membership = next((m for m in memberships if m.pk == chosen), None)
    return Actor(user=user, membership=membership)


def actor_for_user(user: Any) -> Actor | None:
    """The actor of an API client authenticated by token: its first current membership."""
    if user is None or not user.is_authenticated:
        return None
    return Actor(user=user, membership=current_memberships(user).first())


def user_has_confirmed_device(user: User) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def user_list(*, actor: Actor) -> QuerySet[User]:
    """Users the functional admin manages: those with a membership in the actor's region."""
    if not actor.has_perm("accounts.manage_users") or actor.region is None:
        return User.objects.none()
    return (
        User.objects.filter(memberships__organisation__region=actor.region)
        .distinct()
        .prefetch_related("memberships__organisation", "memberships__role")
        .order_by("username")
    )


def memberships_awaiting_approval(*, actor: Actor) -> list[Membership]:
    """Pending memberships of the actor's region that the actor may decide on."""
    if not actor.has_perm("accounts.approve_memberships") or actor.region is None:
        return []
    return list(
        Membership.objects.awaiting_approval()
        .filter(organisation__region=actor.region)
        .select_related("user", "organisation", "role", "requested_by")
        .order_by("pk")
    )
