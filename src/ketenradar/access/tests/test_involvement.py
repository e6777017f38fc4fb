"""Involvement is what makes a person visible to a chain partner; ending it hides them."""

from __future__ import annotations

from django.core.exceptions import ValidationError

import pytest

from ketenradar.access import services
from ketenradar.access.constants import InvolvementKind
from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import World
from ketenradar.persons import selectors


def test_involvement_start_and_end(world: World) -> None:
    partner = world.actor(RoleCode.CHAIN_PARTNER, "other_org")
    assert selectors.person_list(actor=partner)[1] == 0
    involvement = services.involvement_start(
        actor=Actor.system("case service"),
        person=world.person,
        organisation=partner.organisation,
        kind=InvolvementKind.CASE_TEAM,
        purpose="Casusteam: traumabehandeling moeder",
    )
    assert selectors.person_list(actor=partner)[1] == 1
    services.involvement_end(actor=Actor.system("case service"), involvement=involvement)
    assert selectors.person_list(actor=partner)[1] == 0
    assert (
        AuditEvent.objects.filter(
            object_type="access.involvement", person_id=world.person.pk
        ).count()
        == 2
    )


def test_involvement_needs_a_purpose(world: World) -> None:
    with pytest.raises(ValidationError):
        services.involvement_start(
            actor=Actor.system("t"),
            person=world.person,
            organisation=world.org(RoleCode.CHAIN_PARTNER, "other_org"),
            kind=InvolvementKind.CASE_TEAM,
            purpose="  ",
        )
