from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from rest_framework.test import APIClient

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Membership, Role
from ketenradar.accounts.tokens import api_token_create
from ketenradar.conftest import World
from ketenradar.core.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from ketenradar.persons.matching import ReportedPerson
from ketenradar.regions.constants import OrganisationType
from ketenradar.regions.models import Organisation
from ketenradar.reports import selectors, services
from ketenradar.reports.constants import (
    Channel,
    ContactKind,
    PersonRole,
    QueueTab,
    ReporterCategory,
)
from ketenradar.reports.models import Dossier


@dataclass
class PoliceChannel:
    client: APIClient
    actor: Actor
    veilig_thuis: Organisation


@pytest.fixture
def police(world: World) -> PoliceChannel:
    vt = OrganisationFactory(
        region=world.region, name="Veilig Thuis Haaglanden", type=OrganisationType.VEILIG_THUIS
    )
    actor = world.actor(RoleCode.POLICE_CHANNEL, "other_org")
    key = api_token_create(actor=Actor.system("test"), user=actor.user, name="CORV-koppeling")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return PoliceChannel(client=client, actor=actor, veilig_thuis=vt)


def police_report(n: int, **overrides: Any) -> dict[str, Any]:
    """A valid police report about a household of two, unique per ``n``.

    The victims of different ``n`` are different persons to a probabilistic matcher too:
    "Eva Jansen0" and "Eva Jansen1" at one postcode would be one person with a typo if they
    shared a date of birth, so each has her own (day = month: no two are each other's swap).
    """
    born = f"{1940 + n // 12:04d}-{n % 12 + 1:02d}-{n % 12 + 1:02d}"
    report: dict[str, Any] = {
        "report_id": f"PL-{n:06d}",
        "reported_at": "2026-11-19T22:15:00+01:00",
        "violence_types": ["ex_partnergeweld"],
        "acute": False,
        "description": f"Melding {n}",
        "persons": [
            {
                "role": "slachtoffer",
                "given_names": "Eva",
                "surname": f"Jansen{n}",
                "date_of_birth": born,
                "sex": "v",
                "address": {
                    "street": "Spui",
                    "house_number": n % 500 + 1,
                    "postcode": "2511 BT",
                    "city": "Den Haag",
                },
            },
            {
                "role": "pleger",
                "surname": f"Vries{n}",
                "surname_prefix": "de",
                "date_of_birth": "1988",
                "sex": "m",
            },
        ],
        "reporter": {"name": "Agent A. Bakker", "unit": "Eenheid Den Haag", "phone": "0900-8844"},
    }
    report.update(overrides)
    return report


WHY = {
    "acute_unsafety": False,
    "acute_rationale": "Geen direct gevaar: pleger woont elders.",
    "structural_unsafety": True,
    "structural_rationale": "Derde melding in een jaar.",
    "multi_problem": False,
    "multi_problem_rationale": "Geen schulden of verslaving bekend.",
}


@pytest.fixture
def assessor(police: PoliceChannel) -> Actor:
    user = UserFactory(username="assessor")
    MembershipFactory(
        user=user,
        organisation=police.veilig_thuis,
        role=Role.objects.get(code=RoleCode.VT_PROFESSIONAL),
    )
    return Actor(user=user, membership=Membership.objects.get(user=user))


@pytest.fixture
def dossier(police: PoliceChannel) -> Dossier:
    contact = services.contact_register(
        actor=police.actor,
        kind=ContactKind.REPORT,
        channel=Channel.POLICE,
        reporter_category=ReporterCategory.JUSTICE_SECURITY,
        received_at=dt.datetime.now(tz=dt.UTC),
        persons=[(ReportedPerson(bsn="111222333", surname="Jansen"), PersonRole.VICTIM)],
        reporter=services.ReporterData(name="Agent", phone="0900-8844"),
    )
    assert contact.dossier is not None
    return contact.dossier


def queue_rows(
    actor: Actor,
    tab: QueueTab,
    *,
    now: dt.datetime | None = None,
    filters: selectors.QueueFilter | None = None,
) -> list[selectors.QueueRow]:
    """Every row of a tab of the work queue, page after page, as the screen pages through it."""
    rows: list[selectors.QueueRow] = []
    number = 1
    while True:
        queue = selectors.work_queue(
            actor=actor,
            tab=tab,
            filters=filters,
            page=number,
            page_size=selectors.MAX_QUEUE_PAGE_SIZE,
            now=now,
        )
        rows += queue.rows
        if not queue.page.has_next():
            return rows
        number += 1


def queue_pks(actor: Actor, tab: QueueTab, **kwargs: Any) -> list[int]:
    """The pks of a tab's rows, in order: the dossiers, contacts, tasks or moments."""
    return [
        (r.task or r.moment or r.contact or r.dossier).pk for r in queue_rows(actor, tab, **kwargs)
    ]
