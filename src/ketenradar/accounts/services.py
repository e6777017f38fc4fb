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
from ketenradar.accounts.constants import SENSITIVE_PERMISSIONS
from ketenradar.accounts.models import Membership, Role, User
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.regions.models import Organisation, Team

USER = "accounts.user"
MEMBERSHIP = "accounts.membership"


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
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=USER,
        object_id=user.pk,
        detail={"organisation": organisation.pk, "role": role.code},
    )
    _grant(actor=actor, user=user, organisation=organisation, role=role, team=team)
    return user


def role_needs_approval(role: Role) -> bool:
    """Whether a membership in ``role`` needs a second admin's approval before it works."""
    held = role.group.permissions.values_list("content_type__app_label", "codename")
    return any(f"{app}.{codename}" in SENSITIVE_PERMISSIONS for app, codename in held)


def _refuse_own(actor: Actor, user: User, what: str) -> None:
    """Separation of duties: nobody changes their own memberships (the refusal is logged)."""
    if actor.user is not None and actor.user.pk == user.pk:
        audit.record_denied(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type=USER,
            object_id=user.pk,
            reason=f"own membership: {what}",
        )
        raise PermissionDenied(_("Nobody changes their own memberships: ask another admin."))


def _grant(
    *, actor: Actor, user: User, organisation: Organisation, role: Role, team: Team | None
) -> Membership:
    """Add (or restore) a membership; a sensitive role waits for a second admin's approval.
    Logged as its own event: the request, not yet the approval."""
    pending = role_needs_approval(role)
    membership, created = Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        role=role,
        defaults={"team": team, "awaiting_approval": pending, "requested_by": actor.user},
    )
    if not created:
        if membership.ended_at is None and membership.valid_until is None:
            raise ValidationError(_("This user already has this membership."))
        membership.team = team
        membership.valid_from = timezone.localdate()
        membership.valid_until = None
        membership.ended_at = None
        membership.awaiting_approval = pending
        membership.requested_by = actor.user
        membership.approved_by = None
        membership.approved_at = None
        membership.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=MEMBERSHIP,
        object_id=membership.pk,
        detail={
            "user": user.pk,
            "organisation": organisation.pk,
            "role": role.code,
            "awaiting_approval": pending,
        },
    )
    return membership


def membership_add(
    *, actor: Actor, user: User, organisation: Organisation, role: Role, team: Team | None = None
) -> Membership:
    """Give ``user`` a role at ``organisation``. Never to oneself; a role that sees client
    data, the melder's identity or the access log waits for ``membership_approve``.
    (The checks run before the transaction, so that a refusal's event is kept.)"""
    _require_admin_of(actor, organisation)
    _refuse_own(actor, user, f"add {role.code}")
    with transaction.atomic():
        return _grant(actor=actor, user=user, organisation=organisation, role=role, team=team)


def _require_approver_of(actor: Actor, membership: Membership) -> None:
    if not actor.has_perm("accounts.approve_memberships") or actor.region is None:
        raise PermissionDenied("accounts.approve_memberships")
    if membership.organisation.region_id != actor.region.pk:
        raise PermissionDenied("organisation outside the actor's region")
    if actor.user is None or actor.user.pk in (membership.user_id, membership.requested_by_id):
        audit.record_denied(
            actor=actor,
            action=AuditAction.REVIEW,
            object_type=MEMBERSHIP,
            object_id=membership.pk,
            reason="four eyes: the requester or the user cannot approve",
        )
        raise PermissionDenied(
            _("A second admin approves: not the one who asked, nor the user concerned.")
        )


def membership_approve(*, actor: Actor, membership: Membership, approve: bool = True) -> Membership:
    """The second pair of eyes: approve (the membership works from now on) or refuse (it is
    ended) a pending membership. Logged as its own event."""
    _require_approver_of(actor, Membership.objects.get(pk=membership.pk))
    with transaction.atomic():
        return _decide(actor, membership, approve)


def _decide(actor: Actor, membership: Membership, approve: bool) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.awaiting_approval or membership.ended_at is not None:
        raise ValidationError(_("This membership is not awaiting approval."))
    now = timezone.now()
    if approve:
        membership.awaiting_approval = False
        membership.approved_by = actor.user
        membership.approved_at = now
    else:
        membership.ended_at = now
        membership.valid_until = timezone.localdate(now)
    membership.save()
    audit.record(
        actor=actor,
        action=AuditAction.REVIEW,
        object_type=MEMBERSHIP,
        object_id=membership.pk,
        detail={
            "user": membership.user_id,
            "role": membership.role.code,
            "decision": "approved" if approve else "refused",
            "requested_by": membership.requested_by_id,
        },
    )
    return membership


def membership_end(*, actor: Actor, membership: Membership) -> Membership:
    """End a membership at once: sessions acting in it lose it on their next request."""
    _require_admin_of(actor, membership.organisation)
    _refuse_own(actor, membership.user, f"end {membership.pk}")
    with transaction.atomic():
        return _end(actor, membership)


def _end(actor: Actor, membership: Membership) -> Membership:
    now = timezone.now()
    membership.ended_at = now
    membership.valid_until = timezone.localdate(now)
    membership.save(update_fields=["ended_at", "valid_until"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type=MEMBERSHIP,
        object_id=membership.pk,
        detail={"user": membership.user_id, "membership_ended": membership.pk},
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
