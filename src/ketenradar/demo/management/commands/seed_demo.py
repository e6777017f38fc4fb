"""Seed the demo region Haaglanden: municipalities, chain partners, one user per role and a
synthetic population in households. Running it again changes nothing."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from ketenradar.access.constants import InvolvementKind
from ketenradar.access.models import Involvement
from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Membership, Role, User
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.demo.population import PopulationGenerator
from ketenradar.persons.models import Address, Household, HouseholdMembership, Person, Relation
from ketenradar.regions.models import Municipality, Organisation, Region, Subregion
from ketenradar.reports.models import Contact

DATA = Path(__file__).resolve().parents[2] / "data" / "haaglanden.json"
DEMO_PASSWORD = "Ketenradar-demo-2026"  # noqa: S105 - printed on purpose: local demo only
SEED = 20261122

# Which organisation gets involved with a household, and how often (demo only).
INVOLVEMENTS = [
    ("Veilig Thuis Haaglanden", InvolvementKind.VT_DOSSIER, 0.30, None, "Veilig Thuis dossier"),
    (
        "Sociaal Wijkteam Bouwlust en Vrederust",
        InvolvementKind.COORDINATOR,
        0.25,
        "GM0518",
        "Regie op het gezinsplan",
    ),
    ("Delft voor Elkaar", InvolvementKind.COORDINATOR, 0.25, "GM0503", "Regie op het gezinsplan"),
    (
        "Sociaal Kernteam Westland",
        InvolvementKind.COORDINATOR,
        0.25,
        "GM1783",
        "Regie op het gezinsplan",
    ),
    ("GGZ Delfland", InvolvementKind.CASE_TEAM, 0.06, None, "Casusteam: behandeling ouder"),
    ("Veiligheidshuis", InvolvementKind.MDA, 0.02, None, "Aangemeld voor MDA++"),
    ("Leger des Heils", InvolvementKind.PLACEMENT, 0.02, None, "Plaatsing in de opvang"),
]


class Command(BaseCommand):
    help = "Seed the synthetic demo region Haaglanden (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--households", type=int, default=1200)

    def handle(self, *args: Any, **options: Any) -> None:
        data = json.loads(DATA.read_text(encoding="utf-8"))
        actor = Actor.system("system:seed_demo")
        with transaction.atomic():
            _region, orgs = self._region(data, actor)
            users = self._users(data, orgs, actor)
        if Household.objects.exists():
            self.stdout.write("Demo population already present: nothing to add.")
        else:
            with transaction.atomic():
                count = self._population(data, orgs, users, options["households"], actor)
            self.stdout.write(f"Demo population: {count} persons.")
        if not Contact.objects.exists():
            reports = self._recent_reports(users)
            self.stdout.write(f"Demo Veilig Thuis: {reports} police reports of the last ten days.")
        self._print_logins(data)

    def _region(self, data: dict, actor: Actor) -> tuple[Region, dict[str, Organisation]]:
        region, created = Region.objects.get_or_create(
            code=data["region"]["code"], defaults={"name": data["region"]["name"]}
        )
        subregions = {
            name: Subregion.objects.get_or_create(region=region, name=name)[0]
            for name in data["subregions"]
        }
        municipalities: dict[str, Municipality] = {}
        for m in data["municipalities"]:
            municipalities[m["cbs_code"]], _ = Municipality.objects.get_or_create(
                cbs_code=m["cbs_code"],
                defaults={
                    "name": m["name"],
                    "region": region,
                    "subregion": subregions[m["subregion"]],
                    "inhabitants": m["inhabitants"],
                    "inhabitants_reference_date": dt.date.fromisoformat(m["reference_date"]),
                },
            )
        for m in data["municipalities"]:
            muni = municipalities[m["cbs_code"]]
            if muni.centrumgemeente_id is None:
                muni.centrumgemeente = municipalities[m["centrumgemeente"]]
                muni.save(update_fields=["centrumgemeente"])
        orgs: dict[str, Organisation] = {}
        new_orgs = 0
        for name, org_type, served in data["organisations"]:
            org, org_created = Organisation.objects.get_or_create(
                region=region, name=name, defaults={"type": org_type}
            )
            if org_created:
                org.municipalities.set(
                    [municipalities[c] for c in served] if served else municipalities.values()
                )
                new_orgs += 1
            orgs[name] = org
        if created or new_orgs:
            audit.record(
                actor=actor,
                action=AuditAction.CREATE,
                object_type="regions.region",
                object_id=region.pk,
                detail={"organisations": new_orgs},
            )
        return region, orgs

    def _users(self, data: dict, orgs: dict[str, Organisation], actor: Actor) -> dict[str, User]:
        users: dict[str, User] = {}
        for username, org_name, role_code, first, last in data["users"]:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.ketenradar.invalid",
                },
            )
            if created:
                if role_code == RoleCode.POLICE_CHANNEL:
                    user.set_unusable_password()  # a system account: API key only
                else:
                    user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
                Membership.objects.create(
                    user=user,
                    organisation=orgs[org_name],
                    role=Role.objects.get(code=role_code),
                    valid_from=dt.date(2024, 1, 1),
                )
                audit.record(
                    actor=actor,
                    action=AuditAction.CREATE,
                    object_type="accounts.user",
                    object_id=user.pk,
                    detail={"role": role_code},
                )
            users[role_code] = user
        return users

    def _population(
        self,
        data: dict,
        orgs: dict[str, Organisation],
        users: dict[str, User],
        households: int,
        actor: Actor,
    ) -> int:
        today = timezone.localdate()
        gen = PopulationGenerator(seed=SEED, municipalities=data["municipalities"], today=today)
        municipalities = {m.cbs_code: m for m in Municipality.objects.all()}
        rng = gen.rng
        created_persons: list[Person] = []
        for _ in range(households):
            hh = gen.household()
            people = [
                Person(
                    given_names=p.given_names,
                    initials=p.initials if p.given_names else "",
                    surname_prefix=p.surname_prefix,
                    surname=p.surname,
                    partner_surname_prefix=p.partner_surname_prefix,
                    partner_surname=p.partner_surname,
                    name_usage=p.name_usage,
                    birth_year=p.birth_year,
                    birth_month=p.birth_month,
                    birth_day=p.birth_day,
                    sex=p.sex,
                    bsn=p.bsn,
                    no_bsn_reason=p.no_bsn_reason,
                )
                for p in hh.members
            ]
            for person in people:
                person.full_clean(validate_unique=False, validate_constraints=False)
            Person.objects.bulk_create(people)
            household = Household.objects.create(label=hh.label)
            HouseholdMembership.objects.bulk_create(
                HouseholdMembership(
                    household=household,
                    person=person,
                    role=p.household_role,
                    start_date=hh.moved_in,
                )
                for person, p in zip(people, hh.members, strict=True)
            )
            Address.objects.bulk_create(
                Address(
                    person=person,
                    street=hh.street,
                    house_number=hh.house_number,
                    house_letter=hh.house_letter,
                    postcode=hh.postcode,
                    city=hh.city,
                    municipality=municipalities[hh.municipality_code],
                    valid_from=hh.moved_in,
                )
                for person in people
            )
            Relation.objects.bulk_create(
                Relation(from_person=people[a], to_person=people[b], kind=kind)
                for a, b, kind in hh.relations
            )
            involvements = []
            for org_name, kind, share, only_in, purpose in INVOLVEMENTS:
                if (only_in is None or only_in == hh.municipality_code) and rng.random() < share:
                    involvements += [
                        Involvement(
                            person=p, organisation=orgs[org_name], kind=kind, purpose=purpose
                        )
                        for p in people
                    ]
            if rng.random() < 0.03:  # the GP's own reports: personal involvement
                involvements += [
                    Involvement(
                        person=p,
                        organisation=orgs["Huisartsen"],
                        user=users["professional"],
                        kind=InvolvementKind.REPORTER,
                        purpose="Eigen adviesvraag",
                    )
                    for p in people
                ]
            Involvement.objects.bulk_create(involvements)
            created_persons += people
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="persons.person",
            person_ids=[p.pk for p in created_persons],
            detail={"seed": SEED},
        )
        return len(created_persons)

    def _recent_reports(self, users: dict[str, User], count: int = 80) -> int:
        """Police reports of the last ten days about demo people, through the same services
        as the police channel, and some safety assessments decided by the VT professional."""
        import random

        from ketenradar.persons.matching import ReportedPerson
        from ketenradar.reports import services as report_services
        from ketenradar.reports.constants import (
            AssessmentDecision,
            Channel,
            ContactKind,
            PersonRole,
            ReporterCategory,
            ViolenceType,
        )

        rng = random.Random(SEED)  # noqa: S311 - synthetic demo data
        police = users[RoleCode.POLICE_CHANNEL]
        police_actor = Actor(user=police, membership=police.memberships.get())
        assessor_user = users[RoleCode.VT_PROFESSIONAL]
        assessor = Actor(user=assessor_user, membership=assessor_user.memberships.get())
        adults = list(
            Person.objects.filter(bsn__isnull=False, birth_year__lt=2000).order_by("pk")[:1500]
        )
        now = timezone.now()
        types = [
            ViolenceType.PARTNER_VIOLENCE,
            ViolenceType.CHILD_ABUSE,
            ViolenceType.OTHER_DOMESTIC,
        ]
        made = 0
        for n in range(count):
            victim, other = rng.sample(adults, 2)
            received = now - dt.timedelta(hours=rng.randint(1, 240))
            contact = report_services.contact_register(
                actor=police_actor,
                kind=ContactKind.REPORT,
                channel=Channel.POLICE,
                reporter_category=ReporterCategory.JUSTICE_SECURITY,
                received_at=received,
                persons=[
                    (ReportedPerson(bsn=victim.bsn or ""), PersonRole.VICTIM),
                    (ReportedPerson(bsn=other.bsn or ""), PersonRole.PERPETRATOR),
                ],
                violence_types=rng.sample(types, rng.randint(1, 2)),
                acute_indication=rng.random() < 0.1,
                structural_indication=rng.random() < 0.4,
                description="Synthetische demomelding van de politie.",
                reporter=report_services.ReporterData(
                    name=f"Agent {n + 1}",
                    organisation_name="Politie eenheid Den Haag",
                    phone="0900-8844",
                ),
                external_source="politie",
                external_id=f"DEMO-{n + 1:05d}",
                body_hash="demo",
            )
            made += 1
            if contact.dossier and received < now - dt.timedelta(days=4) and rng.random() < 0.5:
                decision = rng.choice(
                    [
                        AssessmentDecision.CONDITIONS,
                        AssessmentDecision.INVESTIGATION,
                        AssessmentDecision.END,
                    ]
                )
                # a follow-up report may join a dossier that was already decided
                with contextlib.suppress(report_services.InvalidTransition):
                    report_services.assessment_decide(
                        actor=assessor,
                        dossier=contact.dossier,
                        acute_unsafety=False,
                        acute_rationale="Geen direct gevaar vastgesteld.",
                        structural_unsafety=contact.structural_indication,
                        structural_rationale="Op grond van eerdere meldingen en het gesprek.",
                        multi_problem=False,
                        multi_problem_rationale="Geen aanwijzingen.",
                        decision=decision,
                        safety_conditions="Geen geweld; hulp van het lokale team aanvaarden.",
                    )
        return made

    def _print_logins(self, data: dict) -> None:
        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
        for username, org_name, role_code, _first, _last in data["users"]:
            role = Role.objects.get(code=role_code)
            if role_code == RoleCode.POLICE_CHANNEL:
                continue
            self.stdout.write(f"  {username:<16} {role.name:<28} {org_name}")
        self.stdout.write(
            "\nPolice bulk channel: system account politie.koppeling (no password); make its "
            "API key with\n  uv run python manage.py create_api_key politie.koppeling --name CORV"
        )
