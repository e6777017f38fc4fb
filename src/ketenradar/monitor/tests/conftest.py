"""Constructed Veilig Thuis histories for the monitor's tests, made through reports.services
at chosen moments (``core.clock.at``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.conftest import World
from ketenradar.core import clock
from ketenradar.monitor.services import RefreshResult, facts_refresh
from ketenradar.persons.matching import ReportedPerson
from ketenradar.persons.validators import is_valid_bsn
from ketenradar.regions.models import Organisation
from ketenradar.reports import services
from ketenradar.reports.constants import (
    AssessmentDecision,
    Channel,
    ContactKind,
    DossierState,
    InvestigationOutcome,
    MonitoringOutcome,
    PersonRole,
    ReporterCategory,
    ViolenceType,
)
from ketenradar.reports.models import Contact, Dossier
from ketenradar.reports.tests.conftest import WHY, PoliceChannel, assessor, police  # noqa: F401

AMS = ZoneInfo("Europe/Amsterdam")


def moment(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=AMS)


def person(n: int, **fields: object) -> ReportedPerson:
    """A distinct person per ``n`` (its own BSN, which passes the 11-proef)."""
    base = 100_000_000 + n * 100
    bsn = next(b for b in range(base + 1, base + 100) if is_valid_bsn(f"{b:09d}"))
    values: dict[str, object] = {
        "bsn": f"{bsn:09d}",
        "given_names": f"Voornaam{n}",
        "surname": f"Achternaam{n}",
        "birth_year": 1980 + n % 30,
        "birth_month": n % 12 + 1,
        "birth_day": n % 27 + 1,
    }
    values.update(fields)
    return ReportedPerson(**values)


@dataclass
class Desk:
    """Veilig Thuis at work: register, decide, investigate, monitor and close."""

    actor: Actor
    veilig_thuis: Organisation

    def report(
        self,
        when: dt.datetime,
        persons: Sequence[ReportedPerson],
        *,
        role: PersonRole = PersonRole.VICTIM,
        channel: Channel = Channel.POLICE,
        category: ReporterCategory = ReporterCategory.JUSTICE_SECURITY,
        types: Sequence[ViolenceType] = (ViolenceType.PARTNER_VIOLENCE,),
        acute: bool = False,
        kind: ContactKind = ContactKind.REPORT,
        description: str = "",
    ) -> Contact:
        with clock.at(when):
            return services.contact_register(
                actor=self.actor,
                kind=kind,
                channel=channel,
                reporter_category=category,
                received_at=when,
                persons=[(p, role) for p in persons],
                violence_types=types,
                acute_indication=acute,
                description=description,
                reporter=services.ReporterData(name="Melder M. Geheim", phone="0612345678"),
            )

    def advice(self, when: dt.datetime, **kwargs: object) -> Contact:
        return self.report(when, [], kind=ContactKind.ADVICE, **kwargs)

    def decide(
        self,
        dossier: Dossier,
        when: dt.datetime,
        decision: AssessmentDecision = AssessmentDecision.CONDITIONS,
    ) -> None:
        with clock.at(when):
            services.assessment_decide(
                actor=self.actor,
                dossier=dossier,
                decision=decision,
                safety_conditions="Voorwaarde: geen contact.",
                handover_to=self.veilig_thuis if decision == AssessmentDecision.HANDOVER else None,
                **WHY,
            )

    def investigate(self, dossier: Dossier, when: dt.datetime) -> None:
        with clock.at(when):
            services.investigation_complete(
                actor=self.actor,
                dossier=dossier,
                outcomes=dict.fromkeys(
                    services.dossier_violence_types(dossier), InvestigationOutcome.CONFIRMED
                ),
                closed_early=False,
                next_state=DossierState.MONITORING,
            )

    def move(self, dossier: Dossier, when: dt.datetime, to: DossierState) -> None:
        with clock.at(when):
            services.dossier_move(actor=self.actor, dossier=dossier, to=to)

    def monitor(self, dossier: Dossier, months: int, when: dt.datetime, outcome: str) -> None:
        moment_ = dossier.monitoring_moments.get(months=months)
        with clock.at(when):
            services.monitoring_record(
                actor=self.actor,
                moment=moment_,
                outcome=MonitoringOutcome(outcome),
                note="Gesproken met moeder.",
                action="Nieuwe actie." if outcome == MonitoringOutcome.UNSAFE else "",
            )

    def close(self, dossier: Dossier, when: dt.datetime) -> None:
        """End of involvement straight after the assessment, closed on ``when``."""
        self.decide(dossier, when, AssessmentDecision.END)

    def refresh(self) -> RefreshResult:
        return facts_refresh(actor=Actor.system("system:refresh_facts"))


@pytest.fixture
def desk(world: World, police: PoliceChannel, assessor: Actor) -> Desk:  # noqa: F811
    return Desk(actor=assessor, veilig_thuis=police.veilig_thuis)
