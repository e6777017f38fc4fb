"""A restraining order appears on the person's timeline, with the person's role in it, for
those who may see the order; the person page of someone else shows nothing of it."""

from __future__ import annotations

import pytest

from ketenradar.accounts.constants import RoleCode
from ketenradar.persons import selectors
from ketenradar.restraining.tests.conftest import Family

pytestmark = pytest.mark.django_db


def test_the_order_is_on_the_timeline_of_each_person_with_their_role(family: Family) -> None:
    order = family.register()
    father = selectors.person_detail(actor=family.vt, person_uuid=family.father.uuid)
    entries = [e for e in father.timeline if e.kind == "restraining_order"]
    assert len(entries) == 1
    assert entries[0].title.startswith(str(order))
    assert entries[0].url.endswith(f"/{order.uuid}/")
    mother = selectors.person_detail(actor=family.vt, person_uuid=family.mother.uuid)
    titles = [e.title for e in mother.timeline if e.kind == "restraining_order"]
    assert len(titles) == 1 and titles[0] != entries[0].title  # another role

    # a Veilig Thuis colleague of another region's organisation may not open the person
    # at all; within the organisation, the entry comes with the involvement
    other = family.world.actor(RoleCode.VT_PROFESSIONAL, "involved")
    detail = selectors.person_detail(actor=other, person_uuid=family.world.person.uuid)
    assert [e for e in detail.timeline if e.kind == "restraining_order"] == []
