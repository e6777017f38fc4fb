"""Need-to-know: the one place that decides who may see which person.

Rules (docs/authorization.md):

1. Function level: the actor's active role must hold ``persons.view_client_data``. Policy
   officers, programme managers, functional admins and privacy officers never hold it.
2. Row level: the person is visible when the actor's organisation has an active
   involvement with the person (a Veilig Thuis dossier of the organisation's region, a
   case team, coordination, an MDA++ referral, a placement, an own report), organisation-
   wide (``user`` empty) or for the actor personally.
3. Confidentiality: a restricted person is visible only through a personal involvement.
4. Break-glass: an active, unexpired grant for this actor's membership and this person
   makes the person visible; every event written under it carries the break-glass flag.
5. Confidential addresses: a confidential address (a shelter's) is shown, and matched by a
   search, only under a personal involvement of the actor in the acting organisation; so is
   every ended address of a person who has a confidential one (``searchable_addresses_q``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from ketenradar.access.constants import InvolvementKind
from ketenradar.access.models import BreakGlassGrant, Involvement
from ketenradar.persons.constants import Confidentiality
from ketenradar.regions.constants import OrganisationType

if TYPE_CHECKING:
    from ketenradar.accounts.actor import Actor
    from ketenradar.persons.models import Household, Person

VIEW_CLIENT_DATA = "persons.view_client_data"
USE_BREAK_GLASS = "access.use_break_glass"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    break_glass: bool = False
    why: str = ""


def _involvement_q(actor: Actor) -> Q | None:
    if not actor.has_perm(VIEW_CLIENT_DATA) or actor.organisation is None:
        return None
    involved = Involvement.objects.active().filter(
        person=OuterRef("pk"), organisation=actor.organisation
    )
    org_wide = Exists(involved.filter(user__isnull=True))
    personal = Exists(involved.filter(user=actor.user))
    return (Q(org_wide) & Q(confidentiality=Confidentiality.STANDARD)) | Q(personal)


def _break_glass_q(actor: Actor) -> Q | None:
    if actor.membership is None or actor.user is None or not actor.has_perm(VIEW_CLIENT_DATA):
        return None
    now = timezone.now()
    grants = BreakGlassGrant.objects.filter(
        person=OuterRef("pk"),
        user=actor.user,
        membership=actor.membership,
        created_at__lte=now,
        expires_at__gt=now,
    )
    return Q(Exists(grants))


def _candidates_q(actor: Actor) -> Q:
    """The persons the rules below can let through at all, found by index: an active
    involvement of the actor's organisation, or the actor's own running break-glass grant.
    Without it the database tests the rules' subqueries on every person of the region's
    history (a shelter's person list took 10 s); with it, only on these."""
    now = timezone.now()
    involved = (
        Involvement.objects.active()
        .filter(organisation=actor.organisation)
        .order_by()
        .values("person_id")
    )
    granted = (
        BreakGlassGrant.objects.filter(user=actor.user, created_at__lte=now, expires_at__gt=now)
        .order_by()
        .values("person_id")
    )
    return Q(pk__in=involved.union(granted, all=True))


def visible_persons_q(actor: Actor) -> Q | None:
    """A filter on Person for everything the actor may see; None when nothing."""
    involvement, glass = _involvement_q(actor), _break_glass_q(actor)
    if involvement is None:
        return None
    rules = involvement | glass if glass is not None else involvement
    return _candidates_q(actor) & rules


def visible_persons(actor: Actor, queryset: QuerySet[Person]) -> QuerySet[Person]:
    q = visible_persons_q(actor)
    return queryset.none() if q is None else queryset.filter(q)


def decide_person(actor: Actor, person: Person) -> Decision:
    from ketenradar.persons.models import Person

    involvement = _involvement_q(actor)
    if involvement is None:
        return Decision(False, why="role has no access to client data")
    if Person.objects.filter(pk=person.pk).filter(involvement).exists():
        return Decision(True)
    glass = _break_glass_q(actor)
    if glass is not None and Person.objects.filter(pk=person.pk).filter(glass).exists():
        return Decision(True, break_glass=True)
    return Decision(False, why="no involvement with this person")


def default_involvement_kind(actor: Actor) -> InvolvementKind:
    """The involvement a registration creates, by the registering organisation's type."""
    org_type = actor.organisation.type if actor.organisation else ""
    return {
        OrganisationType.VEILIG_THUIS: InvolvementKind.VT_DOSSIER,
        OrganisationType.LOCAL_TEAM: InvolvementKind.COORDINATOR,
        OrganisationType.SHELTER: InvolvementKind.PLACEMENT,
    }.get(org_type, InvolvementKind.REPORTER)  # type: ignore[call-overload]


def personally_involved(actor: Actor, person: Person) -> bool:
    """Confidential details (a shelter address) need a personal involvement."""
    if actor.user is None or actor.organisation is None:
        return False
    return (
        Involvement.objects.active()
        .filter(person=person, organisation=actor.organisation, user=actor.user)
        .exists()
    )


def searchable_addresses_q(actor: Actor) -> Q:
    """The one place that decides which addresses a search, filter, count or export may
    match on (a filter on ``Address``). Without a personal involvement in the acting
    organisation: never a confidential address, and never an ended address of a person who
    has a confidential one (it would lead from the old home to the person in the shelter);
    a count by a shelter's postcode is then 0, as if nobody lived there."""
    from ketenradar.persons.models import Address

    has_confidential = Exists(
        Address.objects.filter(person=OuterRef("person"), is_confidential=True)
    )
    open_q = Q(is_confidential=False) & ~(Q(valid_until__isnull=False) & Q(has_confidential))
    # Without an organisation or a user (the system) this finds no involvement at all.
    personal = Exists(
        Involvement.objects.active().filter(
            person=OuterRef("person"), organisation=actor.organisation, user=actor.user
        )
    )
    return open_q | Q(personal)


def break_glass_only(actor: Actor, person_ids: list[int]) -> set[int]:
    """Of these (visible) persons, those the actor sees only through break-glass."""
    from ketenradar.persons.models import Person

    involvement = _involvement_q(actor)
    if involvement is None or not person_ids:
        return set()
    through_involvement = set(
        Person.objects.filter(pk__in=person_ids).filter(involvement).values_list("pk", flat=True)
    )
    return set(person_ids) - through_involvement


def may_use_break_glass(actor: Actor, person: Person) -> bool:
    return (
        actor.membership is not None
        and actor.has_perm(USE_BREAK_GLASS)
        and actor.has_perm(VIEW_CLIENT_DATA)
        and not decide_person(actor, person).allowed
    )


def break_glass_expiry(start: datetime) -> datetime:
    return start + timedelta(hours=settings.KETENRADAR_BREAK_GLASS_HOURS)


def visible_households(actor: Actor, queryset: QuerySet[Household]) -> QuerySet[Household]:
    """A household is visible when at least one of its members is visible."""
    from ketenradar.persons.models import HouseholdMembership, Person

    q = visible_persons_q(actor)
    if q is None:
        return queryset.none()
    visible_members = HouseholdMembership.objects.filter(
        household=OuterRef("pk"), person__in=Person.objects.filter(q)
    )
    return queryset.filter(Exists(visible_members))
