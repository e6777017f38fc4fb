"""Break-glass: a stated reason, 24 hours, flagged events, and the privacy officer's review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

import pytest

from ketenradar.access import services
from ketenradar.access.constants import BreakGlassReview
from ketenradar.access.models import BreakGlassGrant
from ketenradar.accounts.constants import RoleCode
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import World, login
from ketenradar.persons import selectors

REASON = "Acute melding politie: kinderen alleen thuis, dossier nodig"


def test_uninvolved_vt_professional_is_offered_break_glass_and_gets_24_hours(
    world: World, client: Any
) -> None:
    user = world.user(RoleCode.VT_PROFESSIONAL, "other_org")
    login(client, user)
    detail = reverse("persons:detail", args=[world.person.uuid])
    refused = client.get(detail)
    assert refused.status_code == 403
    glass_url = reverse("access:break_glass", args=[world.person.uuid])
    assert glass_url in refused.content.decode()

    too_short = client.post(glass_url, {"reason": "nodig"})
    assert too_short.status_code == 200
    assert not BreakGlassGrant.objects.exists()

    granted = client.post(glass_url, {"reason": REASON})
    assert granted.status_code == 302
    grant = BreakGlassGrant.objects.get()
    assert grant.expires_at - grant.created_at == dt.timedelta(hours=24)
    assert grant.review == BreakGlassReview.PENDING

    before = AuditEvent.objects.count()
    assert client.get(detail).status_code == 200
    read = AuditEvent.objects.order_by("seq")[before:].get()
    assert read.break_glass is True
    assert AuditEvent.objects.filter(
        action="break_glass", reason=REASON, person_id=world.person.pk
    ).exists()


def test_expired_break_glass_no_longer_opens_the_person(world: World) -> None:
    actor = world.actor(RoleCode.VT_PROFESSIONAL, "other_region")
    grant = services.break_glass_start(actor=actor, person=world.person, reason=REASON)
    assert selectors.person_detail(actor=actor, person_uuid=world.person.uuid).break_glass
    BreakGlassGrant.objects.filter(pk=grant.pk).update(expires_at=grant.created_at)
    with pytest.raises(PermissionDenied):
        selectors.person_detail(actor=actor, person_uuid=world.person.uuid)


@pytest.mark.parametrize(
    "role",
    [
        RoleCode.POLICY_OFFICER,
        RoleCode.PROGRAMME_MANAGER,
        RoleCode.FUNCTIONAL_ADMIN,
        RoleCode.PRIVACY_OFFICER,
        RoleCode.CHAIN_PARTNER,
    ],
)
def test_roles_without_break_glass_cannot_use_it(role: str, world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.break_glass_start(
            actor=world.actor(role, "other_org"), person=world.person, reason=REASON
        )


def test_reason_is_required(world: World) -> None:
    with pytest.raises(ValidationError):
        services.break_glass_start(
            actor=world.actor(RoleCode.VT_INTAKE, "other_org"),
            person=world.person,
            reason="   kort   ",
        )


def test_privacy_officer_reviews_break_glass(world: World, client: Any) -> None:
    vt = world.actor(RoleCode.VT_PROFESSIONAL, "other_org")
    grant = services.break_glass_start(actor=vt, person=world.person, reason=REASON)
    officer = world.user(RoleCode.PRIVACY_OFFICER, "involved")
    login(client, officer)
    page = client.get(reverse("access:review_list")).content.decode()
    assert REASON in page
    response = client.post(
        reverse("access:review", args=[grant.pk]), {"outcome": "onterecht", "note": ""}
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.review == BreakGlassReview.PENDING  # 'not justified' needs an explanation
    client.post(
        reverse("access:review", args=[grant.pk]),
        {"outcome": "terecht", "note": "Acute situatie bevestigd"},
    )
    grant.refresh_from_db()
    assert grant.review == BreakGlassReview.JUSTIFIED
    assert grant.reviewed_by == officer
    assert AuditEvent.objects.filter(action="review", object_id=str(grant.pk)).exists()
    assert REASON not in client.get(reverse("access:review_list")).content.decode()


def test_privacy_officer_of_another_region_does_not_see_the_grant(world: World) -> None:
    from ketenradar.access.selectors import break_glass_review_list

    services.break_glass_start(
        actor=world.actor(RoleCode.VT_PROFESSIONAL, "other_org"), person=world.person, reason=REASON
    )
    assert (
        break_glass_review_list(actor=world.actor(RoleCode.PRIVACY_OFFICER, "involved")).count()
        == 1
    )
    assert (
        break_glass_review_list(actor=world.actor(RoleCode.PRIVACY_OFFICER, "other_region")).count()
        == 0
    )
