"""Reads of MDA++, for the actor: referrals and conferences of the actor's own MDA++
organisation (the core team), or the referral status of a case for its coordinator. Every
read of a referral or conference is written to the access log with the persons of the
households concerned; a refused one is a logged 403, an unknown one a 404."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ketenradar.accounts.actor import Actor
from ketenradar.audit import services as audit
from ketenradar.audit.constants import AuditAction
from ketenradar.care.models import Case
from ketenradar.core.notices import Notice, Severity, severity_for
from ketenradar.mda import policy
from ketenradar.mda.constants import (
    AGENDA_STATUSES,
    CRITERION_FIELDS,
    DECISION_DAYS,
    Criterion,
    ReferralStatus,
)
from ketenradar.mda.models import Conference, ConferenceAction, ConferenceCase, Referral
from ketenradar.mda.policy import ReferralRole
from ketenradar.mda.services import household_person_ids
from ketenradar.regions.models import Organisation

RUN = policy.RUN
REFER = policy.REFER


def _persons(cases: list[Case]) -> list[int | None]:
    return [p for case in cases for p in household_person_ids(case)] or [None]


def _read(
    actor: Actor, action: AuditAction, object_type: str, object_id: str, cases: list[Case]
) -> None:
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            person_ids=_persons(cases),
        )


@dataclass(frozen=True)
class CriterionRow:
    label: str
    met: bool
    motivation: str


def criteria_of(referral: Referral) -> list[CriterionRow]:
    return [
        CriterionRow(
            label=str(Criterion(c).label),
            met=getattr(referral, field),
            motivation=getattr(referral, f"{field}_motivation"),
        )
        for c, field in CRITERION_FIELDS.items()
    ]


def _referrals(actor: Actor) -> QuerySet[Referral]:
    return Referral.objects.filter(mda_organisation=actor.organisation).select_related(
        "case__household", "case__municipality", "case__coordinator_organisation", "referred_by"
    )


@dataclass
class ReferralLists:
    new: list[Referral]
    accepted: list[Referral]
    on_agenda: list[Referral]
    handed_back: list[Referral]
    declined: list[Referral]


def referral_lists(*, actor: Actor) -> ReferralLists:
    """The referrals of the actor's MDA++ organisation by status; each household shown is
    logged (``list``)."""
    if not actor.has_perm(RUN) or actor.organisation is None:
        raise PermissionDenied(RUN)
    rows = list(_referrals(actor).order_by("referred_at", "pk"))
    if rows:
        _read(actor, AuditAction.LIST, "mda.referral", "", [r.case for r in rows])
    by = {s: [r for r in rows if r.status == s] for s in ReferralStatus}
    return ReferralLists(
        new=by[ReferralStatus.REFERRED],
        accepted=by[ReferralStatus.ACCEPTED],
        on_agenda=by[ReferralStatus.ON_AGENDA],
        handed_back=by[ReferralStatus.HANDED_BACK],
        declined=by[ReferralStatus.DECLINED],
    )


@dataclass
class ReferralDetail:
    referral: Referral
    role: ReferralRole
    criteria: list[CriterionRow]
    conference_cases: list[ConferenceCase]

    @property
    def runs(self) -> bool:
        return self.role == ReferralRole.MDA


def referral_detail(*, actor: Actor, referral_uuid: uuid.UUID | str) -> ReferralDetail:
    """A referral for the core team of its MDA++ organisation, or for the case's coordinator
    (and lead); anyone else gets a logged 403."""
    referral = (
        Referral.objects.select_related(
            "case__household", "mda_organisation", "referred_by", "decided_by"
        )
        .filter(uuid=referral_uuid)
        .first()
    )
    if referral is None:
        raise Http404
    role = policy.referral_role(actor, referral)
    if role == ReferralRole.NONE:
        audit.record_denied(
            actor=actor,
            action=AuditAction.READ,
            object_type="mda.referral",
            object_id=referral.uuid.hex,
            person_ids=_persons([referral.case]),
            reason="not the core team of this MDA++ nor the case's coordinator",
        )
        raise PermissionDenied("not this MDA++ referral")
    _read(actor, AuditAction.READ, "mda.referral", referral.uuid.hex, [referral.case])
    cases = list(
        referral.conference_cases.select_related("conference")
        .prefetch_related("actions__agency")
        .order_by("conference__planned_at", "pk")
    )
    return ReferralDetail(referral, role, criteria_of(referral), cases)


def referral_for_mda(*, actor: Actor, referral_uuid: uuid.UUID | str) -> Referral:
    """A referral the actor's core team works on (for a write); otherwise a logged 403."""
    referral = Referral.objects.select_related("case").filter(uuid=referral_uuid).first()
    if referral is None:
        raise Http404
    if not policy.runs_mda_of(actor, referral.mda_organisation_id):
        audit.record_denied(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="mda.referral",
            object_id=referral.uuid.hex,
            person_ids=_persons([referral.case]),
            reason="not the core team of this MDA++",
        )
        raise PermissionDenied(RUN)
    return referral


def case_referrals(*, actor: Actor, case: Case) -> list[Referral]:
    """The referrals of a case, for the page on which its coordinator refers it (the
    caller has already checked the actor's role in the case with ``care.selectors``)."""
    return list(
        Referral.objects.filter(case=case)
        .select_related("mda_organisation")
        .order_by("-referred_at")
    )


def mda_organisations(*, actor: Actor, case: Case) -> QuerySet[Organisation]:
    """The MDA++ organisations a case of this region can be referred to."""
    return policy.mda_organisations(case.region_id).order_by("name")


def agenda_candidates(*, actor: Actor) -> list[Referral]:
    """Accepted referrals (and ones discussed before, for a follow-up) of the actor's MDA++,
    for a new conference's agenda."""
    if not actor.has_perm(RUN) or actor.organisation is None:
        return []
    return list(_referrals(actor).filter(status__in=AGENDA_STATUSES).order_by("referred_at"))


def conference_list(*, actor: Actor) -> QuerySet[Conference]:
    """The conferences of the actor's MDA++ (dates and numbers only: no client data)."""
    if not actor.has_perm(RUN) or actor.organisation is None:
        raise PermissionDenied(RUN)
    return Conference.objects.filter(mda_organisation=actor.organisation).prefetch_related("cases")


def conference_detail(
    *, actor: Actor, conference_uuid: uuid.UUID | str, action: AuditAction = AuditAction.READ
) -> Conference:
    """A conference of the actor's own MDA++ with its agenda; another MDA++'s conference is
    a 403, logged as ``action`` (a read, or the write a form on it attempted)."""
    conference = Conference.objects.filter(uuid=conference_uuid).first()
    if conference is None:
        raise Http404
    cases = [c.referral.case for c in conference.cases.select_related("referral__case")]
    if not policy.runs_mda_of(actor, conference.mda_organisation_id):
        audit.record_denied(
            actor=actor,
            action=action,
            object_type="mda.conference",
            object_id=conference.uuid.hex,
            person_ids=_persons(cases),
            reason="not the core team of this MDA++",
        )
        raise PermissionDenied(RUN)
    _read(actor, AuditAction.READ, "mda.conference", conference.uuid.hex, cases)
    return conference


def conference_case_for(*, actor: Actor, conference: Conference, pk: int) -> ConferenceCase:
    """A case on the agenda of a conference the actor may already see (404 otherwise)."""
    found = (
        ConferenceCase.objects.select_related("referral__case", "conference")
        .filter(conference=conference, pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _end_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


def notices_for(*, actor: Actor, now: dt.datetime) -> list[Notice]:
    """For the core team of an MDA++: referrals waiting for a decision (due
    ``DECISION_DAYS`` after referral) and conference actions past their date that have not
    been handed back to the coordinator yet."""
    if not actor.has_perm(RUN) or actor.organisation is None:
        return []
    notices: list[Notice] = []
    soon = dt.timedelta(days=2)
    for referral in _referrals(actor).filter(status=ReferralStatus.REFERRED):
        due = referral.referred_at + dt.timedelta(days=DECISION_DAYS)
        notices.append(
            Notice(
                "mda_referral_waiting",
                _("MDA++ referral %(ref)s awaits a decision") % {"ref": referral.reference},
                due,
                reverse("mda:referral_detail", kwargs={"uuid": referral.uuid}),
                severity_for(due, now, soon=soon),
            )
        )
    overdue = ConferenceAction.objects.filter(
        conference_case__conference__mda_organisation=actor.organisation,
        conference_case__referral__status=ReferralStatus.ON_AGENDA,
        plan_action__isnull=True,
        due_date__lt=timezone.localtime(now).date(),
    ).select_related("conference_case__conference", "conference_case__referral")
    for action in overdue:
        referral = action.conference_case.referral
        notices.append(
            Notice(
                "mda_action_overdue",
                _("Conference action of MDA++ referral %(ref)s is overdue")
                % {"ref": referral.reference},
                _end_of_day(action.due_date),
                reverse(
                    "mda:conference_detail", kwargs={"uuid": action.conference_case.conference.uuid}
                ),
                Severity.OVERDUE,
            )
        )
    return notices


def agencies(*, actor: Actor) -> QuerySet[Organisation]:
    """The agencies of the actor's region: who can take part and own an action."""
    if actor.region is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(region=actor.region, is_active=True).order_by("name")
