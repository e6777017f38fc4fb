"""Two years of Veilig Thuis work in the demo region, replayed day by day through the same
services the screens and the police channel use.

Every contact is registered with ``reports.services`` (so the radar matches, classifies and
opens dossiers itself), every safety assessment, investigation, feedback, informing task and
monitoring moment is decided or recorded by a Veilig Thuis account through its service, at
the moment it happens in the replay (``core.clock.at``). What the replay chooses are the
*inputs*: who reports, about whom, when, and what the professional decides. The volumes come
from the region's own figures (MISSION.md: Haaglanden 8,434 meldingen and 7,408 adviezen in
2018, about 75% of meldingen from the police), the mix of new and known persons from the CBS
national split of earlier involvement (85361NED, 2023). The shares of decisions, outcomes and
delays below are synthetic demo assumptions, not facts; they are set so that the norms
(90% of assessments within 5 working days, 80% of investigations within 10 weeks) are met
most of the time but not always, as in a real region.

Work whose moment lies after ``end`` stays open: the queues show live work.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from faker import Faker

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import User
from ketenradar.core import clock
from ketenradar.core.workdays import add_working_days, is_working_day
from ketenradar.demo.population import PopulationGenerator, SynthHousehold
from ketenradar.persons.matching import ReportedPerson
from ketenradar.persons.models import Household
from ketenradar.regions.constants import OrganisationType
from ketenradar.regions.models import Organisation
from ketenradar.reports import services
from ketenradar.reports.constants import (
    AssessmentDecision,
    Channel,
    ContactKind,
    DossierState,
    EarlierInvolvement,
    InvestigationOutcome,
    MonitoringOutcome,
    PersonRole,
    ReporterCategory,
    TaskKind,
    ViolenceType,
)
from ketenradar.reports.models import Contact, Dossier, DossierTask, MonitoringMoment

AMS = ZoneInfo("Europe/Amsterdam")

# Haaglanden per year (MISSION.md section 1, seed 002): 8,434 meldingen, 7,408 adviezen (2018).
REPORTS_PER_YEAR = 8434
ADVICE_PER_YEAR = 7408
POLICE_SHARE = 0.75
# CBS 85361NED (2023, national): first 31.9%, repeat 38.1%, follow-up 28.5% (rest unknown).
# The replay aims at these by choosing *whom* a report is about; the services classify.
TARGET_MIX = {"first": 0.319, "repeat": 0.381, "follow_up": 0.285}

# Synthetic demo assumptions (not sourced facts).
DECISIONS = {
    AssessmentDecision.HANDOVER: 0.38,
    AssessmentDecision.CONDITIONS: 0.22,
    AssessmentDecision.INVESTIGATION: 0.10,
    AssessmentDecision.CHILD_PROTECTION_BOARD: 0.02,
    AssessmentDecision.END: 0.28,
}
ASSESSMENT_ON_TIME = 0.92
INVESTIGATION_ON_TIME = 0.82
NON_POLICE_REPORTERS = {
    ReporterCategory.NON_PROFESSIONAL: 25,
    ReporterCategory.HEALTH_CARE: 20,
    ReporterCategory.EDUCATION: 15,
    ReporterCategory.YOUTH_CARE: 14,
    ReporterCategory.CHILDCARE: 5,
    ReporterCategory.SCHOOL_ATTENDANCE: 2,
    ReporterCategory.VT_OTHER_REGION: 4,
    ReporterCategory.OTHER: 15,
}
ADVICE_REPORTERS = {
    ReporterCategory.NON_PROFESSIONAL: 30,
    ReporterCategory.HEALTH_CARE: 20,
    ReporterCategory.EDUCATION: 15,
    ReporterCategory.YOUTH_CARE: 10,
    ReporterCategory.CHILDCARE: 5,
    ReporterCategory.JUSTICE_SECURITY: 5,
    ReporterCategory.OTHER: 15,
}
WHY = {
    "acute_rationale": "Geen direct gevaar: betrokkenen zijn gesproken, de pleger is uit huis.",
    "structural_rationale": "Eerdere meldingen en het patroon van incidenten wegen mee.",
    "multi_problem_rationale": "Schulden en werkloosheid spelen mee; hulp loopt deels.",
}


@dataclass
class Situation:
    """A household Veilig Thuis may hear about: its persons as a report would give them."""

    persons: list[tuple[ReportedPerson, PersonRole]]
    violence: list[ViolenceType]
    municipality_code: str
    known: bool = False  # Veilig Thuis has had a contact about it
    dossier_id: int | None = None  # its open dossier, if any


@dataclass
class HistoryStats:
    contacts: Counter[str] = field(default_factory=Counter)
    earlier: Counter[str] = field(default_factory=Counter)
    decisions: Counter[str] = field(default_factory=Counter)
    events: int = 0
    skipped: Counter[str] = field(default_factory=Counter)


def _as_reported(person: Any, home: Any) -> ReportedPerson:
    """A person as a report gives them: a demo ``Person`` with its ``Address``, or a
    ``SynthPerson`` with its ``SynthHousehold`` (both have the same attribute names)."""
    return ReportedPerson(
        bsn=person.bsn or "",
        given_names=person.given_names,
        surname_prefix=person.surname_prefix,
        surname=person.surname,
        birth_year=person.birth_year,
        birth_month=person.birth_month,
        birth_day=person.birth_day,
        sex=person.sex,
        postcode=getattr(home, "postcode", ""),
        house_number=getattr(home, "house_number", None),
        house_letter=getattr(home, "house_letter", ""),
        street=getattr(home, "street", ""),
        city=getattr(home, "city", ""),
    )


def _born_by(
    persons: list[tuple[ReportedPerson, PersonRole]], moment: dt.datetime
) -> list[tuple[ReportedPerson, PersonRole]]:
    """The persons already born at ``moment``: the population is today's, the replay starts
    two years back, and a report cannot name a child born after it (the intake refuses a
    date of birth after the moment of receipt)."""
    today = timezone.localdate(moment)
    return [
        (p, role)
        for p, role in persons
        if p.birth_year is None
        or (p.birth_year, p.birth_month or 1, p.birth_day or 1)
        <= (today.year, today.month, today.day)
    ]


def _actor(user: User) -> Actor:
    return Actor(user=user, membership=user.memberships.select_related("role").get())


class VeiligThuisHistory:
    def __init__(
        self,
        *,
        users: dict[str, User],
        municipalities: list[dict[str, Any]],
        start: dt.datetime,
        end: dt.datetime,
        scale: float = 1.0,
        seed: int = 2026,
        progress: Callable[[str], None] = lambda _msg: None,
    ) -> None:
        self.rng = random.Random(seed)  # noqa: S311 - synthetic demo data
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(seed)
        self.people = PopulationGenerator(
            seed=seed + 1, municipalities=municipalities, today=end.date()
        )
        self.start, self.end, self.scale, self.progress = start, end, scale, progress
        self.police = _actor(users[RoleCode.POLICE_CHANNEL])
        self.intake = _actor(users[RoleCode.VT_INTAKE])
        self.assessors = [
            _actor(users[RoleCode.VT_PROFESSIONAL]),
            _actor(users[RoleCode.VT_TEAM_LEAD]),
        ]
        region = self.police.region
        teams = Organisation.objects.filter(region=region, type=OrganisationType.LOCAL_TEAM)
        self.local_teams = {m.cbs_code: team for team in teams for m in team.municipalities.all()}
        self.any_team = list(teams)
        self.events: list[tuple[dt.datetime, int, Callable[[], object]]] = []
        self.sequence = itertools.count()
        self.known: list[Situation] = []
        self.open: dict[int, Situation] = {}  # dossier id -> situation
        self.existing = self._existing_households()
        self.stats = HistoryStats()

    # -- the replay --------------------------------------------------------------------

    def run(self) -> HistoryStats:
        day = self.start.astimezone(AMS).date()
        last = self.end.astimezone(AMS).date()
        total_days = (last - day).days + 1
        for n in range(total_days):
            with transaction.atomic():
                self._arrivals(day)
                day_end = min(
                    dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=AMS),
                    self.end,
                )
                while self.events and self.events[0][0] < day_end:
                    when, _seq, action = heapq.heappop(self.events)
                    with clock.at(when):
                        try:
                            action()
                        except ValidationError as exc:  # e.g. the dossier moved on meanwhile
                            self.stats.skipped[exc.messages[0][:60]] += 1
                    self.stats.events += 1
            if n % 30 == 0 or n == total_days - 1:
                self.progress(
                    f"  {day.isoformat()}: {sum(self.stats.contacts.values())} contacts, "
                    f"{len(self.open)} open dossiers"
                )
            day += dt.timedelta(days=1)
        return self.stats

    def _at(self, when: dt.datetime, action: Callable[[], object]) -> None:
        heapq.heappush(self.events, (when, next(self.sequence), action))

    def _count(self, per_year: float) -> int:
        mean = per_year * self.scale / 365.25
        whole = int(mean)
        return whole + (1 if self.rng.random() < mean - whole else 0)

    def _arrivals(self, day: dt.date) -> None:
        for _ in range(self._count(REPORTS_PER_YEAR)):
            police = self.rng.random() < POLICE_SHARE
            when = self._moment(day, office_hours=not police)
            if when < self.end:
                self._at(when, partial(self._report, police=police))
        for _ in range(self._count(ADVICE_PER_YEAR)):
            when = self._moment(day, office_hours=True)
            if when < self.end:
                self._at(when, self._advice)

    def _moment(self, day: dt.date, *, office_hours: bool) -> dt.datetime:
        if office_hours:
            while not is_working_day(day):
                day += dt.timedelta(days=1)
            minute = self.rng.randint(8 * 60 + 30, 17 * 60)
        else:
            minute = self.rng.randint(0, 24 * 60 - 1)
        return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=AMS)

    # -- who a contact is about ----------------------------------------------------------

    def _existing_households(self) -> Iterator[Situation]:
        """The demo population's households, in a fixed shuffled order."""
        ids = list(Household.objects.order_by("pk").values_list("pk", flat=True))
        self.rng.shuffle(ids)
        for pk in ids:
            household = Household.objects.prefetch_related(
                "memberships__person__addresses__municipality"
            ).get(pk=pk)
            members = []
            code = ""
            for membership in household.memberships.all():
                person = membership.person
                address = next(iter(person.addresses.all()), None)
                if address is not None and address.municipality is not None:
                    code = address.municipality.cbs_code
                members.append((_as_reported(person, address), membership.role))
            yield self._situation(members, code)

    def _new_household(self) -> Situation:
        hh: SynthHousehold = self.people.household()
        members = [(_as_reported(p, hh), p.household_role) for p in hh.members]
        if len(members) == 1:  # someone living alone: the (ex-)partner lives elsewhere
            other = self.people.household()
            members.append((_as_reported(other.members[0], other), "ex_partner"))
        return self._situation(members, hh.municipality_code)

    def _situation(self, members: list[tuple[ReportedPerson, str]], code: str) -> Situation:
        adults = [p for p, role in members if role != "kind"]
        children = [p for p, role in members if role == "kind"]
        persons: list[tuple[ReportedPerson, PersonRole]] = []
        violence: list[ViolenceType] = []
        elderly = all((p.birth_year or 2000) < self.end.year - 65 for p in adults)
        if len(adults) >= 2:
            women = [p for p in adults if p.sex == "v"] or adults
            victim = women[0] if self.rng.random() < 0.8 else adults[-1]
            perpetrator = next(p for p in adults if p is not victim)
            persons += [(victim, PersonRole.VICTIM), (perpetrator, PersonRole.PERPETRATOR)]
            violence.append(ViolenceType.ELDER_ABUSE if elderly else ViolenceType.PARTNER_VIOLENCE)
        elif adults:
            persons.append((adults[0], PersonRole.VICTIM if not children else PersonRole.OTHER))
        persons += [(child, PersonRole.CHILD) for child in children]
        if children and (not violence or self.rng.random() < 0.6):
            violence.append(ViolenceType.CHILD_ABUSE)
        if not violence:
            violence.append(ViolenceType.OTHER_DOMESTIC)
        return Situation(persons=persons, violence=violence, municipality_code=code)

    def _subject(self) -> Situation:
        """Whom the next report is about, aiming at the CBS mix of earlier involvement."""
        roll = self.rng.random() * sum(TARGET_MIX.values())
        if roll >= TARGET_MIX["first"] + TARGET_MIX["repeat"] and self.open:
            return self.rng.choice(list(self.open.values()))
        if roll >= TARGET_MIX["first"]:
            closed = [s for s in self.known[-4000:] if s.dossier_id is None]
            if closed:
                return self.rng.choice(closed)
        return self._fresh()

    def _fresh(self) -> Situation:
        if self.rng.random() < 0.3:
            existing = next(self.existing, None)
            if existing is not None:
                return existing
        return self._new_household()

    # -- contacts ------------------------------------------------------------------------

    def _report(self, *, police: bool) -> None:
        situation = self._subject()
        acute = self.rng.random() < 0.08
        types = list(situation.violence)
        fields: dict[str, Any] = {
            "kind": ContactKind.REPORT,
            "received_at": clock.now(),
            "persons": _born_by(situation.persons, clock.now()),
            "violence_types": types,
            "human_trafficking": self.rng.random() < 0.005,
            "acute_indication": acute,
            "structural_indication": self.rng.random() < 0.4,
            "description": "Synthetische demomelding.",
        }
        if police:
            number = sum(self.stats.contacts.values()) + 1
            result = services.external_report_intake(
                actor=self.police,
                source="politie",
                external_id=f"DEMO-{clock.now():%Y}-{number:06d}",
                body_hash=f"demo-{number}",
                channel=Channel.POLICE,
                reporter_category=ReporterCategory.JUSTICE_SECURITY,
                reporter=services.ReporterData(
                    name=f"Agent {self.fake.last_name()}",
                    organisation_name="Politie eenheid Den Haag",
                    phone="0900-8844",
                ),
                **fields,
            )
            contact = result.contact
        else:
            category = self._pick(NON_POLICE_REPORTERS)
            contact = services.contact_register(
                actor=self.intake,
                channel=(
                    Channel.OTHER_VT_REGION
                    if category == ReporterCategory.VT_OTHER_REGION
                    else Channel.CHAT
                    if self.rng.random() < 0.05
                    else Channel.PHONE
                ),
                reporter_category=category,
                reporter=self._reporter(category),
                **fields,
            )
        self._registered(contact, situation)

    def _advice(self) -> None:
        category = self._pick(ADVICE_REPORTERS)
        anonymous = self.rng.random() < 0.55  # the client may stay anonymous in an advice
        situation = None if anonymous else self._subject()
        services.contact_register(
            actor=self.intake,
            kind=ContactKind.ADVICE,
            channel=Channel.CHAT if self.rng.random() < 0.15 else Channel.PHONE,
            reporter_category=category,
            received_at=clock.now(),
            persons=_born_by(situation.persons, clock.now()) if situation else [],
            violence_types=situation.violence if situation else [ViolenceType.UNKNOWN],
            description="Synthetische demo-adviesvraag.",
            reporter=self._reporter(category) if self.rng.random() < 0.6 else None,
        )
        self.stats.contacts["advies"] += 1
        if situation is not None and not situation.known:
            situation.known = True
            self.known.append(situation)

    def _reporter(self, category: ReporterCategory) -> services.ReporterData:
        return services.ReporterData(
            name=self.fake.name(),
            organisation_name=""
            if category == ReporterCategory.NON_PROFESSIONAL
            else self.fake.company(),
            phone=self.fake.phone_number(),
        )

    def _pick(self, weights: dict[Any, int] | dict[Any, float]) -> Any:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _registered(self, contact: Contact, situation: Situation) -> None:
        self.stats.contacts["melding"] += 1
        self.stats.earlier[contact.earlier_involvement] += 1
        if not situation.known:
            situation.known = True
            self.known.append(situation)
        dossier = contact.dossier
        assert dossier is not None
        inform = DossierTask.objects.get(contact=contact, kind=TaskKind.INFORM_PERSONS)
        self._schedule_informing(inform)
        if contact.earlier_involvement in (
            EarlierInvolvement.FIRST,
            EarlierInvolvement.REPEAT,
        ):
            situation.dossier_id = dossier.pk
            self.open[dossier.pk] = situation
            self._at(self._decision_moment(dossier), lambda: self._decide(dossier.pk))

    # -- Veilig Thuis's work -------------------------------------------------------------

    def _assessor(self) -> Actor:
        return self.assessors[0] if self.rng.random() < 0.85 else self.assessors[1]

    def _decision_moment(self, dossier: Dossier) -> dt.datetime:
        received = dossier.opened_at
        if dossier.acute:
            hours = self.rng.uniform(1, 20) if self.rng.random() < 0.97 else 30
            return received + dt.timedelta(hours=hours)
        local = received.astimezone(AMS).date()
        on_time = self.rng.random() < ASSESSMENT_ON_TIME
        days = self.rng.randint(1, 5) if on_time else self.rng.randint(6, 10)
        day = add_working_days(local, days)
        minute = self.rng.randint(9 * 60, 17 * 60)
        return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=AMS)

    def _decide(self, dossier_id: int) -> None:
        dossier = Dossier.objects.select_related("organisation__region").get(pk=dossier_id)
        decision = self._pick(DECISIONS)
        situation = self.open[dossier_id]
        services.assessment_decide(
            actor=self._assessor(),
            dossier=dossier,
            acute_unsafety=dossier.acute,
            structural_unsafety=self.rng.random() < 0.5,
            multi_problem=self.rng.random() < 0.3,
            decision=decision,
            handover_to=self.local_teams.get(situation.municipality_code)
            or self.rng.choice(self.any_team),
            safety_conditions="Geen geweld in het gezin; hulp van het lokale team aanvaarden; "
            "kinderen gaan naar school.",
            **WHY,
        )
        self.stats.decisions[str(decision)] += 1
        self._schedule_feedback(dossier, TaskKind.FEEDBACK_AFTER_ASSESSMENT)
        if decision == AssessmentDecision.HANDOVER:
            self._schedule_monitoring(dossier)
        elif decision == AssessmentDecision.CONDITIONS:
            self._after_weeks(6, 12, lambda: self._move(dossier_id, DossierState.MONITORING))
        elif decision == AssessmentDecision.INVESTIGATION:
            low, high = (5.0, 10.0) if self.rng.random() < INVESTIGATION_ON_TIME else (10.2, 14.0)
            self._after_weeks(low, high, lambda: self._investigated(dossier_id))
        elif decision == AssessmentDecision.CHILD_PROTECTION_BOARD:
            self._after_weeks(8, 16, lambda: self._move(dossier_id, DossierState.CLOSED))
        else:
            self._closed(dossier_id)

    def _after_weeks(self, low: float, high: float, action: Callable[[], object]) -> None:
        self._at(clock.now() + dt.timedelta(weeks=self.rng.uniform(low, high)), action)

    def _investigated(self, dossier_id: int) -> None:
        dossier = Dossier.objects.get(pk=dossier_id)
        types = {t for c in dossier.contacts.all() for t in c.violence_types}
        early = self.rng.random() < 0.08
        outcomes = {
            t: self._pick(
                {
                    InvestigationOutcome.CONFIRMED: 55,
                    InvestigationOutcome.NOT_CONFIRMED: 30,
                    InvestigationOutcome.REFUTED: 15,
                }
            )
            for t in types
        }
        next_state = self._pick(
            {
                DossierState.CONDITIONS: 40,
                DossierState.MONITORING: 35,
                DossierState.CHILD_PROTECTION_BOARD: 10,
                DossierState.CLOSED: 15,
            }
        )
        services.investigation_complete(
            actor=self._assessor(),
            dossier=dossier,
            outcomes={} if early else outcomes,
            closed_early=early,
            next_state=next_state,
        )
        self._schedule_feedback(dossier, TaskKind.FEEDBACK_AFTER_INVESTIGATION)
        self._entered(dossier, next_state)

    def _move(self, dossier_id: int, to: DossierState) -> None:
        dossier = Dossier.objects.get(pk=dossier_id)
        services.dossier_move(actor=self._assessor(), dossier=dossier, to=to)
        self._entered(dossier, to)

    def _entered(self, dossier: Dossier, state: DossierState) -> None:
        if state == DossierState.MONITORING:
            self._schedule_monitoring(dossier)
        elif state == DossierState.CONDITIONS:
            self._after_weeks(6, 12, lambda: self._move(dossier.pk, DossierState.MONITORING))
        elif state == DossierState.CHILD_PROTECTION_BOARD:
            self._after_weeks(8, 16, lambda: self._move(dossier.pk, DossierState.CLOSED))
        elif state == DossierState.CLOSED:
            self._closed(dossier.pk)

    def _closed(self, dossier_id: int) -> None:
        situation = self.open.pop(dossier_id, None)
        if situation is not None:
            situation.dossier_id = None

    def _schedule_informing(self, task: DossierTask) -> None:
        task_id = task.pk
        if self.rng.random() < 0.05:  # informing would endanger someone: postponed
            self._at(
                task.due_at - dt.timedelta(days=2),
                lambda: services.informing_extend(
                    actor=self.intake,
                    task=DossierTask.objects.get(pk=task_id),
                    reason="Informeren brengt de veiligheid van het slachtoffer nu in gevaar.",
                ),
            )
            done = task.due_at + dt.timedelta(days=self.rng.uniform(2, 13))
        else:
            done = task.contact.received_at + dt.timedelta(days=self.rng.uniform(1, 27))
        self._at(done, lambda: self._task_done(task_id, "Betrokkenen per brief en telefonisch."))

    def _schedule_feedback(self, dossier: Dossier, kind: TaskKind) -> None:
        for task in DossierTask.objects.filter(dossier=dossier, kind=kind, done_at__isnull=True):
            days = self.rng.randint(0, 4) if self.rng.random() < 0.9 else self.rng.randint(6, 9)
            day = add_working_days(clock.now().astimezone(AMS).date(), days)
            when = dt.datetime.combine(day, dt.time(11, self.rng.randint(0, 59)), tzinfo=AMS)
            self._at(
                max(when, clock.now()),
                partial(
                    self._task_done,
                    task.pk,
                    "Melder telefonisch verteld welk vervolg Veilig Thuis heeft ingezet.",
                ),
            )

    def _task_done(self, task_id: int, content: str) -> None:
        task = DossierTask.objects.select_related("dossier").get(pk=task_id)
        if task.done_at is None:
            services.task_complete(actor=self.intake, task=task, content=content)

    def _schedule_monitoring(self, dossier: Dossier) -> None:
        moments = list(MonitoringMoment.objects.filter(dossier=dossier, done_at__isnull=True))
        for i, moment in enumerate(moments):
            last = i == len(moments) - 1
            when = moment.due_at + dt.timedelta(days=self.rng.uniform(0, 10))
            self._at(when, partial(self._monitored, moment.pk, last=last))

    def _monitored(self, moment_id: int, *, last: bool) -> None:
        moment = MonitoringMoment.objects.select_related("dossier").get(pk=moment_id)
        if moment.dossier.state != DossierState.MONITORING:
            return
        outcome = self._pick(
            {
                MonitoringOutcome.SAFE: 72,
                MonitoringOutcome.CONCERNS: 20,
                MonitoringOutcome.UNSAFE: 8,
            }
        )
        services.monitoring_record(
            actor=self._assessor(),
            moment=moment,
            outcome=outcome,
            note="Contact met moeder en het lokale team.",
            action="Opnieuw veiligheidsvoorwaarden besproken; wijkteam schaalt op."
            if outcome == MonitoringOutcome.UNSAFE
            else "",
        )
        if last:
            self._move(moment.dossier_id, DossierState.CLOSED)
