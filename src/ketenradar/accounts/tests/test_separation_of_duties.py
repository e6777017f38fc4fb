"""Separation of duties over memberships, and a membership that ends at once.

Nobody changes their own memberships; a role that sees client data, the melder's identity
or the access log works only after a second admin (or the privacy officer) approves it;
both steps are events of their own; an ended membership is gone on the next request."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from ketenradar.accounts import services
from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import SENSITIVE_PERMISSIONS, RoleCode
from ketenradar.accounts.models import Membership, Role, User
from ketenradar.accounts.roles import load_role_definitions
from ketenradar.accounts.selectors import actor_for_user, current_memberships
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import World, login
from ketenradar.core.tests.factories import InvolvementFactory, MembershipFactory, UserFactory


def _admin(world: World, name: str) -> User:
    user = UserFactory(username=name)
    MembershipFactory(
        user=user,
        organisation=world.org("functional_admin", "involved"),
        role=Role.objects.get(code="functional_admin"),
    )
    return user


def _actor(user: User) -> Actor:
    actor = actor_for_user(user)
    assert actor is not None
    return actor


SENSITIVE_ROLES = sorted(
    code
    for code, spec in load_role_definitions().items()
    if SENSITIVE_PERMISSIONS & set(spec["permissions"])
)


def test_the_sensitive_roles_are_those_that_see_client_data_identity_or_the_log(
    db: None,
) -> None:
    assert set(SENSITIVE_ROLES) == {
        "professional",
        "vt_intake",
        "vt_professional",
        "vt_team_lead",
        "case_coordinator",
        "local_team_lead",
        "chain_partner",
        "mda_core_team",
        "shelter_intake",
        "functional_admin",
        "privacy_officer",
        "police_channel",
    }
    for code in SENSITIVE_ROLES:
        assert services.role_needs_approval(Role.objects.get(code=code)), code
    for code in ("policy_officer", "programme_manager"):
        assert not services.role_needs_approval(Role.objects.get(code=code)), code


@pytest.mark.parametrize("role", ["vt_team_lead", "privacy_officer", "police_channel"])
def test_an_admin_cannot_give_themselves_a_membership(world: World, role: str) -> None:
    admin = _admin(world, "beheerder")
    vt = world.org("vt_team_lead", "involved")
    with pytest.raises(PermissionDenied):
        services.membership_add(
            actor=_actor(admin), user=admin, organisation=vt, role=Role.objects.get(code=role)
        )
    assert not Membership.objects.filter(user=admin, role__code=role).exists()
    refusal = AuditEvent.objects.filter(user_id=admin.pk, outcome="denied").get()
    assert refusal.object_id == str(admin.pk) and "own membership" in refusal.reason


def test_an_admin_cannot_end_their_own_membership(world: World) -> None:
    admin = _admin(world, "beheerder")
    own = Membership.objects.get(user=admin)
    with pytest.raises(PermissionDenied):
        services.membership_end(actor=_actor(admin), membership=own)
    own.refresh_from_db()
    assert own.ended_at is None


def test_the_own_account_page_refuses_adding_a_role(world: World, client: Client) -> None:
    admin = _admin(world, "beheerder")
    login(client, admin)
    vt = world.org("vt_team_lead", "involved")
    role = Role.objects.get(code="vt_team_lead")
    response = client.post(
        reverse("accounts:user_detail", args=[admin.pk]),
        {"action": "add_membership", "organisation": vt.pk, "role": role.pk},
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=admin, role=role).exists()


def test_a_client_data_role_works_only_after_a_second_admin_approves(
    world: World, client: Client
) -> None:
    first, second = _admin(world, "beheerder.een"), _admin(world, "beheerder.twee")
    colleague = UserFactory(username="nieuwe.medewerker")
    vt = world.org("vt_team_lead", "involved")
    InvolvementFactory(person=world.person, organisation=vt, user=None)
    membership = services.membership_add(
        actor=_actor(first),
        user=colleague,
        organisation=vt,
        role=Role.objects.get(code="vt_team_lead"),
    )
    assert membership.awaiting_approval and membership.requested_by == first
    assert not current_memberships(colleague).exists()
    login(client, colleague)
    person_page = reverse("persons:detail", args=[world.person.uuid])
    assert client.get(person_page).status_code == 403

    # Neither the one who asked nor the user concerned approves.
    with pytest.raises(PermissionDenied):
        services.membership_approve(actor=_actor(first), membership=membership)
    membership.refresh_from_db()
    assert membership.awaiting_approval

    services.membership_approve(actor=_actor(second), membership=membership)
    membership.refresh_from_db()
    assert not membership.awaiting_approval and membership.approved_by == second
    assert client.get(person_page).status_code == 200

    events = AuditEvent.objects.filter(object_type="accounts.membership", outcome="success")
    steps = [(e.action, e.user_id, e.detail.get("decision")) for e in events.order_by("seq")]
    assert steps == [("create", first.pk, None), ("review", second.pk, "approved")]


def test_the_privacy_officer_may_approve_and_a_refusal_ends_the_request(world: World) -> None:
    admin = _admin(world, "beheerder")
    officer = world.actor("privacy_officer", "same_org")
    colleague = UserFactory(username="nieuwe.medewerker")
    vt = world.org("vt_intake", "involved")
    first = services.membership_add(
        actor=_actor(admin),
        user=colleague,
        organisation=vt,
        role=Role.objects.get(code="vt_intake"),
    )
    services.membership_approve(actor=officer, membership=first, approve=False)
    first.refresh_from_db()
    assert first.ended_at is not None and not current_memberships(colleague).exists()
    with pytest.raises(ValidationError):
        services.membership_approve(actor=officer, membership=first)


def test_a_role_without_client_data_works_at_once(world: World) -> None:
    admin = _admin(world, "beheerder")
    colleague = UserFactory(username="beleid")
    municipality = world.org("policy_officer", "involved")
    membership = services.membership_add(
        actor=_actor(admin),
        user=colleague,
        organisation=municipality,
        role=Role.objects.get(code=RoleCode.POLICY_OFFICER),
    )
    assert not membership.awaiting_approval
    assert list(current_memberships(colleague)) == [membership]


def test_a_new_account_with_a_sensitive_role_waits_for_approval(world: World) -> None:
    admin = _admin(world, "beheerder")
    user = services.user_create(
        actor=_actor(admin),
        username="nieuw",
        first_name="Nieuw",
        last_name="Account",
        email="nieuw@example.org",
        organisation=world.org("functional_admin", "involved"),
        role=Role.objects.get(code="functional_admin"),
    )
    assert not current_memberships(user).exists()
    assert Membership.objects.awaiting_approval().filter(user=user).count() == 1


def test_the_approvals_page_lists_pending_requests_for_a_second_admin(
    world: World, client: Client
) -> None:
    first, second = _admin(world, "beheerder.een"), _admin(world, "beheerder.twee")
    colleague = UserFactory(username="nieuwe.medewerker")
    membership = services.membership_add(
        actor=_actor(first),
        user=colleague,
        organisation=world.org("vt_professional", "involved"),
        role=Role.objects.get(code="vt_professional"),
    )
    login(client, first)
    listing = client.get(reverse("accounts:user_list"))
    assert list(listing.context["pending"]) == [membership]
    page = reverse("accounts:membership_approvals")
    client.post(page, {"membership": membership.pk, "decision": "approve"})
    membership.refresh_from_db()
    assert membership.awaiting_approval  # the requester's own approval is refused
    login(client, second)
    assert client.get(page).context["pending"] == [membership]
    client.post(page, {"membership": membership.pk, "decision": "approve"})
    membership.refresh_from_db()
    assert not membership.awaiting_approval
    for hostile in ("²", "1" * 40, "x"):
        assert client.post(page, {"membership": hostile, "decision": "approve"}).status_code == 302


def test_an_ended_membership_stops_on_the_next_request(world: World, client: Client) -> None:
    admin = _admin(world, "beheerder")
    user = world.user("vt_professional", "involved")
    login(client, user)
    person_page = reverse("persons:detail", args=[world.person.uuid])
    assert client.get(person_page).status_code == 200
    services.membership_end(actor=_actor(admin), membership=Membership.objects.get(user=user))
    assert client.get(person_page).status_code == 403


def test_an_ended_membership_does_not_fall_back_to_another_role(
    world: World, client: Client
) -> None:
    """A session that acted in the ended membership has no role until its user chooses one;
    it never silently continues in another of their roles."""
    admin = _admin(world, "beheerder")
    user = world.user("vt_professional", "involved")
    other = MembershipFactory(
        user=user,
        organisation=world.org("chain_partner", "involved"),
        role=Role.objects.get(code="chain_partner"),
    )
    login(client, user)
    person_page = reverse("persons:detail", args=[world.person.uuid])
    assert client.get(person_page).status_code == 200
    ended = Membership.objects.get(user=user, role__code="vt_professional")
    services.membership_end(actor=_actor(admin), membership=ended)
    assert client.get(person_page).status_code == 403
    assert client.get(reverse("reports:work_queue")).status_code == 403
    client.post(reverse("accounts:switch_membership"), {"membership": other.pk})
    assert client.get(reverse("care:list")).status_code == 200


def test_ending_is_a_moment_not_a_day(world: World) -> None:
    admin = _admin(world, "beheerder")
    user = world.user("vt_professional", "involved")
    membership = Membership.objects.get(user=user)
    services.membership_end(actor=_actor(admin), membership=membership)
    membership.refresh_from_db()
    assert membership.ended_at is not None and membership.ended_at <= timezone.now()
    assert membership.valid_until == timezone.localdate()  # the day it ended, for the screens
    assert not current_memberships(user).exists()
