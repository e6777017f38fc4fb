"""Seed the demo region Haaglanden: municipalities, chain partners, one user per role, the
DUVO budget of the regiovisie, its implementation programme and a synthetic population in
households. Running it again changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from ketenradar.access.constants import InvolvementKind
from ketenradar.access.models import Involvement
from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Membership, Role, User
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.core import clock
from ketenradar.demo.care import seed_care
from ketenradar.demo.history import VeiligThuisHistory
from ketenradar.demo.mda import seed_mda
from ketenradar.demo.population import PopulationGenerator
from ketenradar.demo.restraining import seed_restraining
from ketenradar.demo.shelter import seed_shelter
from ketenradar.monitor.models import PostcodeArea
from ketenradar.monitor.services import facts_refresh, postcode_areas_set
from ketenradar.persons.models import Address, Household, HouseholdMembership, Person, Relation
from ketenradar.programme import services as programme
from ketenradar.programme.models import Budget, DevelopmentTask
from ketenradar.programme.services import budget_import
from ketenradar.radar.index import refresh_keys
from ketenradar.regions.models import Municipality, Organisation, Region, Subregion
from ketenradar.reports.models import Contact

DATA = Path(__file__).resolve().parents[2] / "data" / "haaglanden.json"
# Seed 002 chapter V: the DUVO budget 2019-2022 of the Haaglanden centrumgemeenten.
BUDGET = DATA.with_name("duvo_2019_2022.csv")
# Seeds 002 (chapter III) and 001: the six development tasks, results, actions and notes.
PROGRAMME = DATA.with_name("programme_haaglanden.json")
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
        parser.add_argument(
            "--history-years",
            type=float,
            default=2.0,
            help="Years of Veilig Thuis work to replay up to now (default 2).",
        )
        parser.add_argument(
            "--history-scale",
            type=float,
            default=1.0,
            help="Fraction of Haaglanden's yearly volumes to replay (default 1: the real scale).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        data = json.loads(DATA.read_text(encoding="utf-8"))
        actor = Actor.system("system:seed_demo")
        with transaction.atomic():
            region, orgs = self._region(data, actor)
            users = self._users(data, orgs, actor)
        self._budget(region, actor)
        with transaction.atomic():
            self._programme(region, orgs, users)
        if Household.objects.exists():
            self.stdout.write("Demo population already present: nothing to add.")
        else:
            with transaction.atomic():
                count = self._population(data, orgs, users, options["households"], actor)
            self.stdout.write(f"Demo population: {count} persons.")
        last = Contact.objects.order_by("-received_at").values_list("received_at", flat=True)[:1]
        replayed = False
        if last:
            self.stdout.write("Demo Veilig Thuis history already present: nothing to add.")
            if last[0] < timezone.now() - dt.timedelta(days=2):
                self.stdout.write(
                    f"  It ends on {timezone.localtime(last[0]):%d-%m-%Y} (an older or interrupted "
                    "seed); remove var/ketenradar.sqlite3 to replay it up to today."
                )
        elif options["history_years"] > 0:
            self._history(data, users, options["history_years"], options["history_scale"])
            replayed = True
        with transaction.atomic():
            cases = seed_care(region=region, orgs=orgs, users=users, now=timezone.now())
        self.stdout.write(
            f"Demo chain care: {cases} cases." if cases else "Demo chain care: already present."
        )
        seed_restraining(region=region, orgs=orgs, users=users, now=timezone.now())
        self.stdout.write(seed_shelter(region=region, orgs=orgs, users=users, now=timezone.now()))
        seed_mda(region=region, orgs=orgs, users=users, now=timezone.now())
        if replayed or cases:  # the facts of what was added, chain care included
            result = facts_refresh(actor=Actor.system("system:refresh_facts"))
            written = ", ".join(f"{k} {v}" for k, v in result.written.items())
            self.stdout.write(f"Monitor facts: {written or 'none'}.")
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
            if not PostcodeArea.objects.filter(municipality=muni).exists():
                postcode_areas_set(
                    actor=actor, municipality=muni, ranges=[(lo, hi) for lo, hi in m["postcodes"]]
                )
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

    def _budget(self, region: Region, actor: Actor) -> None:
        """The DUVO table of seed 002 chapter V, imported through the service like an upload."""
        if Budget.objects.filter(region=region, first_year=2019, last_year=2022).exists():
            self.stdout.write("Demo budget already present: nothing to add.")
            return
        result = budget_import(
            actor=actor,
            region=region,
            content=BUDGET.read_bytes(),
            file_format="csv",
            name="DUVO Regiovisie 2019-2022",
            source_name=BUDGET.name,
        )
        self.stdout.write(
            f"Demo budget: {result.lines} lines ({result.pm_lines} p.m.), "
            f"{len(result.mismatches)} printed totals off, "
            f"{len(result.unbalanced)} years x centrumgemeenten out of balance."
        )

    def _programme(
        self, region: Region, orgs: dict[str, Organisation], users: dict[str, User]
    ) -> None:
        """The six development tasks of the regiovisie with a handful of actions and notes,
        written through the programme services by the demo's programme manager, each note
        on its own date."""
        if DevelopmentTask.objects.filter(region=region).exists():
            self.stdout.write("Demo programme already present: nothing to add.")
            return
        data = json.loads(PROGRAMME.read_text(encoding="utf-8"))
        user = users[data["author"]]
        manager = Actor(
            user=user,
            membership=Membership.objects.select_related("organisation__region", "role__group").get(
                user=user
            ),
        )
        municipalities = {m.cbs_code: m for m in region.municipalities.all()}
        actions = 0
        for order, spec in enumerate(data["tasks"], start=1):
            task = programme.development_task_create(
                actor=manager,
                region=region,
                code=spec["code"],
                title=spec["title"],
                description=spec["description"],
                order=order,
                budget_task=spec["budget_task"],
            )
            results = [
                programme.intended_result_add(actor=manager, task=task, text=text)
                for text in spec["results"]
            ]
            for cbs_code, text in spec.get("attention_points", []):
                programme.attention_point_add(
                    actor=manager, task=task, municipality=municipalities[cbs_code], text=text
                )
            for code in spec.get("kpis", []):
                programme.task_kpi_set(actor=manager, task=task, code=code)
            for a in spec["actions"]:
                self._action(manager, task, results, orgs, a)
                actions += 1
        self.stdout.write(
            f"Demo programme: {len(data['tasks'])} development tasks, {actions} actions."
        )

    def _action(
        self,
        manager: Actor,
        task: DevelopmentTask,
        results: list,
        orgs: dict[str, Organisation],
        spec: dict,
    ) -> None:
        def moment(day: str) -> dt.datetime:
            return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10)))

        planned = spec.get("start_date") or programme.parse_quarter(spec["quarter"])[1].isoformat()
        with clock.at(moment(min([planned, *(s[0] for s in spec["status"])]))):
            action = programme.action_create(
                actor=manager,
                task=task,
                title=spec["title"],
                description=spec.get("description", ""),
                result=results[spec["result"] - 1] if "result" in spec else None,
                owner=orgs[spec["owner"]],
                owner_role=spec["owner_role"],
                funding=spec["funding"],
                start_date=dt.date.fromisoformat(spec["start_date"])
                if "start_date" in spec
                else None,
                end_date=dt.date.fromisoformat(spec["end_date"]) if "end_date" in spec else None,
                quarter=spec.get("quarter", ""),
            )
        events = [(day, status, text) for day, status, text in spec["status"]]
        events += [(day, "", text) for day, text in spec.get("notes", [])]
        for day, status, text in sorted(events):
            with clock.at(moment(day)):
                if status:
                    programme.action_change_status(
                        actor=manager, action=action, status=status, note=text
                    )
                else:
                    programme.action_note_add(actor=manager, action=action, text=text)

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
        # bulk inserts send no signals: the radar's blocking keys of the new persons
        for start in range(0, len(created_persons), 2000):
            refresh_keys([p.pk for p in created_persons[start : start + 2000]])
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="persons.person",
            person_ids=[p.pk for p in created_persons],
            detail={"seed": SEED},
        )
        return len(created_persons)

    def _history(self, data: dict, users: dict[str, User], years: float, scale: float) -> None:
        end = timezone.now()
        start = end - dt.timedelta(days=round(365.25 * years))
        self.stdout.write(
            f"Demo Veilig Thuis: replaying {years:g} years of work at {scale:g} x Haaglanden's "
            "volumes through the services (this takes a few minutes the first time)..."
        )
        history = VeiligThuisHistory(
            users=users,
            municipalities=data["municipalities"],
            start=start,
            end=end,
            scale=scale,
            seed=SEED,
            progress=self.stdout.write,
        )
        with override_settings(DEBUG=False):  # no per-query debug log while replaying
            stats = history.run()
        reports = stats.contacts["melding"]
        self.stdout.write(
            f"Demo Veilig Thuis: {reports} meldingen and {stats.contacts['advies']} adviezen "
            f"({stats.events} service calls)."
        )
        for category, count in sorted(stats.earlier.items()):
            self.stdout.write(f"  {category:<28} {count:>6} ({count / max(reports, 1):.1%})")
        for message, count in stats.skipped.items():  # a service refused a replayed step
            self.stdout.write(f"  refused {count}x: {message}")

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
