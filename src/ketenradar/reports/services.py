"""Writes on Veilig Thuis contacts: registering advice requests and reports (from screens
and from the police bulk channel), with the radar's classification and the legal deadline
of the safety assessment. Every write is audited in its own transaction."""

from __future__ import annotations

import calendar
import datetime as dt
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ketenradar.access import services as access_services
from ketenradar.access.constants import InvolvementKind
from ketenradar.access.models import Involvement
from ketenradar.accounts.actor import Actor
from ketenradar.accounts.models import User
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.core import clock
from ketenradar.core.workdays import add_working_days
from ketenradar.persons.constants import HouseholdRole
from ketenradar.persons.matching import Match, ReportedPerson
from ketenradar.persons.models import Address, Household, HouseholdMembership, Person
from ketenradar.persons.validators import normalise_bsn, normalise_postcode
from ketenradar.radar import decisions as radar_decisions
from ketenradar.radar import policy as radar_policy
from ketenradar.radar.models import MatchProposal
from ketenradar.regions.constants import OrganisationType
from ketenradar.regions.models import Organisation
from ketenradar.reports import selectors
from ketenradar.reports.constants import (
    DECISION_STATE,
    OPEN_STATES_AFTER_ASSESSMENT,
    TRANSITIONS,
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
from ketenradar.reports.models import (
    Contact,
    ContactPerson,
    Dossier,
    DossierTask,
    Investigation,
    MeldcodeRecord,
    MonitoringMoment,
    Reporter,
    SafetyAssessment,
)

CONTACT = "reports.contact"
USE_MELDCODE = "reports.use_meldcode"
VIEW_REPORTER_IDENTITY = "reports.view_reporter_identity"
INTAKE_ATTEMPTS = 25
ASSESSMENT_WORKING_DAYS = 5  # Uitvoeringsbesluit Wmo 2015 art. 4.1.7
ACUTE_HOURS = 24
RECEIPT_CLOCK_SKEW = dt.timedelta(minutes=5)  # a sender's clock may run a little ahead
EARLIEST_RECEIPT = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)  # nothing older is registered


def _born_after(person: ReportedPerson, day: dt.date) -> bool:
    """Whether the earliest day the (partial) date of birth can mean lies after ``day``."""
    if not person.birth_year:
        return False
    try:
        born = dt.date(person.birth_year, person.birth_month or 1, person.birth_day or 1)
    except ValueError:
        return False
    return born > day


def assessment_deadline(received_at: dt.datetime, *, acute: bool) -> dt.datetime:
    """Acute: within 24 elapsed hours (counted in UTC: across a clock change a wall-clock
    day is 23 or 25 hours). Otherwise by the end of the 5th Dutch working day after the day
    of receipt (Algemene termijnenwet holidays, see core.workdays)."""
    if acute:
        return received_at.astimezone(dt.UTC) + dt.timedelta(hours=ACUTE_HOURS)
    local = timezone.localtime(received_at)
    due_day = add_working_days(local.date(), ASSESSMENT_WORKING_DAYS)
    end_of_day = dt.datetime.combine(due_day, dt.time(23, 59, 59), tzinfo=local.tzinfo)
    return end_of_day


def veilig_thuis_of(region_id: int) -> Organisation:
    vt = Organisation.objects.filter(
        region_id=region_id, type=OrganisationType.VEILIG_THUIS, is_active=True
    ).first()
    if vt is None:
        raise ValidationError(_("This region has no active Veilig Thuis organisation."))
    return vt


def classify(
    persons: Sequence[Person],
    *,
    organisation: Organisation,
    excluding: Contact | None = None,
    excluding_dossier: Dossier | None = None,
) -> tuple[str, Dossier | None]:
    """CBS 85361NED: how Veilig Thuis was involved with the persons of a new report.

    An open dossier of this Veilig Thuis with any of them makes it a follow-up report
    (during the assessment, after it, or during monitoring) that joins that dossier;
    otherwise any earlier contact about any of them makes it a repeat report; else first.
    ``excluding``: the advice request a report comes from is the same contact, not an
    earlier one. ``excluding_dossier``: a report classified again (after a radar decision)
    leaves out the dossier it opened itself.
    """
    ids = [p.pk for p in persons]
    open_dossiers = Dossier.objects.filter(
        organisation=organisation, contacts__persons__person_id__in=ids
    ).exclude(state=DossierState.CLOSED)
    if excluding_dossier is not None:
        open_dossiers = open_dossiers.exclude(pk=excluding_dossier.pk)
    open_dossiers = open_dossiers.distinct().order_by("-opened_at")
    states: dict[str, Dossier] = {}
    for dossier in open_dossiers:  # newest first: the newest open dossier per state
        states.setdefault(dossier.state, dossier)
    for state, category in (
        (DossierState.MONITORING, EarlierInvolvement.DURING_MONITORING),
        *((s, EarlierInvolvement.AFTER_ASSESSMENT) for s in OPEN_STATES_AFTER_ASSESSMENT),
        (DossierState.ASSESSMENT, EarlierInvolvement.DURING_ASSESSMENT),
    ):
        if state in states:
            return category, states[state]
    earlier = ContactPerson.objects.filter(person_id__in=ids, contact__organisation=organisation)
    if excluding is not None:
        earlier = earlier.exclude(contact=excluding)
    if excluding_dossier is not None:
        earlier = earlier.exclude(contact__dossier=excluding_dossier)
    known = earlier.exists()
    return (EarlierInvolvement.REPEAT if known else EarlierInvolvement.FIRST), None


def _may_register(actor: Actor, channel: Channel) -> bool:
    """Police reports come from the police channel; web-form contacts from professionals
    using the meldcode assistant; every channel from Veilig Thuis's own staff."""
    if actor.is_system or actor.has_perm(VIEW_REPORTER_IDENTITY):
        return True
    if channel == Channel.POLICE:
        return actor.has_perm("reports.submit_police_reports")
    return channel == Channel.WEB_FORM and actor.has_perm("reports.use_meldcode")


def _person_for(actor: Actor, reported: ReportedPerson) -> tuple[Person, bool]:
    """The known person this reported person is (a certain match), or a new person."""
    person, is_new, _matches = _person_and_matches(actor, reported)
    return person, is_new


def _person_and_matches(actor: Actor, reported: ReportedPerson) -> tuple[Person, bool, list[Match]]:
    """``_person_for`` with the radar's matches (each becomes a proposal the professional
    reviews)."""
    matches = radar_decisions.matches_for(reported)
    known = radar_decisions.linked_person(matches)
    if known is not None:
        return known, False, matches
    person = Person(
        given_names=reported.given_names,
        initials=reported.initials,
        surname_prefix=reported.surname_prefix,
        surname=reported.surname,
        birth_year=reported.birth_year,
        birth_month=reported.birth_month,
        birth_day=reported.birth_day,
        sex=reported.sex or "o",
        bsn=normalise_bsn(reported.bsn) or None,
        no_bsn_reason="" if reported.bsn else "onbekend",
    )
    # Field and clean() validation here; uniqueness and check constraints are the database's
    # (Django would run one query per constraint; a race on a BSN is retried by the intake).
    person.full_clean(validate_unique=False, validate_constraints=False)
    person.save()
    if reported.postcode and reported.house_number:
        address = Address(
            person=person,
            street=reported.street or "-",
            house_number=reported.house_number,
            house_letter=reported.house_letter,
            house_number_addition=reported.house_number_addition,
            postcode=normalise_postcode(reported.postcode),
            city=reported.city or "-",
        )
        # the person was saved a line above: no query to check that it exists
        address.full_clean(exclude=["person"], validate_unique=False, validate_constraints=False)
        address.save()
    return person, True, matches


def _household_of_new_persons(
    together: Sequence[tuple[Person, PersonRole]],
) -> tuple[Household, list[int]]:
    """New persons a report places at one address form a household: the children as children,
    the adults as parents when there are children, else as partners (victim and perpetrator)
    or other members. Known persons keep their own households: linking a report to a known
    household is the radar's household matching."""
    has_children = any(role == PersonRole.CHILD for _, role in together)
    adult_role = HouseholdRole.PARENT if has_children else HouseholdRole.PARTNER
    roles = {
        PersonRole.CHILD: HouseholdRole.CHILD,
        PersonRole.VICTIM: adult_role,
        PersonRole.PERPETRATOR: adult_role,
        PersonRole.OTHER: HouseholdRole.OTHER,
    }
    named = next((p for p, role in together if role != PersonRole.CHILD), together[0][0])
    household = Household.objects.create(label=f"Huishouden {named.surname}".strip())
    HouseholdMembership.objects.bulk_create(
        HouseholdMembership(household=household, person=person, role=roles[PersonRole(role)])
        for person, role in together
    )
    return household, [p.pk for p, _ in together]


def _household_role(role: PersonRole | str, together: Sequence[tuple[Person, Any]]) -> str:
    if role == PersonRole.CHILD:
        return HouseholdRole.CHILD
    if role == PersonRole.OTHER:
        return HouseholdRole.OTHER
    has_children = any(r == PersonRole.CHILD for _, r in together)
    return HouseholdRole.PARENT if has_children else HouseholdRole.PARTNER


def _known_household(
    known: Sequence[Person],
    items: Sequence[radar_decisions.Reported],
    new_at_address: dict[tuple[str, int, str], list[tuple[Person, PersonRole]]],
) -> tuple[Household | None, list[tuple[Person, PersonRole]], bool]:
    """Household matching (the Verwijsindex "gezinsmatch"): a report's new children, with
    the new adults reported at a new child's address, belong to the current household of
    the report's known persons (automatic, like a zeker link) or, failing that, of the
    mogelijk candidates of the report's persons (a proposal). Returns the household, the
    new persons who join it and whether that happens at once."""
    new = [(i.person, PersonRole(i.role)) for i in items if i.is_new]
    children = {p.pk for p, r in new if r == PersonRole.CHILD}
    if not children:
        return None, [], False
    with_child = {
        p.pk
        for together in new_at_address.values()
        if any(q.pk in children for q, _ in together)
        for p, _ in together
    }
    joiners = [(p, r) for p, r in new if p.pk in children or p.pk in with_child]
    home = radar_decisions.current_household(known) if known else None
    if home is not None:
        return home, joiners, True
    candidates = [m.person for i in items for m in i.matches if m.band == "mogelijk"]
    home = radar_decisions.current_household(candidates) if candidates else None
    if home is None:
        return None, [], False
    members = set(home.memberships.values_list("person_id", flat=True))
    # a new person who may be one of the household's members gets a person proposal instead
    maybe_member = {
        i.person.pk for i in items for m in i.matches if i.is_new and m.person.pk in members
    }
    return home, [(p, r) for p, r in joiners if p.pk not in maybe_member], False


@dataclass(frozen=True)
class ReporterData:
    name: str
    organisation_name: str = ""
    function: str = ""
    phone: str = ""
    email: str = ""


@transaction.atomic
@audit.batched()
def contact_register(
    *,
    actor: Actor,
    kind: ContactKind,
    channel: Channel,
    reporter_category: ReporterCategory,
    received_at: dt.datetime,
    persons: Sequence[tuple[ReportedPerson, PersonRole]],
    known_persons: Sequence[tuple[Person, PersonRole]] = (),
    violence_types: Sequence[ViolenceType] = (),
    human_trafficking: bool = False,
    acute_indication: bool = False,
    structural_indication: bool = False,
    description: str = "",
    reporter: ReporterData | None = None,
    converted_from: Contact | None = None,
    external_source: str = "",
    external_id: str = "",
    body_hash: str = "",
) -> Contact:
    """Register an advice request or a report at the Veilig Thuis of the actor's region.

    A report needs an identifiable reporter; its persons are matched against everything
    earlier (radar), it is classified as CBS does, and it opens a dossier (or joins the
    open one) with the deadline of the safety assessment. The persons become visible to
    Veilig Thuis through a dossier involvement.

    ``known_persons`` are persons Veilig Thuis already knows (those of an advice request
    that becomes a report): they are linked as they are, without matching. A report made
    from an advice request names it in ``converted_from`` (see ``advice_convert``).
    """
    if actor.region is None or not _may_register(actor, channel):
        raise PermissionDenied("may not register contacts on this channel")
    own = actor.organisation
    # Veilig Thuis staff register at their own organisation; others reach their region's
    vt = (
        own
        if own is not None and own.type == OrganisationType.VEILIG_THUIS
        else veilig_thuis_of(actor.region.pk)
    )
    if received_at > clock.now() + RECEIPT_CLOCK_SKEW:
        raise ValidationError(_("The moment of receipt lies in the future."))
    if received_at < EARLIEST_RECEIPT:
        raise ValidationError(_("The moment of receipt lies before 1990."))
    received_on = timezone.localdate(received_at)
    if any(_born_after(person, received_on) for person, _role in persons):
        raise ValidationError(_("A date of birth lies after the moment of receipt."))
    if converted_from is not None:
        _check_convertible(converted_from, kind=kind, organisation=vt)
    unknown_types = {str(t) for t in violence_types} - set(ViolenceType.values)
    if unknown_types:
        raise ValidationError(_("Unknown type of violence: %(t)s") % {"t": sorted(unknown_types)})
    if kind == ContactKind.REPORT:
        if reporter is None or not reporter.name.strip() or not (reporter.phone or reporter.email):
            raise ValidationError(
                _("A report needs an identifiable reporter with contact details.")
            )
        if not persons and not known_persons:
            raise ValidationError(_("A report needs at least one person concerned."))

    linked: list[tuple[Person, PersonRole]] = []
    for person, role in known_persons:
        if all(p.pk != person.pk for p, _ in linked):
            linked.append((person, role))
    created: list[int] = []
    new_at_address: dict[tuple[str, int, str], list[tuple[Person, PersonRole]]] = {}
    radar_items: list[radar_decisions.Reported] = []
    for reported, role in persons:
        person, is_new, matches = _person_and_matches(actor, reported)
        radar_items.append(radar_decisions.Reported(reported, str(role), person, is_new, matches))
        if is_new:
            created.append(person.pk)
            if reported.postcode and reported.house_number:
                home = (
                    normalise_postcode(reported.postcode),
                    reported.house_number,
                    reported.house_letter.upper(),
                )
                new_at_address.setdefault(home, []).append((person, role))
        if all(p.pk != person.pk for p, _ in linked):
            linked.append((person, role))
    known_home, joiners, automatic = _known_household(
        [p for p, _ in linked if p.pk not in created], radar_items, new_at_address
    )
    joining = {p.pk for p, _ in joiners} if automatic else set()
    households = [
        _household_of_new_persons(rest)
        for together in new_at_address.values()
        if len(rest := [(p, r) for p, r in together if p.pk not in joining]) > 1
    ]

    contact = Contact(
        kind=kind,
        organisation=vt,
        channel=channel,
        reporter_category=reporter_category,
        received_at=received_at,
        violence_types=sorted(set(violence_types)),
        human_trafficking=human_trafficking,
        acute_indication=acute_indication,
        structural_indication=structural_indication,
        description=description,
        external_source=external_source,
        external_id=external_id,
        body_hash=body_hash,
        converted_from=converted_from,
        created_by=actor.user,
    )
    if kind == ContactKind.REPORT:
        category, dossier = classify(
            [p for p, _ in linked], organisation=vt, excluding=converted_from
        )
        if dossier is None:
            dossier = Dossier.objects.create(
                organisation=vt,
                opened_at=received_at,
                acute=acute_indication,
                assessment_due=assessment_deadline(received_at, acute=acute_indication),
            )
        elif acute_indication and not dossier.acute and dossier.state == DossierState.ASSESSMENT:
            dossier.acute = True
            dossier.assessment_due = min(
                dossier.assessment_due, assessment_deadline(received_at, acute=True)
            )
            dossier.save(update_fields=["acute", "assessment_due", "updated_at"])
        contact.earlier_involvement = category
        contact.dossier = dossier
    contact.save()
    if contact.dossier is not None:
        # Wmo 2015 art. 5.3.1: those concerned are informed within 4 weeks of recording.
        DossierTask.objects.create(
            dossier=contact.dossier,
            contact=contact,
            kind=TaskKind.INFORM_PERSONS,
            due_at=received_at + INFORM_WITHIN,
        )
    ContactPerson.objects.bulk_create(
        ContactPerson(contact=contact, person=p, role=role) for p, role in linked
    )
    if reporter is not None:
        Reporter.objects.create(
            contact=contact,
            name=reporter.name,
            organisation_name=reporter.organisation_name,
            function=reporter.function,
            phone=reporter.phone,
            email=reporter.email,
            # the professional's own account only when they reported through the assistant,
            # never Veilig Thuis's intake typing in a web form
            user=actor.user
            if channel == Channel.WEB_FORM and actor.has_perm(USE_MELDCODE)
            else None,
        )
    visible = set(
        Involvement.objects.active()
        .filter(person__in=[p for p, _ in linked], organisation=vt, user=None)
        .values_list("person_id", flat=True)
    )
    newly_visible = [p for p, _ in linked if p.pk not in visible]
    if newly_visible:
        access_services.involvements_start(
            actor=actor,
            persons=newly_visible,
            organisation=vt,
            kind=InvolvementKind.VT_DOSSIER,
            purpose=_("Veilig Thuis: %(kind)s") % {"kind": contact.get_kind_display()},
            source_type=CONTACT,
            source_id=contact.uuid.hex,
        )
    if radar_items:
        radar_decisions.proposals_record(
            actor=actor,
            organisation=vt,
            source_type=CONTACT,
            source_id=contact.uuid.hex,
            items=radar_items,
        )
    if known_home is not None and joiners:
        radar_decisions.household_link(
            actor=actor,
            organisation=vt,
            source_type=CONTACT,
            source_id=contact.uuid.hex,
            household=known_home,
            members=[(p, _household_role(r, joiners)) for p, r in joiners],
            automatic=automatic,
            probability=1.0 if automatic else 0.5,
            through=[p for p, _ in linked if p.pk not in created]
            if automatic
            else [m.person for i in radar_items for m in i.matches if m.band == "mogelijk"],
        )
    for household, members in households:
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="persons.household",
            object_id=household.uuid.hex,
            person_ids=members,
            detail={"source": CONTACT, "contact": contact.uuid.hex},
        )
    if created:
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="persons.person",
            person_ids=created,
            detail={"source": CONTACT, "contact": contact.uuid.hex},
        )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type=CONTACT,
        object_id=contact.uuid.hex,
        person_ids=[p.pk for p, _ in linked] or [None],
        detail={
            "kind": str(kind),
            "channel": str(channel),
            "earlier": contact.earlier_involvement,
            **({"converted_from": converted_from.uuid.hex} if converted_from else {}),
        },
    )
    return contact


def _check_convertible(advice: Contact, *, kind: ContactKind, organisation: Organisation) -> None:
    """Only an advice request becomes a report, only once, and only at its own Veilig Thuis."""
    if kind != ContactKind.REPORT or advice.kind != ContactKind.ADVICE:
        raise ValidationError(_("Only an advice request can become a report."))
    if advice.organisation_id != organisation.pk:
        raise PermissionDenied("the advice request belongs to another Veilig Thuis")
    if Contact.objects.filter(converted_from=advice).exists():
        raise ValidationError(_("This advice request has already become a report."))


@transaction.atomic
def advice_convert(
    *,
    actor: Actor,
    advice: Contact,
    reporter: ReporterData,
    violence_types: Sequence[ViolenceType] = (),
    human_trafficking: bool = False,
    acute_indication: bool = False,
    structural_indication: bool = False,
    description: str = "",
    persons: Sequence[tuple[ReportedPerson, PersonRole]] = (),
) -> Contact:
    """An advice request becomes a report: responsibility moves to Veilig Thuis.

    The report is registered now, on the advice request's channel and with its reporter
    category, about the advice request's persons (linked as known, not matched again) and
    any ``persons`` named only now; the reporter must be identifiable. It is classified and
    opens or joins a dossier like any report; the advice request itself does not count as
    earlier involvement. Only an advice request of the actor's own Veilig Thuis, and only
    once."""
    if (
        not actor.has_perm(VIEW_REPORTER_IDENTITY)
        or actor.organisation is None
        or actor.organisation.pk != advice.organisation_id
    ):
        raise PermissionDenied(VIEW_REPORTER_IDENTITY)
    advice = Contact.objects.select_for_update().get(pk=advice.pk)
    known = [
        (cp.person, PersonRole(cp.role))
        for cp in advice.persons.select_related("person").order_by("pk")
    ]
    report = contact_register(
        actor=actor,
        kind=ContactKind.REPORT,
        channel=Channel(advice.channel),
        reporter_category=ReporterCategory(advice.reporter_category),
        received_at=clock.now(),
        persons=persons,
        known_persons=known,
        violence_types=violence_types,
        human_trafficking=human_trafficking,
        acute_indication=acute_indication,
        structural_indication=structural_indication,
        description=description,
        reporter=reporter,
        converted_from=advice,
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type=CONTACT,
        object_id=advice.uuid.hex,
        person_ids=[p.pk for p, _ in known] or [None],
        detail={"converted_to": report.uuid.hex},
    )
    return report


class ConflictingResubmission(Exception):
    """The same external report id was submitted before with a different body."""


@dataclass(frozen=True)
class IntakeResult:
    contact: Contact
    created: bool


def external_report_intake(
    *, actor: Actor, source: str, external_id: str, body_hash: str, **fields: Any
) -> IntakeResult:
    """Idempotent intake of one report from a bulk channel: the first submission of an id
    creates the contact; the same id with the same body returns it; with another body it is
    refused. Safe under concurrent resubmission (unique constraint + retry)."""
    for attempt in range(INTAKE_ATTEMPTS):
        if attempt:
            time.sleep(random.uniform(0.005, 0.02) * attempt)  # noqa: S311 - back-off jitter
        try:
            existing = Contact.objects.filter(
                external_source=source, external_id=external_id
            ).first()
            if existing is not None:
                if existing.body_hash != body_hash:
                    raise ConflictingResubmission(external_id)
                return IntakeResult(existing, created=False)
            contact = contact_register(
                actor=actor,
                external_source=source,
                external_id=external_id,
                body_hash=body_hash,
                **fields,
            )
        except (IntegrityError, OperationalError):
            # A concurrent submission of the same report (or of a report about the same
            # new person) won the race: read its result and try again.
            continue
        return IntakeResult(contact, created=True)
    raise IntegrityError(f"report {external_id} could not be stored")


# CBS 'hoedanigheid melder' of a professional, by the type of their organisation.
REPORTER_CATEGORY_BY_ORGANISATION = {
    OrganisationType.HEALTH_CARE: ReporterCategory.HEALTH_CARE,
    OrganisationType.MENTAL_HEALTH: ReporterCategory.HEALTH_CARE,
    OrganisationType.PUBLIC_HEALTH: ReporterCategory.HEALTH_CARE,
    OrganisationType.EDUCATION: ReporterCategory.EDUCATION,
    OrganisationType.YOUTH_PROTECTION: ReporterCategory.YOUTH_CARE,
    OrganisationType.CHILD_PROTECTION_BOARD: ReporterCategory.YOUTH_CARE,
    OrganisationType.POLICE: ReporterCategory.JUSTICE_SECURITY,
    OrganisationType.PUBLIC_PROSECUTOR: ReporterCategory.JUSTICE_SECURITY,
    OrganisationType.PROBATION: ReporterCategory.JUSTICE_SECURITY,
    OrganisationType.VEILIG_THUIS: ReporterCategory.VT_OTHER_REGION,
}


@transaction.atomic
def meldcode_record_create(
    *, actor: Actor, persons: Sequence[dict[str, Any]], **fields: Any
) -> MeldcodeRecord:
    """Save a professional's documented meldcode decision."""
    if not actor.has_perm(USE_MELDCODE) or actor.user is None or actor.organisation is None:
        raise PermissionDenied(USE_MELDCODE)
    record = MeldcodeRecord(
        professional=actor.user, organisation=actor.organisation, persons=list(persons), **fields
    )
    record.full_clean()
    record.save()
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="reports.meldcoderecord",
        object_id=record.uuid.hex,
        detail={"conclusion": record.conclusion, "persons": len(record.persons)},
    )
    return record


def _reported(person: dict[str, Any]) -> ReportedPerson:
    born = person.get("date_of_birth")
    day = dt.date.fromisoformat(born) if born else None
    return ReportedPerson(
        bsn=person.get("bsn", ""),
        given_names=person.get("given_names", ""),
        surname_prefix=person.get("surname_prefix", ""),
        surname=person.get("surname", ""),
        birth_year=day.year if day else None,
        birth_month=day.month if day else None,
        birth_day=day.day if day else None,
        postcode=person.get("postcode", ""),
        house_number=person.get("house_number"),
    )


@transaction.atomic
def meldcode_submit(
    *,
    actor: Actor,
    record: MeldcodeRecord,
    kind: ContactKind,
    violence_types: Sequence[ViolenceType],
    phone: str,
    human_trafficking: bool = False,
    description: str = "",
) -> Contact:
    """From the assistant straight into an advice request or a report at Veilig Thuis,
    with what was already entered. The professional is the identifiable reporter."""
    if record.professional_id != getattr(actor.user, "pk", None) or not actor.has_perm(
        USE_MELDCODE
    ):
        raise PermissionDenied("not your meldcode record")
    if record.contact_id is not None:
        raise ValidationError(_("This meldcode record was already sent to Veilig Thuis."))
    assert actor.user is not None and actor.organisation is not None
    persons = [(_reported(p), PersonRole(p["role"])) for p in record.persons]
    contact = contact_register(
        actor=actor,
        kind=kind,
        channel=Channel.WEB_FORM,
        reporter_category=REPORTER_CATEGORY_BY_ORGANISATION.get(
            OrganisationType(actor.organisation.type), ReporterCategory.OTHER
        ),
        received_at=clock.now(),
        persons=persons,
        violence_types=violence_types,
        human_trafficking=human_trafficking,
        acute_indication=record.acute_unsafety,
        structural_indication=record.structural_unsafety,
        description="\n\n".join(part for part in (record.signals, description) if part),
        reporter=ReporterData(
            name=actor.user.get_full_name() or actor.user.username,
            organisation_name=actor.organisation.name,
            phone=phone,
            email=actor.user.email,
        ),
    )
    record.contact = contact
    record.save(update_fields=["contact"])
    return contact


ASSESS = "reports.assess_safety"
INVESTIGATION_WEEKS = 10  # LNVT norm: 80% of investigations within 10 weeks


class InvalidTransition(ValidationError):
    pass


def _require_dossier_access(actor: Actor, dossier: Dossier) -> None:
    if (
        not actor.has_perm(ASSESS)
        or actor.organisation is None
        or actor.organisation.pk != dossier.organisation_id
    ):
        raise PermissionDenied(ASSESS)


def _transition(*, actor: Actor, dossier: Dossier, to: DossierState, now: dt.datetime) -> None:
    """Move a dossier along the state machine of reports.constants.TRANSITIONS, or refuse."""
    if to not in TRANSITIONS[dossier.state]:
        raise InvalidTransition(
            _("A dossier in the state '%(from)s' cannot move to '%(to)s'.")
            % {"from": DossierState(dossier.state).label, "to": DossierState(to).label}
        )
    before = dossier.state
    dossier.state = to
    if to == DossierState.CLOSED:
        dossier.closed_at = now
    dossier.save(update_fields=["state", "closed_at", "updated_at"])
    if to == DossierState.MONITORING:
        _plan_monitoring(dossier, now)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="reports.dossier",
        object_id=dossier.uuid.hex,
        person_ids=_dossier_person_ids(dossier),
        detail={"from": before, "to": str(to)},
    )


def _plan_monitoring(dossier: Dossier, start: dt.datetime) -> None:
    """The region's monitoring moments (by default 3, 12 and 18 months)."""
    months = dossier.organisation.region.monitoring_months or [3, 12, 18]
    MonitoringMoment.objects.bulk_create(
        MonitoringMoment(dossier=dossier, months=m, due_at=_add_months(start, m)) for m in months
    )


def _add_months(moment: dt.datetime, months: int) -> dt.datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def _feedback_tasks(dossier: Dossier, kind: TaskKind, now: dt.datetime) -> None:
    """Feedback to every reporter of the dossier's reports (Wmo 2015 art. 4.1.1 lid 2 sub g)."""
    due_day = add_working_days(
        timezone.localtime(now).date(), settings.KETENRADAR_FEEDBACK_WORKING_DAYS
    )
    due = dt.datetime.combine(due_day, dt.time(23, 59, 59), tzinfo=timezone.localtime(now).tzinfo)
    DossierTask.objects.bulk_create(
        DossierTask(dossier=dossier, contact=contact, kind=kind, due_at=due)
        for contact in dossier.contacts.filter(kind=ContactKind.REPORT)
    )


def _dossier_person_ids(dossier: Dossier) -> list[int | None]:
    ids = sorted(
        set(
            ContactPerson.objects.filter(contact__dossier=dossier).values_list(
                "person_id", flat=True
            )
        )
    )
    return list(ids) or [None]


@transaction.atomic
def assessment_decide(
    *,
    actor: Actor,
    dossier: Dossier,
    acute_unsafety: bool,
    acute_rationale: str,
    structural_unsafety: bool,
    structural_rationale: str,
    multi_problem: bool,
    multi_problem_rationale: str,
    decision: AssessmentDecision,
    handover_to: Organisation | None = None,
    safety_conditions: str = "",
) -> SafetyAssessment:
    """Record the safety assessment (each screening with its rationale) and move the dossier
    to the state its decision leads to."""
    _require_dossier_access(actor, dossier)
    assert actor.user is not None
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.state != DossierState.ASSESSMENT:
        raise InvalidTransition(_("This dossier's safety assessment has already been decided."))
    for rationale in (acute_rationale, structural_rationale, multi_problem_rationale):
        if not rationale.strip():
            raise ValidationError(_("Every screening needs its rationale."))
    if decision == AssessmentDecision.HANDOVER and handover_to is None:
        raise ValidationError(_("A handover needs the organisation it goes to."))
    if decision == AssessmentDecision.CONDITIONS and not safety_conditions.strip():
        raise ValidationError(_("Voorwaarden & Vervolg needs the safety conditions."))
    now = clock.now()
    assessment = SafetyAssessment.objects.create(
        dossier=dossier,
        acute_unsafety=acute_unsafety,
        acute_rationale=acute_rationale,
        structural_unsafety=structural_unsafety,
        structural_rationale=structural_rationale,
        multi_problem=multi_problem,
        multi_problem_rationale=multi_problem_rationale,
        decision=decision,
        handover_to=handover_to,
        safety_conditions=safety_conditions,
        decided_at=now,
        decided_by=actor.user,
    )
    if decision == AssessmentDecision.INVESTIGATION:
        Investigation.objects.create(
            dossier=dossier, started_at=now, due_at=now + dt.timedelta(weeks=INVESTIGATION_WEEKS)
        )
    _feedback_tasks(dossier, TaskKind.FEEDBACK_AFTER_ASSESSMENT, now)
    _transition(actor=actor, dossier=dossier, to=DECISION_STATE[decision], now=now)
    return assessment


@transaction.atomic
def investigation_complete(
    *,
    actor: Actor,
    dossier: Dossier,
    outcomes: dict[str, InvestigationOutcome],
    closed_early: bool,
    next_state: DossierState,
) -> Investigation:
    """Close the investigation with an outcome per type of violence (or closed early).

    Unless it was closed early, every type of violence of the dossier's contacts needs its
    outcome (CBS 84853NED); a dossier whose contacts name none needs at least one."""
    _require_dossier_access(actor, dossier)
    investigation = Investigation.objects.select_for_update().filter(dossier=dossier).first()
    if investigation is None:
        raise InvalidTransition(_("This dossier has no investigation."))
    if investigation.completed_at is not None:
        raise InvalidTransition(_("This investigation has already been completed."))
    if not closed_early and not outcomes:
        raise ValidationError(
            _("Give an outcome per type of violence, or close the investigation early.")
        )
    unknown = set(outcomes) - set(ViolenceType.values)
    if unknown:
        raise ValidationError(_("Unknown type of violence: %(t)s") % {"t": sorted(unknown)})
    missing = [t for t in dossier_violence_types(dossier) if t not in outcomes]
    if missing and not closed_early:
        raise ValidationError(
            _("Give an outcome for every type of violence of the dossier: %(types)s is missing.")
            % {"types": ", ".join(str(ViolenceType(t).label) for t in missing)}
        )
    now = clock.now()
    investigation.completed_at = now
    investigation.closed_early = closed_early
    investigation.outcomes = {k: str(InvestigationOutcome(v)) for k, v in outcomes.items()}
    investigation.save(update_fields=["completed_at", "closed_early", "outcomes", "updated_at"])
    _feedback_tasks(dossier, TaskKind.FEEDBACK_AFTER_INVESTIGATION, now)
    _transition(actor=actor, dossier=dossier, to=next_state, now=now)
    return investigation


def dossier_violence_types(dossier: Dossier) -> list[str]:
    """The types of violence of the dossier's contacts, in the order of ViolenceType."""
    named = {
        t
        for types in dossier.contacts.values_list("violence_types", flat=True)
        for t in types or ()
    }
    return [t for t in ViolenceType.values if t in named]


# After the investigation the dossier goes on to one of these (TRANSITIONS).
AFTER_INVESTIGATION = [s for s in DossierState if s in TRANSITIONS[DossierState.INVESTIGATION]]


def dossier_moves(dossier: Dossier) -> list[DossierState]:
    """The steps to offer ``dossier_move`` for, in the order of DossierState: those
    TRANSITIONS allows from the dossier's state, except during the safety assessment (its
    decision moves the dossier) and the investigation (its completion does, closing
    included, so that its outcome is recorded)."""
    if dossier.state in (DossierState.ASSESSMENT, DossierState.INVESTIGATION):
        return []
    return [s for s in DossierState if s in TRANSITIONS[dossier.state]]


@transaction.atomic
def dossier_move(*, actor: Actor, dossier: Dossier, to: DossierState) -> Dossier:
    """A step of the state machine that needs no further record (e.g. to monitoring, or closing)."""
    _require_dossier_access(actor, dossier)
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.state == DossierState.ASSESSMENT:
        raise InvalidTransition(_("Decide the safety assessment first."))
    if dossier.state == DossierState.INVESTIGATION:
        # closing included: the investigation's outcome (or its early close) is a CBS figure
        raise InvalidTransition(_("Complete the investigation first."))
    _transition(actor=actor, dossier=dossier, to=to, now=clock.now())
    return dossier


ASSIGN = "reports.assign_vt_work"


@transaction.atomic
def dossier_assign(*, actor: Actor, dossier: Dossier, assignee: User | None) -> Dossier:
    """The team lead assigns a dossier of their own Veilig Thuis to a member of its staff who
    decides safety assessments (``selectors.assignable_staff``: active, a current membership
    there, ``reports.assess_safety``), or takes the assignment back (``assignee=None``).
    A closed dossier is not assigned. Audited with from and to."""
    staff = selectors.assignable_staff(actor=actor, dossier=dossier)  # refuses non-team-leads
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.state == DossierState.CLOSED:
        raise ValidationError(_("A closed dossier is not assigned."))
    if assignee is not None and not staff.filter(pk=assignee.pk).exists():
        raise ValidationError(
            _(
                "Only active staff of this Veilig Thuis who decide safety assessments can be "
                "assigned a dossier."
            )
        )
    before = dossier.assigned_to
    if before == assignee:
        return dossier
    dossier.assigned_to = assignee
    dossier.save(update_fields=["assigned_to", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="reports.dossier",
        object_id=dossier.uuid.hex,
        person_ids=_dossier_person_ids(dossier),
        detail={
            "assigned_from": before.username if before else None,
            "assigned_to": assignee.username if assignee else None,
        },
    )
    return dossier


INFORM_WITHIN = dt.timedelta(weeks=4)  # Wmo 2015 art. 5.3.1
INFORM_EXTENSION = dt.timedelta(weeks=2)  # at most 2 weeks at a time
VIEW_VT_WORK = "reports.view_vt_work"


def _require_vt_staff(actor: Actor, dossier: Dossier) -> None:
    if (
        not actor.has_perm(VIEW_VT_WORK)
        or actor.organisation is None
        or actor.organisation.pk != dossier.organisation_id
    ):
        raise PermissionDenied(VIEW_VT_WORK)


@transaction.atomic
def task_complete(*, actor: Actor, task: DossierTask, content: str) -> DossierTask:
    """Record that the feedback was given, or those concerned were informed: date and content."""
    _require_vt_staff(actor, task.dossier)
    if task.done_at is not None:
        raise ValidationError(_("This task is already done."))
    if not content.strip():
        raise ValidationError(_("Record what was said."))
    task.done_at = clock.now()
    task.content = content.strip()
    task.save(update_fields=["done_at", "content"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="reports.dossiertask",
        object_id=task.pk,
        person_ids=_dossier_person_ids(task.dossier),
        detail={"kind": task.kind, "done": True},
    )
    return task


@transaction.atomic
def informing_extend(*, actor: Actor, task: DossierTask, reason: str) -> DossierTask:
    """Postpone informing those concerned by 2 weeks, with the reason (art. 5.3.1)."""
    _require_vt_staff(actor, task.dossier)
    if task.kind != TaskKind.INFORM_PERSONS or task.done_at is not None:
        raise ValidationError(_("Only an open informing task can be extended."))
    if not reason.strip():
        raise ValidationError(_("An extension needs a reason."))
    task.due_at = task.due_at + INFORM_EXTENSION
    task.extensions = [
        *task.extensions,
        {"at": clock.now().isoformat(), "reason": reason.strip()},
    ]
    task.save(update_fields=["due_at", "extensions"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="reports.dossiertask",
        object_id=task.pk,
        person_ids=_dossier_person_ids(task.dossier),
        detail={"kind": task.kind, "extended_to": task.due_at.isoformat()},
    )
    return task


@transaction.atomic
def monitoring_record(
    *,
    actor: Actor,
    moment: MonitoringMoment,
    outcome: MonitoringOutcome,
    note: str,
    action: str = "",
) -> MonitoringMoment:
    """The outcome of a monitoring moment; 'unsafe' needs the new action."""
    _require_vt_staff(actor, moment.dossier)
    if moment.done_at is not None:
        raise ValidationError(_("This monitoring moment is already recorded."))
    if outcome == MonitoringOutcome.UNSAFE and not action.strip():
        raise ValidationError(_("An unsafe outcome needs the new action."))
    moment.done_at = clock.now()
    moment.outcome = outcome
    moment.note = note.strip()
    moment.action = action.strip()
    moment.save(update_fields=["done_at", "outcome", "note", "action", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="reports.monitoringmoment",
        object_id=moment.pk,
        person_ids=_dossier_person_ids(moment.dossier),
        detail={"outcome": str(outcome), "months": moment.months},
    )
    return moment


# --- the radar's proposals: confirm, reject, undo (docs/radar-decisions.md) --------------
def _proposal_contact(proposal: MatchProposal) -> Contact:
    contact = Contact.objects.select_related("dossier").filter(uuid=proposal.source_id).first()
    if contact is None or proposal.source_type != CONTACT:
        raise ValidationError(_("This match does not belong to a contact."))
    return contact


def _reclassify(actor: Actor, contact: Contact) -> None:
    """After a decision changed who a report is about: while its dossier is still in the
    safety assessment, a report that opened its own dossier is classified again (the
    persons' other contacts and open dossiers at this Veilig Thuis, its own dossier left
    out); a report that joined an earlier dossier through a link now rejected, and shares
    no person with that dossier's other contacts any more, gets a dossier of its own.
    After the assessment the category stands (the CBS figure was reported)."""
    dossier = contact.dossier
    if contact.kind != ContactKind.REPORT or dossier is None:
        return
    if dossier.state != DossierState.ASSESSMENT:
        return
    persons = [cp.person for cp in contact.persons.select_related("person")]
    others = dossier.contacts.exclude(pk=contact.pk)
    if (
        others.exists()
        and not ContactPerson.objects.filter(contact__in=others, person__in=persons).exists()
    ):
        dossier = Dossier.objects.create(
            organisation=dossier.organisation,
            opened_at=contact.received_at,
            acute=contact.acute_indication,
            assessment_due=assessment_deadline(contact.received_at, acute=contact.acute_indication),
        )
        contact.dossier = dossier
        contact.save(update_fields=["dossier"])
        DossierTask.objects.filter(contact=contact).update(dossier=dossier)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="reports.dossier",
            object_id=dossier.uuid.hex,
            person_ids=[p.pk for p in persons] or [None],
            detail={"split_from_contact": contact.uuid.hex},
        )
    elif others.exists():
        return  # it joined an earlier dossier of these persons: a follow-up report still
    before = contact.earlier_involvement
    category, _open = classify(
        persons, organisation=contact.organisation, excluding=contact, excluding_dossier=dossier
    )
    if category != before:
        contact.earlier_involvement = category
        contact.save(update_fields=["earlier_involvement"])
        audit.record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type=CONTACT,
            object_id=contact.uuid.hex,
            person_ids=[p.pk for p in persons] or [None],
            detail={"earlier": category, "was": before},
        )


def match_confirm(*, actor: Actor, proposal: MatchProposal) -> MatchProposal:
    """The professional confirms a proposed match: the new person is merged into the known
    one (history kept, undoable), or a household link made; then the report is classified
    again. Audited in this transaction."""
    radar_policy.require_decider(actor, proposal)  # a refusal is logged outside the transaction
    with transaction.atomic():
        proposal = radar_decisions.lock(proposal)
        contact = _proposal_contact(proposal)
        radar_decisions.confirm(actor=actor, proposal=proposal)
        _reclassify(actor, contact)
    return proposal


def match_reject(*, actor: Actor, proposal: MatchProposal, reason: str) -> MatchProposal:
    """The professional rejects a match, with the reason: the pair is never proposed again.
    A zeker link made at intake is split: the contact's person becomes a new person made
    from the reported data (the known person's history untouched), visible to this Veilig
    Thuis through the contact's involvement."""
    radar_policy.require_decider(actor, proposal)  # a refusal is logged outside the transaction
    with transaction.atomic():
        proposal = radar_decisions.lock(proposal)
        contact = _proposal_contact(proposal)
        known = proposal.candidate_id
        split = radar_decisions.reject(actor=actor, proposal=proposal, reason=reason)
        if split is not None and known is not None:
            ContactPerson.objects.filter(contact=contact, person_id=known).update(person=split)
            moved = Involvement.objects.filter(
                person_id=known, source_type=CONTACT, source_id=contact.uuid.hex
            ).update(person=split)
            if not moved:
                access_services.involvements_start(
                    actor=actor,
                    persons=[split],
                    organisation=contact.organisation,
                    kind=InvolvementKind.VT_DOSSIER,
                    purpose=_("Veilig Thuis: %(kind)s") % {"kind": contact.get_kind_display()},
                    source_type=CONTACT,
                    source_id=contact.uuid.hex,
                )
            audit.record(
                actor=actor,
                action=AuditAction.CREATE,
                object_type="persons.person",
                person_ids=[split.pk],
                detail={"source": CONTACT, "contact": contact.uuid.hex, "split_from": known},
            )
        _reclassify(actor, contact)
    return proposal


def match_undo(*, actor: Actor, proposal: MatchProposal) -> MatchProposal:
    """Undo a confirmed match: the merge reverted exactly (or the household link removed),
    the report classified again; the proposal can be decided anew."""
    radar_policy.require_decider(actor, proposal)  # a refusal is logged outside the transaction
    with transaction.atomic():
        proposal = radar_decisions.lock(proposal)
        contact = _proposal_contact(proposal)
        radar_decisions.undo(actor=actor, proposal=proposal)
        _reclassify(actor, contact)
    return proposal
