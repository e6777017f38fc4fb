"""The steps after the safety assessment on the dossier page: the investigation's outcome per
type of violence (or closed early) and the next state; to monitoring and closing; an
illegal step refused with the service's message."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import World, login
from ketenradar.core.tests.factories import OrganisationFactory
from ketenradar.persons.matching import ReportedPerson
from ketenradar.regions.constants import OrganisationType
from ketenradar.reports import services
from ketenradar.reports.constants import (
    AssessmentDecision,
    Channel,
    ContactKind,
    DossierState,
    InvestigationOutcome,
    PersonRole,
    ReporterCategory,
    ViolenceType,
)
from ketenradar.reports.models import Dossier
from ketenradar.reports.tests.conftest import WHY, PoliceChannel
from ketenradar.reports.tests.test_advice_conversion import vt_staff

UTC = dt.UTC


def _investigated(police: PoliceChannel, assessor: Actor) -> Dossier:
    """A police report of child abuse and partner violence, under investigation."""
    contact = services.contact_register(
        actor=police.actor,
        kind=ContactKind.REPORT,
        channel=Channel.POLICE,
        reporter_category=ReporterCategory.JUSTICE_SECURITY,
        received_at=dt.datetime(2026, 11, 16, 9, 0, tzinfo=UTC),
        persons=[(ReportedPerson(bsn="234567004", surname="Visser"), PersonRole.VICTIM)],
        violence_types=[ViolenceType.PARTNER_VIOLENCE, ViolenceType.CHILD_ABUSE],
        reporter=services.ReporterData(name="Agent Bakker", phone="0900-8844"),
    )
    assert contact.dossier is not None
    services.assessment_decide(
        actor=assessor,
        dossier=contact.dossier,
        decision=AssessmentDecision.INVESTIGATION,
        **WHY,
    )
    return contact.dossier


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert select is not None, name
    return re.findall(r'<option value="([^"]*)"', select.group(0))


def _messages(page: str) -> str:
    return " ".join(re.findall(r'role="status">\s*<p class="utrecht-paragraph">(.*?)</p>', page))


def test_the_investigation_ends_with_an_outcome_per_type_of_violence(
    police: PoliceChannel, assessor: Actor, client: Any
) -> None:
    dossier = _investigated(police, assessor)
    login(client, assessor.user)
    page_url = reverse("reports:dossier_detail", args=[dossier.uuid])
    page = client.get(page_url).content.decode()
    # one outcome per type of the dossier's contacts; the states TRANSITIONS allows next
    assert re.findall(r'<select name="outcome_(\w+)"', page) == [
        "kindermishandeling",
        "ex_partnergeweld",
    ]
    assert _options(page, "next_state") == [
        "voorwaarden_vervolg",
        "raad",
        "monitoring",
        "afgesloten",
    ]
    assert _options(page, "outcome_kindermishandeling") == ["", *InvestigationOutcome.values]
    assert 'data-testid="move-form"' not in page  # the investigation's completion moves it

    url = reverse("reports:investigation_complete", args=[dossier.uuid])
    one_missing = {"outcome_kindermishandeling": "bevestigd", "next_state": "voorwaarden_vervolg"}
    refused = client.post(url, one_missing, follow=True).content.decode()
    assert "(ex-)partnergeweld ontbreekt" in _messages(refused)
    dossier.investigation.refresh_from_db()
    assert dossier.investigation.completed_at is None

    done = client.post(
        url, {**one_missing, "outcome_ex_partnergeweld": "weerlegd"}, follow=True
    ).content.decode()
    dossier.refresh_from_db()
    dossier.investigation.refresh_from_db()
    assert dossier.state == DossierState.CONDITIONS
    assert dossier.investigation.outcomes == {
        "kindermishandeling": "bevestigd",
        "ex_partnergeweld": "weerlegd",
    }
    assert not dossier.investigation.closed_early
    assert re.findall(r'data-testid="outcome">(\w[^<]*)<', done) == ["bevestigd", "weerlegd"]
    assert 'data-testid="investigation-form"' not in done
    event = AuditEvent.objects.filter(object_id=dossier.uuid.hex, action="update").latest("seq")
    assert event.detail == {"from": "onderzoek", "to": "voorwaarden_vervolg"}


def test_an_investigation_closed_early_needs_no_outcome(
    police: PoliceChannel, assessor: Actor, client: Any
) -> None:
    dossier = _investigated(police, assessor)
    login(client, assessor.user)
    client.post(
        reverse("reports:investigation_complete", args=[dossier.uuid]),
        {"closed_early": "on", "next_state": "afgesloten"},
    )
    dossier.refresh_from_db()
    assert dossier.state == DossierState.CLOSED and dossier.closed_at is not None
    assert dossier.investigation.closed_early and dossier.investigation.outcomes == {}
    page = client.get(reverse("reports:dossier_detail", args=[dossier.uuid])).content.decode()
    assert 'data-testid="closed-early"' in page and 'data-testid="move-form"' not in page


def test_a_dossier_is_closed_from_monitoring(
    police: PoliceChannel, assessor: Actor, dossier: Dossier, world: World, client: Any
) -> None:
    services.assessment_decide(
        actor=assessor,
        dossier=dossier,
        decision=AssessmentDecision.HANDOVER,
        handover_to=OrganisationFactory(region=world.region, type=OrganisationType.LOCAL_TEAM),
        **WHY,
    )
    login(client, assessor.user)
    page = client.get(reverse("reports:dossier_detail", args=[dossier.uuid])).content.decode()
    assert _options(page, "to") == ["afgesloten"]  # TRANSITIONS from monitoring
    response = client.post(
        reverse("reports:dossier_move", args=[dossier.uuid]), {"to": "afgesloten"}, follow=True
    )
    dossier.refresh_from_db()
    assert dossier.state == DossierState.CLOSED and dossier.closed_at is not None
    assert 'data-testid="closed-at"' in response.content.decode()
    assert 'data-testid="move-form"' not in response.content.decode()  # nothing after closing


def test_an_illegal_step_is_refused_with_the_services_message(
    police: PoliceChannel, assessor: Actor, dossier: Dossier, client: Any
) -> None:
    services.assessment_decide(
        actor=assessor,
        dossier=dossier,
        decision=AssessmentDecision.CONDITIONS,
        safety_conditions="Geen geweld.",
        **WHY,
    )
    login(client, assessor.user)
    page = client.get(reverse("reports:dossier_detail", args=[dossier.uuid])).content.decode()
    assert _options(page, "to") == ["monitoring", "afgesloten"]
    move = reverse("reports:dossier_move", args=[dossier.uuid])
    # a page opened before the step: the form sends a state no longer allowed
    response = client.post(move, {"to": "onderzoek"}, follow=True)
    assert _messages(response.content.decode()) == (
        "Een dossier in de status &#x27;Voorwaarden &amp; Vervolg&#x27; kan niet naar "
        "&#x27;onderzoek&#x27;."
    )
    dossier.refresh_from_db()
    assert dossier.state == DossierState.CONDITIONS

    client.post(move, {"to": "monitoring"})
    dossier.refresh_from_db()
    assert dossier.state == DossierState.MONITORING
    assert [m.months for m in dossier.monitoring_moments.all()] == [3, 12, 18]


def test_a_running_investigation_is_not_left_by_a_plain_step(
    police: PoliceChannel, assessor: Actor, client: Any
) -> None:
    dossier = _investigated(police, assessor)
    login(client, assessor.user)
    response = client.post(
        reverse("reports:dossier_move", args=[dossier.uuid]), {"to": "monitoring"}, follow=True
    )
    assert _messages(response.content.decode()) == "Rond eerst het onderzoek af."
    dossier.refresh_from_db()
    assert dossier.state == DossierState.INVESTIGATION


def test_a_dossier_without_an_investigation_cannot_complete_one(
    assessor: Actor, dossier: Dossier
) -> None:
    services.assessment_decide(
        actor=assessor, dossier=dossier, decision=AssessmentDecision.END, **WHY
    )
    with pytest.raises(ValidationError, match="geen onderzoek"):
        services.investigation_complete(
            actor=assessor,
            dossier=dossier,
            outcomes={},
            closed_early=True,
            next_state=DossierState.CLOSED,
        )


def test_intake_sees_the_steps_but_does_not_take_them(
    police: PoliceChannel, assessor: Actor, client: Any
) -> None:
    dossier = _investigated(police, assessor)
    intake = vt_staff(police, RoleCode.VT_INTAKE, "intake")
    login(client, intake.user)
    page = client.get(reverse("reports:dossier_detail", args=[dossier.uuid])).content.decode()
    assert 'data-testid="investigation"' in page
    assert 'data-testid="investigation-form"' not in page
    response = client.post(
        reverse("reports:investigation_complete", args=[dossier.uuid]),
        {"closed_early": "on", "next_state": "afgesloten"},
    )
    assert response.status_code == 403
    dossier.refresh_from_db()
    assert dossier.state == DossierState.INVESTIGATION
