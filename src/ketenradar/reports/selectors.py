"""Reads of Veilig Thuis contacts and meldcode records, for the actor."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ketenradar.access import policy
from ketenradar.accounts.actor import Actor
from ketenradar.accounts.models import Membership, User
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.core import clock, timeline
from ketenradar.persons.models import HouseholdMembership, Person
from ketenradar.radar import policy as radar_policy
from ketenradar.radar.models import MatchProposal
from ketenradar.reports.constants import DossierState, TaskKind, ViolenceType
from ketenradar.reports.models import (
    Contact,
    ContactPerson,
    Dossier,
    DossierTask,
    MeldcodeRecord,
    MonitoringMoment,
    Reporter,
)

USE_MELDCODE = "reports.use_meldcode"


def meldcode_records(*, actor: Actor) -> QuerySet[MeldcodeRecord]:
    """A professional's own meldcode records; nobody else's."""
    if not actor.has_perm(USE_MELDCODE) or actor.user is None:
        return MeldcodeRecord.objects.none()
    return MeldcodeRecord.objects.filter(professional=actor.user).select_related("contact")


def meldcode_record(
    *, actor: Actor, record_uuid: uuid.UUID | str, action: AuditAction = AuditAction.READ
) -> MeldcodeRecord:
    """The professional's own record; anyone else's is refused, logged as ``action`` (the
    write attempted, or a read)."""
    record = MeldcodeRecord.objects.filter(uuid=record_uuid).select_related("contact").first()
    if record is None:
        raise Http404
    if (
        not actor.has_perm(USE_MELDCODE)
        or actor.user is None
        or record.professional_id != actor.user.pk
    ):
        audit.record_denied(
            actor=actor,
            action=action,
            object_type="reports.meldcoderecord",
            object_id=record.uuid.hex,
            reason="not the professional's own record",
        )
        raise PermissionDenied("not your meldcode record")
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditAction.READ,
            object_type="reports.meldcoderecord",
            object_id=record.uuid.hex,
        )
    return record


FEEDBACK_KINDS = (TaskKind.FEEDBACK_AFTER_ASSESSMENT, TaskKind.FEEDBACK_AFTER_INVESTIGATION)


def reporter_feedback(*, actor: Actor, record: MeldcodeRecord) -> list[DossierTask]:
    """The feedback Veilig Thuis gave on the professional's own report: when and what was
    said. Only for the record's own professional, and only about their own contact (or the
    report Veilig Thuis made of their advice request): nothing of the dossier's other
    reports or reporters."""
    if actor.user is None or record.professional_id != actor.user.pk or record.contact_id is None:
        return []
    own = Q(contact_id=record.contact_id) | Q(contact__converted_from_id=record.contact_id)
    return list(
        DossierTask.objects.filter(own, kind__in=FEEDBACK_KINDS, done_at__isnull=False).order_by(
            "done_at"
        )
    )


VIEW_VT_WORK = "reports.view_vt_work"
INVESTIGATION_WARNING = dt.timedelta(days=14)
TASK_WARNING = dt.timedelta(days=2)
MONITORING_WARNING = dt.timedelta(days=14)


ASSIGN_VT_WORK = "reports.assign_vt_work"
ASSESS = "reports.assess_safety"
# The states with a legal or normative deadline running: the assessment, the investigation.
RUNNING_DEADLINE = (DossierState.ASSESSMENT, DossierState.INVESTIGATION)


@dataclass
class WorkQueue:
    mine: list[Dossier]  # open dossiers assigned to the actor
    unassigned: list[Dossier] | None  # team lead: in assessment or investigation, nobody's
    acute: list[Dossier]
    overdue: list[Dossier]
    due_today: list[Dossier]
    in_assessment: list[Dossier]
    investigations_nearing_deadline: list[Dossier]
    new_contacts: list[Contact]
    tasks_due: list[DossierTask]  # feedback and informing: overdue or due within two days
    monitoring_due: list[MonitoringMoment]  # overdue or due within two weeks


# The persons of contacts, joined in the same statement: a separate prefetch of ``person``
# becomes one OR-term per person on SQLite, which refuses more than about a thousand
# ("Expression tree is too large"), so a queue of 470 dossiers answered 500.
_PERSONS_CONCERNED = ContactPerson.objects.select_related("person")


def _dossiers(actor: Actor) -> QuerySet[Dossier]:
    return (
        Dossier.objects.filter(organisation=actor.organisation)
        .select_related("assigned_to", "investigation")
        .prefetch_related(Prefetch("contacts__persons", queryset=_PERSONS_CONCERNED))
    )


def _deadline(dossier: Dossier) -> dt.datetime:
    """The deadline that counts now: the investigation's while it runs, else the assessment's."""
    investigation = getattr(dossier, "investigation", None)
    if dossier.state == DossierState.INVESTIGATION and investigation is not None:
        return investigation.due_at
    return dossier.assessment_due


def work_queue(*, actor: Actor, now: dt.datetime | None = None) -> WorkQueue:
    """Veilig Thuis's queues, nothing with a legal deadline left out: every dossier still in
    its safety assessment appears, overdue and acute ones first."""
    if not actor.has_perm(VIEW_VT_WORK) or actor.organisation is None:
        raise PermissionDenied(VIEW_VT_WORK)
    now = now or clock.now()
    end_of_today = timezone.localtime(now).replace(hour=23, minute=59, second=59, microsecond=0)
    assessing = list(
        _dossiers(actor).filter(state=DossierState.ASSESSMENT).order_by("assessment_due")
    )
    investigations = list(
        _dossiers(actor)
        .filter(
            state=DossierState.INVESTIGATION,
            investigation__completed_at__isnull=True,
            investigation__due_at__lte=now + INVESTIGATION_WARNING,
        )
        .order_by("investigation__due_at")
    )
    mine = sorted(
        _dossiers(actor).filter(assigned_to=actor.user).exclude(state=DossierState.CLOSED),
        key=lambda d: (d.state not in RUNNING_DEADLINE, _deadline(d)),
    )
    unassigned = (
        sorted(
            _dossiers(actor).filter(assigned_to__isnull=True, state__in=RUNNING_DEADLINE),
            key=_deadline,
        )
        if actor.has_perm(ASSIGN_VT_WORK)
        else None
    )
    new_contacts = list(
        Contact.objects.filter(
            organisation=actor.organisation, received_at__gte=now - dt.timedelta(days=2)
        )
        .select_related("dossier")
        .prefetch_related(Prefetch("persons", queryset=_PERSONS_CONCERNED))
        .order_by("-received_at")[:100]
    )
    tasks_due = list(
        DossierTask.objects.filter(
            dossier__organisation=actor.organisation,
            done_at__isnull=True,
            due_at__lte=now + TASK_WARNING,
        )
        .select_related("dossier", "contact")
        .order_by("due_at")
    )
    monitoring_due = list(
        MonitoringMoment.objects.filter(
            dossier__organisation=actor.organisation,
            done_at__isnull=True,
            due_at__lte=now + MONITORING_WARNING,
        )
        .select_related("dossier")
        .order_by("due_at")
    )
    queue = WorkQueue(
        mine=mine,
        unassigned=unassigned,
        acute=[d for d in assessing if d.acute],
        overdue=[d for d in assessing if d.assessment_due < now],
        due_today=[d for d in assessing if now <= d.assessment_due <= end_of_today],
        in_assessment=assessing,
        investigations_nearing_deadline=investigations,
        new_contacts=new_contacts,
        tasks_due=tasks_due,
        monitoring_due=monitoring_due,
    )
    shown = {
        cp.person_id
        for d in [*assessing, *investigations, *mine, *(unassigned or [])]
        for c in d.contacts.all()
        for cp in c.persons.all()
    }
    shown |= {cp.person_id for c in new_contacts for cp in c.persons.all()}
    if shown:
        with transaction.atomic():
            audit.record(
                actor=actor,
                action=AuditAction.LIST,
                object_type="reports.workqueue",
                person_ids=sorted(shown),
            )
    return queue


def _require_own_veilig_thuis(
    actor: Actor,
    *,
    organisation_id: int,
    object_type: str,
    object_id: str,
    person_ids: Sequence[int | None],
    action: AuditAction,
) -> None:
    """Veilig Thuis work is for the staff of its own Veilig Thuis: anyone else is refused,
    and the refusal is logged per person concerned, as ``action`` (a read, or the write the
    page attempted)."""
    if (
        actor.has_perm(VIEW_VT_WORK)
        and actor.organisation is not None
        and actor.organisation.pk == organisation_id
    ):
        return
    audit.record_denied(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=object_id,
        person_ids=person_ids,
        reason="not this Veilig Thuis's staff",
    )
    raise PermissionDenied(VIEW_VT_WORK)


@dataclass
class DossierDetail:
    dossier: Dossier
    timeline: list[Contact]  # every contact about these persons at this Veilig Thuis
    person_ids: list[int]
    show_reporters: bool
    violence_types: list[str]  # of the dossier's own contacts, in the order of ViolenceType


def dossier_detail(
    *, actor: Actor, dossier_uuid: uuid.UUID | str, action: AuditAction = AuditAction.READ
) -> DossierDetail:
    dossier = Dossier.objects.filter(uuid=dossier_uuid).first()
    if dossier is None:
        raise Http404
    person_ids = sorted(
        set(
            ContactPerson.objects.filter(contact__dossier=dossier).values_list(
                "person_id", flat=True
            )
        )
    )
    _require_own_veilig_thuis(
        actor,
        organisation_id=dossier.organisation_id,
        object_type="reports.dossier",
        object_id=dossier.uuid.hex,
        person_ids=person_ids or [None],
        action=action,
    )
    timeline = list(
        Contact.objects.filter(organisation=dossier.organisation, persons__person_id__in=person_ids)
        .distinct()
        .select_related("dossier", "reporter")
        .prefetch_related(Prefetch("persons", queryset=_PERSONS_CONCERNED))
        .order_by("received_at")
    )
    show_reporters = actor.has_perm("reports.view_reporter_identity")
    # everybody the page shows: the dossier's persons and those of the earlier contacts
    shown = sorted({cp.person_id for c in timeline for cp in c.persons.all()} | set(person_ids))
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditAction.READ,
            object_type="reports.dossier",
            object_id=dossier.uuid.hex,
            person_ids=shown or [None],
            detail={"contacts": len(timeline), "reporters_shown": show_reporters},
        )
    named = {t for c in timeline if c.dossier_id == dossier.pk for t in c.violence_types}
    violence_types = [t for t in ViolenceType.values if t in named]
    return DossierDetail(dossier, timeline, person_ids, show_reporters, violence_types)


VIEW_REPORTER_IDENTITY = "reports.view_reporter_identity"


@dataclass
class ContactDetail:
    contact: Contact
    persons: list[ContactPerson]
    reporter: Reporter | None  # only for holders of reports.view_reporter_identity
    converted_to: Contact | None  # the report this advice request became


def contact_detail(
    *, actor: Actor, contact_uuid: uuid.UUID | str, action: AuditAction = AuditAction.READ
) -> ContactDetail:
    """One advice request or report, for the staff of its own Veilig Thuis; the reporter
    only for those who may see who reported. Every person shown is logged; a refusal too."""
    contact = (
        Contact.objects.filter(uuid=contact_uuid)
        .select_related("dossier", "converted_from")
        .first()
    )
    if contact is None:
        raise Http404
    persons = list(contact.persons.select_related("person").order_by("pk"))
    person_ids: list[int | None] = [cp.person_id for cp in persons] or [None]
    _require_own_veilig_thuis(
        actor,
        organisation_id=contact.organisation_id,
        object_type="reports.contact",
        object_id=contact.uuid.hex,
        person_ids=person_ids,
        action=action,
    )
    show_reporter = actor.has_perm(VIEW_REPORTER_IDENTITY)
    reporter = Reporter.objects.filter(contact=contact).first() if show_reporter else None
    converted_to = Contact.objects.filter(converted_from=contact).select_related("dossier").first()
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=AuditAction.READ,
            object_type="reports.contact",
            object_id=contact.uuid.hex,
            person_ids=person_ids,
            detail={"reporter_shown": reporter is not None},
        )
    return ContactDetail(contact, persons, reporter, converted_to)


def assignable_staff(*, actor: Actor, dossier: Dossier) -> QuerySet[User]:
    """Whom the team lead may assign the dossier to: active users with a current membership
    at the dossier's Veilig Thuis in a role that decides safety assessments."""
    if (
        not actor.has_perm(ASSIGN_VT_WORK)
        or actor.organisation is None
        or actor.organisation.pk != dossier.organisation_id
    ):
        raise PermissionDenied(ASSIGN_VT_WORK)
    app, codename = ASSESS.split(".")
    memberships = Membership.objects.current().filter(
        organisation_id=dossier.organisation_id,
        role__group__permissions__content_type__app_label=app,
        role__group__permissions__codename=codename,
    )
    return (
        User.objects.filter(is_active=True, memberships__in=memberships)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


# --- the radar's proposals on the intake screen (docs/radar-decisions.md) ----------------
# the engine's comparison fields, as the screen names them (others are shown as they are)
EVIDENCE_FIELDS = {
    "given_name": gettext_lazy("given names"),
    "surname": gettext_lazy("surname"),
    "birth_date": gettext_lazy("Date of birth"),
    "address": gettext_lazy("address"),
    "bsn": gettext_lazy("BSN"),
    "sex": gettext_lazy("sex"),
}


@dataclass
class MatchReview:
    proposal: MatchProposal
    contact: Contact
    candidate: Person | None  # the known person, None when the actor may not see them
    earlier: list[Contact]  # the known person's other contacts at this Veilig Thuis
    household_members: list[Person]  # a household proposal: the known members shown
    may_decide: bool

    @property
    def percentage(self) -> int:
        return round(self.proposal.probability * 100)

    @property
    def household_via(self) -> str:
        return str((self.proposal.explanation or {}).get("via", ""))

    @property
    def reported_label(self) -> str:
        """The person as the report gave them: name and (partial) date of birth."""
        r = self.proposal.reported or {}
        name = " ".join(
            part
            for part in (
                r.get("given_names") or r.get("initials") or "",
                r.get("surname_prefix") or "",
                r.get("surname") or "",
            )
            if part
        )
        if r.get("birth_year"):
            day = f"{r['birth_day']:02d}" if r.get("birth_day") else "??"
            month = f"{r['birth_month']:02d}" if r.get("birth_month") else "??"
            name = f"{name}, {day}-{month}-{r['birth_year']}"
        return name or self.proposal.person.display_name

    @property
    def evidence(self) -> list[tuple[str, str, float]]:
        return [
            (str(EVIDENCE_FIELDS.get(f, f)), str(level), float(w))
            for f, level, w in self.proposal.evidence
        ]


def match_reviews(*, actor: Actor, contacts: Sequence[Contact]) -> list[MatchReview]:
    """The radar's proposals for these contacts (the caller has checked that the actor is
    staff of their Veilig Thuis): each with the known person as far as the actor may see
    them, and that person's earlier contacts here. Logged per person shown."""
    by_id = {c.uuid.hex: c for c in contacts}
    proposals = list(
        MatchProposal.objects.filter(source_type="reports.contact", source_id__in=list(by_id))
        .select_related("person", "candidate", "household", "decided_by")
        .order_by("created_at", "pk")
    )
    if not proposals:
        return []
    candidate_ids = {p.candidate_id for p in proposals if p.candidate_id}
    household_ids = {p.household_id for p in proposals if p.household_id}
    members = {
        m.person_id: m.household_id
        for m in HouseholdMembership.objects.filter(household_id__in=household_ids)
    }
    visible = set(
        policy.visible_persons(
            actor, Person.objects.filter(pk__in=candidate_ids | set(members))
        ).values_list("pk", flat=True)
    )
    persons_by_pk = Person.objects.in_bulk(visible)
    reviews = []
    shown: set[int] = set()
    for proposal in proposals:
        contact = by_id[proposal.source_id]
        candidate = proposal.candidate if proposal.candidate_id in visible else None
        earlier: list[Contact] = []
        if candidate is not None:
            shown.add(candidate.pk)
            earlier = list(
                Contact.objects.filter(organisation=contact.organisation, persons__person=candidate)
                .exclude(pk=contact.pk)
                .distinct()
                .select_related("dossier")
                .order_by("received_at")
            )
        household_members = [
            persons_by_pk[pk]
            for pk, hh in members.items()
            if hh == proposal.household_id and pk in visible
        ]
        shown |= {p.pk for p in household_members}
        reviews.append(
            MatchReview(
                proposal=proposal,
                contact=contact,
                candidate=candidate,
                earlier=earlier,
                household_members=household_members,
                may_decide=radar_policy.may_decide(actor, proposal.organisation_id),
            )
        )
    if shown:
        with transaction.atomic():
            audit.record(
                actor=actor,
                action=AuditAction.READ,
                object_type="radar.matchproposal",
                person_ids=sorted(shown),
                detail={"proposals": len(proposals)},
            )
    return reviews


def match_proposal(
    *, contact_uuid: uuid.UUID | str, proposal_uuid: uuid.UUID | str
) -> MatchProposal:
    """A proposal of a contact (authorization is the decision service's: a refusal is
    logged there)."""
    contact_key = contact_uuid.hex if isinstance(contact_uuid, uuid.UUID) else str(contact_uuid)
    proposal = (
        MatchProposal.objects.filter(uuid=proposal_uuid, source_id=contact_key.replace("-", ""))
        .select_related("person", "candidate")
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def timeline_for(*, actor: Actor, person: Person) -> list[timeline.Entry]:
    """The person's contacts and dossiers at Veilig Thuis, for its own staff only (the
    reporter is never named here; the contact's page does that for those who may)."""
    if not actor.has_perm(VIEW_VT_WORK) or actor.organisation is None:
        return []
    contacts = (
        Contact.objects.filter(organisation=actor.organisation, persons__person=person)
        .select_related("dossier")
        .order_by("received_at")
        .distinct()
    )
    entries: list[timeline.Entry] = []
    dossiers: dict[int, Dossier] = {}
    for contact in contacts:
        entries.append(
            timeline.Entry(
                kind="vt_contact",
                label=contact.get_kind_display(),
                title=str(contact.get_channel_display()),
                started=contact.received_at,
                status=contact.get_earlier_involvement_display()
                if contact.earlier_involvement
                else "",
                organisation=actor.organisation.name,
                url=reverse("reports:contact_detail", args=[contact.uuid]),
            )
        )
        if contact.dossier is not None:
            dossiers[contact.dossier.pk] = contact.dossier
    for dossier in dossiers.values():
        entries.append(
            timeline.Entry(
                kind="vt_dossier",
                label=gettext_lazy("Dossier"),
                title=str(dossier),
                started=dossier.opened_at,
                ended=dossier.closed_at,
                status=dossier.get_state_display(),
                organisation=actor.organisation.name,
                url=reverse("reports:dossier_detail", args=[dossier.uuid]),
            )
        )
    return entries
