"""A placement appears on the person's timeline for the shelter organisation that placed
them, and for nobody else: where someone stays is the shelter's to know."""

from __future__ import annotations

import datetime as dt

import pytest

from ketenradar.access.constants import InvolvementKind
from ketenradar.core.tests.factories import InvolvementFactory
from ketenradar.persons import selectors
from ketenradar.shelter import services
from ketenradar.shelter.tests.conftest import Shelter

pytestmark = pytest.mark.django_db


def test_a_placement_is_on_the_timeline_of_its_own_shelter_only(shelter: Shelter) -> None:
    facility = shelter.facility("Huis aan de Gracht", regulier=4)
    person = shelter.person(given_names="Anna", surname="Visser")
    placement = services.placement_start(
        actor=shelter.actor,
        facility=facility,
        person=person,
        bed_type="regulier",
        start_date=dt.date(2026, 11, 2),
    )
    own = selectors.person_detail(actor=shelter.colleague, person_uuid=person.uuid)
    assert [(e.kind, e.title) for e in own.timeline] == [("placement", "Huis aan de Gracht")]
    assert own.timeline[0].url.endswith(f"/{placement.uuid}/")

    # another shelter organisation that also works with her sees no placement of this one
    assert shelter.other.organisation is not None
    InvolvementFactory(
        person=person,
        organisation=shelter.other.organisation,
        kind=InvolvementKind.PLACEMENT,
        purpose="Aanmelding opvang",
    )
    other = selectors.person_detail(actor=shelter.other, person_uuid=person.uuid)
    assert other.timeline == []
