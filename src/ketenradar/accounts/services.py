"""Account administration by the functional admin; every write audited."""

from __future__ import annotations

import secrets

from django.contrib.auth.forms import PasswordResetForm
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.models import Membership, Role, User
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.regions.models import Organisation, Team

USER = "accounts.user"


def _require_admin_of(actor: Actor, organisation: Organisation) -> None:
    if not actor.has_perm("accounts.manage_users") or actor.region is None:
        raise PermissionDenied("accounts.manage_users")
    if organisation.region_id != actor.region.pk:
        raise PermissionDenied("organisation outside the actor's region")


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    organisation: Organisation,
    role: Role,
    team: Team | None = None,
) -> User:
    """A new account with a random password nobody knows; the user sets their own through
    the link that ``send_password_link`` e-mails."""
    _require_admin_of(actor, organisation)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("This username is taken."))
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_password(secrets.token_urlsafe(32))
    user.full_clean(exclude=["password"])
    user.save()
    Membership.objects.create(user=user, organisation=organisation, role=role, team=team)
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=USER,
        object_id=user.pk,
        detail={"organisation": organisation.pk, "role": role.code},
    )
    return user


@transaction.atomic
def membership_add(
    *, actor: Actor, user: User, organisation: Organisation, role: Role, team: Team | None = None
) -> Membership:
    _require_admin_of(actor, organisation)
    membership, created = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role, defaults={"team": team}
    )
    if not created and membership.valid_until is not None:
        membership.valid_until = None
        membership.save(update_fields=["valid_until"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type=USER,
        object_id=user.pk,
        detail={"membership_added": membership.pk, "role": role.code},
    )
    return membership


@transaction.atomic
def membership_end(*, actor: Actor, membership: Membership) -> Membership:
    _require_admin_of(actor, membership.organisation)
    membership.valid_until = timezone.localdate()
    membership.save(update_fields=["valid_until"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type=USER,
        object_id=membership.user_id,
        detail={"membership_ended": membership.pk},
    )
    return membership


def send_password_link(*, actor: Actor, user: User, request: HttpRequest) -> None:
    """E-mail the user a one-time link to set their password (Django's reset tokens)."""
    form = PasswordResetForm({"email": user.email})
    form.is_valid()
    form.save(
        request=request,
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type=USER,
        object_id=user.pk,
        detail={"password_link_sent": True},
    )


def _end_sessions_of(user: User) -> int:
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_deactivate(*, actor: Actor, user: User) -> User:
    """Deactivate an account and end its sessions at once (ASVS 7.4.2)."""
    memberships = list(user.memberships.select_related("organisation"))
    if not memberships:
        raise PermissionDenied("user outside the actor's region")
    for m in memberships:
        _require_admin_of(actor, m.organisation)
    if actor.user is not None and actor.user.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = _end_sessions_of(user)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type=USER,
        object_id=user.pk,
        detail={"fields": ["is_active"], "sessions_ended": ended},
    )
    return user


def record_login(*, actor: Actor) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.LOGIN,
        object_type=USER,
        object_id=actor.user.pk if actor.user else "",
    )


def record_login_failed(*, username: str) -> None:
    audit.record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        outcome=audit.AuditOutcome.FAILURE,
        object_type=USER,
        username=username[:150],
    )


def record_logout(*, actor: Actor) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.LOGOUT,
        object_type=USER,
        object_id=actor.user.pk if actor.user else "",
    )


def record_otp_setup(*, actor: Actor) -> None:
    audit.record(
        actor=actor,
        action=AuditAction.OTP_SETUP,
        object_type=USER,
        object_id=actor.user.pk if actor.user else "",
    )
