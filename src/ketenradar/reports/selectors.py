"""Reads of Veilig Thuis contacts and meldcode records, for the actor."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404
from django.urls import reverse
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
from ketenradar.reports.constants import (
    DossierState,
    QueueAssignment,
    QueueTab,
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
TASK_WARNING = dt.timedelta(days=2)
MONITORING_WARNING = dt.timedelta(days=14)
NEW_CONTACTS_WINDOW = dt.timedelta(days=2)


ASSIGN_VT_WORK = "reports.assign_vt_work"
ASSESS = "reports.assess_safety"

# A page of the work queue: the rows shown, and so the persons logged, are bounded by it
# (ADR 0004, ADR 0013), however long the queue.
QUEUE_PAGE_SIZE = 25
MAX_QUEUE_PAGE_SIZE = 100
DOSSIER_TABS = (QueueTab.ASSESSMENT, QueueTab.INVESTIGATION, QueueTab.MINE)
OPEN_STATES = [s for s in DossierState.values if s != DossierState.CLOSED]


@dataclass(frozen=True)
class QueueFilter:
    """What the queue is narrowed to, on every tab: acute dossiers (a new contact: its acute
    indication) and the dossiers' assignee. Only the team lead may ask for the unassigned."""

    acute_only: bool = False
    assigned: QueueAssignment = QueueAssignment.ANYONE


@dataclass
class QueueRow:
    """One row of a tab: a dossier, a new contact, a task or a monitoring moment, with the
    persons the row names and the deadline that applies to it now."""

    dossier: Dossier | None
    persons: list[Person]
    deadline: dt.datetime | None = None
    overdue: bool = False
    contact: Contact | None = None
    task: DossierTask | None = None
    moment: MonitoringMoment | None = None


@dataclass
class WorkQueue:
    tab: QueueTab
    filters: QueueFilter
    counts: dict[str, int]  # per tab (its value), with the filters
    overdue: dict[str, int]  # of those, past their deadline
    rows: list[QueueRow]  # this page's
    page: Page  # of range(counts[tab]): number, num_pages, the elided range

    shows_mine: bool  # staff who can be assigned dossiers (not intake), or who have some

    @property
    def tabs(self) -> list[tuple[QueueTab, int]]:
        return [
            (t, self.counts[t.value])
            for t in QueueTab
            if t != QueueTab.MINE or self.shows_mine or self.tab == QueueTab.MINE
        ]


# The persons of contacts, joined in the same statement: a separate prefetch of ``person``
# becomes one OR-term per person on SQLite, which refuses more than about a thousand
# ("Expression tree is too large"), so a queue of 470 dossiers answered 500.
_PERSONS_CONCERNED = ContactPerson.objects.select_related("person")


def _next_moment_due() -> Subquery:
    return Subquery(
        MonitoringMoment.objects.filter(dossier=OuterRef("pk"), done_at__isnull=True)
        .order_by("due_at")
        .values("due_at")[:1]
    )


def current_deadline(dossier: Dossier) -> dt.datetime | None:
    """The deadline that applies to the dossier in its state: the safety assessment's, the
    running investigation's (10 weeks), or monitoring's next open moment; none otherwise.
    ``deadline_expression`` says the same in SQL (the work queue orders by it)."""
    if dossier.state == DossierState.ASSESSMENT:
        return dossier.assessment_due
    if dossier.state == DossierState.INVESTIGATION:
        investigation = getattr(dossier, "investigation", None)
        return investigation.due_at if investigation is not None else None
    if dossier.state == DossierState.MONITORING:
        moment = dossier.monitoring_moments.filter(done_at__isnull=True).order_by("due_at").first()
        return moment.due_at if moment is not None else None
    return None


def deadline_expression() -> Case:
    """``current_deadline`` in SQL."""
    return Case(
        When(state=DossierState.ASSESSMENT, then=F("assessment_due")),
        When(state=DossierState.INVESTIGATION, then=F("investigation__due_at")),
        When(state=DossierState.MONITORING, then=_next_moment_due()),
        default=Value(None),
        output_field=DateTimeField(),
    )


def _assigned_q(filters: QueueFilter, actor: Actor, prefix: str) -> Q:
    if filters.assigned == QueueAssignment.ME:
        if actor.user is None:
            return Q(pk__in=[])
        return Q(**{f"{prefix}assigned_to": actor.user})
    if filters.assigned == QueueAssignment.NOBODY:
        return Q(**{f"{prefix}assigned_to__isnull": True})
    return Q()


def _dossier_q(filters: QueueFilter, actor: Actor, prefix: str = "") -> Q:
    q = _assigned_q(filters, actor, prefix)
    if filters.acute_only:
        q &= Q(**{f"{prefix}acute": True})
    return q


def _mine_q(actor: Actor) -> Q:
    if actor.user is None:
        return Q(pk__in=[])
    return Q(assigned_to=actor.user, state__in=OPEN_STATES)


def _tab_dossiers(actor: Actor, tab: QueueTab, filters: QueueFilter) -> QuerySet[Dossier]:
    query = Dossier.objects.filter(_dossier_q(filters, actor), organisation=actor.organisation)
    if tab == QueueTab.ASSESSMENT:
        return query.filter(state=DossierState.ASSESSMENT)
    if tab == QueueTab.INVESTIGATION:
        return query.filter(state=DossierState.INVESTIGATION)
    return query.filter(_mine_q(actor))


def _new_contacts(actor: Actor, filters: QueueFilter, now: dt.datetime) -> QuerySet[Contact]:
    query = Contact.objects.filter(
        _assigned_q(filters, actor, "dossier__"),
        organisation=actor.organisation,
        received_at__gte=now - NEW_CONTACTS_WINDOW,
    )
    return query.filter(acute_indication=True) if filters.acute_only else query


def _tasks_due(actor: Actor, filters: QueueFilter, now: dt.datetime) -> QuerySet[DossierTask]:
    return DossierTask.objects.filter(
        _dossier_q(filters, actor, "dossier__"),
        dossier__organisation=actor.organisation,
        done_at__isnull=True,
        due_at__lte=now + TASK_WARNING,
    )


def _moments_due(
    actor: Actor, filters: QueueFilter, now: dt.datetime
) -> QuerySet[MonitoringMoment]:
    return MonitoringMoment.objects.filter(
        _dossier_q(filters, actor, "dossier__"),
        dossier__organisation=actor.organisation,
        done_at__isnull=True,
        due_at__lte=now + MONITORING_WARNING,
    )


def _overdue_q(now: dt.datetime) -> Q:
    """A dossier whose deadline (``deadline_expression``) has passed (without joins: it
    filters an aggregate)."""
    late_investigation = Investigation.objects.filter(dossier=OuterRef("pk"), due_at__lt=now)
    late_moment = MonitoringMoment.objects.filter(
        dossier=OuterRef("pk"), done_at__isnull=True, due_at__lt=now
    )
    return (
        Q(state=DossierState.ASSESSMENT, assessment_due__lt=now)
        | Q(Exists(late_investigation), state=DossierState.INVESTIGATION)
        | Q(Exists(late_moment), state=DossierState.MONITORING)
    )


def _counts(
    actor: Actor, filters: QueueFilter, now: dt.datetime
) -> tuple[dict[str, int], dict[str, int]]:
    """Every tab's count, and how many of them are overdue: four COUNT statements, no rows
    read."""
    overdue = _overdue_q(now)
    dossiers = Dossier.objects.filter(
        _dossier_q(filters, actor), organisation=actor.organisation, state__in=OPEN_STATES
    ).aggregate(
        assessment=Count("pk", filter=Q(state=DossierState.ASSESSMENT)),
        assessment_late=Count("pk", filter=Q(state=DossierState.ASSESSMENT) & overdue),
        investigation=Count("pk", filter=Q(state=DossierState.INVESTIGATION)),
        investigation_late=Count("pk", filter=Q(state=DossierState.INVESTIGATION) & overdue),
        mine=Count("pk", filter=_mine_q(actor)),
        mine_late=Count("pk", filter=_mine_q(actor) & overdue),
    )
    late = Count("pk", filter=Q(due_at__lt=now))
    tasks = _tasks_due(actor, filters, now).aggregate(all=Count("pk"), late=late)
    moments = _moments_due(actor, filters, now).aggregate(all=Count("pk"), late=late)
    counts = {
        QueueTab.NEW.value: _new_contacts(actor, filters, now).count(),
        QueueTab.ASSESSMENT.value: dossiers["assessment"],
        QueueTab.INVESTIGATION.value: dossiers["investigation"],
        QueueTab.TASKS.value: tasks["all"],
        QueueTab.MONITORING.value: moments["all"],
        QueueTab.MINE.value: dossiers["mine"],
    }
    overdue_counts = {
        QueueTab.NEW.value: 0,  # a contact has no deadline of its own: its dossier has
        QueueTab.ASSESSMENT.value: dossiers["assessment_late"],
        QueueTab.INVESTIGATION.value: dossiers["investigation_late"],
        QueueTab.TASKS.value: tasks["late"],
        QueueTab.MONITORING.value: moments["late"],
        QueueTab.MINE.value: dossiers["mine_late"],
    }
    return counts, overdue_counts


def _persons_by_dossier(dossier_ids: Sequence[int]) -> dict[int, list[Person]]:
    """The persons of each dossier's contacts, each once, in the order they were reported:
    one statement for the whole page."""
    persons: dict[int, dict[int, Person]] = {pk: {} for pk in dossier_ids}
    concerned = (
        _PERSONS_CONCERNED.filter(contact__dossier_id__in=dossier_ids)
        .annotate(dossier_pk=F("contact__dossier_id"))
        .order_by("contact__received_at", "contact_id", "pk")
    )
    for cp in concerned:
        persons[cp.dossier_pk].setdefault(cp.person_id, cp.person)
    return {pk: list(found.values()) for pk, found in persons.items()}


def _dossier_rows(
    actor: Actor, tab: QueueTab, filters: QueueFilter, now: dt.datetime, start: int, end: int
) -> list[QueueRow]:
    """Acute assessments first (danger now, 24 hours), then by the deadline that applies,
    earliest first (so the overdue ones before the rest), those without one last, then by
    receipt."""
    dossiers = list(
        _tab_dossiers(actor, tab, filters)
        .select_related("assigned_to", "investigation")
        .annotate(
            deadline=deadline_expression(),
            urgent=Case(
                When(state=DossierState.ASSESSMENT, acute=True, then=Value(1)),
                default=Value(0),
            ),
        )
        .order_by("-urgent", F("deadline").asc(nulls_last=True), "opened_at", "pk")[start:end]
    )
    persons = _persons_by_dossier([d.pk for d in dossiers])
    return [
        QueueRow(
            dossier=d,
            persons=persons[d.pk],
            deadline=d.deadline,
            overdue=d.deadline is not None and d.deadline < now,
        )
        for d in dossiers
    ]


def _contact_rows(
    actor: Actor, filters: QueueFilter, now: dt.datetime, start: int, end: int
) -> list[QueueRow]:
    """Acute indications first, then the newest."""
    contacts = list(
        _new_contacts(actor, filters, now)
        .select_related("dossier")
        .prefetch_related(Prefetch("persons", queryset=_PERSONS_CONCERNED.order_by("pk")))
        .order_by("-acute_indication", "-received_at", "-pk")[start:end]
    )
    return [
        QueueRow(
            dossier=c.dossier,
            contact=c,
            persons=list(dict.fromkeys(cp.person for cp in c.persons.all())),
        )
        for c in contacts
    ]


def _task_rows(
    actor: Actor, tab: QueueTab, filters: QueueFilter, now: dt.datetime, start: int, end: int
) -> list[QueueRow]:
    """Tasks and monitoring moments by their due date, the overdue first. They name the
    dossier, not its persons."""
    if tab == QueueTab.TASKS:
        tasks = _tasks_due(actor, filters, now).select_related("dossier__assigned_to")
        return [
            QueueRow(
                dossier=t.dossier, task=t, persons=[], deadline=t.due_at, overdue=t.due_at < now
            )
            for t in tasks.order_by("due_at", "pk")[start:end]
        ]
    moments = _moments_due(actor, filters, now).select_related("dossier__assigned_to")
    return [
        QueueRow(dossier=m.dossier, moment=m, persons=[], deadline=m.due_at, overdue=m.due_at < now)
        for m in moments.order_by("due_at", "pk")[start:end]
    ]


def work_queue(
    *,
    actor: Actor,
    tab: QueueTab = QueueTab.ASSESSMENT,
    filters: QueueFilter | None = None,
    page: int = 1,
    page_size: int = QUEUE_PAGE_SIZE,
    now: dt.datetime | None = None,
) -> WorkQueue:
    """One page of one tab of Veilig Thuis's work queue, with every tab's count.

    Nothing with a deadline is left out: every dossier in its safety assessment or in an
    investigation is on its tab, each open task and monitoring moment due soon or overdue on
    theirs, the most urgent first. A page past the end shows the last page. Only the persons
    on the rows shown are logged (one ``list`` event each, one write); a tab that names no
    person logs nothing. The statements do not grow with the queue."""
    if not actor.has_perm(VIEW_VT_WORK) or actor.organisation is None:
        raise PermissionDenied(VIEW_VT_WORK)
    filters = filters or QueueFilter()
    if filters.assigned == QueueAssignment.NOBODY and not actor.has_perm(ASSIGN_VT_WORK):
        raise PermissionDenied(ASSIGN_VT_WORK)
    if not 1 <= page_size <= MAX_QUEUE_PAGE_SIZE:
        raise ValueError(f"page_size: 1 to {MAX_QUEUE_PAGE_SIZE}")
    now = now or clock.now()
    with transaction.atomic():
        counts, overdue = _counts(actor, filters, now)
        shown_page = Paginator(range(counts[tab.value]), page_size).get_page(page)
        start = (shown_page.number - 1) * page_size
        end = start + page_size
        if tab in DOSSIER_TABS:
            rows = _dossier_rows(actor, tab, filters, now, start, end)
        elif tab == QueueTab.NEW:
            rows = _contact_rows(actor, filters, now, start, end)
        else:
            rows = _task_rows(actor, tab, filters, now, start, end)
        shown = sorted({p.pk for row in rows for p in row.persons})
        if shown:
            audit.record(
                actor=actor,
                action=AuditAction.LIST,
                object_type="reports.workqueue",
                person_ids=shown,
                detail={
                    "tab": tab.value,
                    "page": shown_page.number,
                    "shown": len(rows),
                    "total": counts[tab.value],
                },
            )
    return WorkQueue(
        tab=tab,
        filters=filters,
        counts=counts,
        overdue=overdue,
        shows_mine=actor.has_perm(ASSESS) or counts[QueueTab.MINE.value] > 0,
        rows=rows,
        page=shown_page,
    )


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
