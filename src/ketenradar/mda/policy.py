"""Who may see and work on MDA++ referrals and conferences: the one place that decides it.

- Function level: ``mda.run_mda`` (the MDA++ core team) and ``mda.refer_to_mda`` (the case
  coordinator).
- Row level:
  * a member of the core team sees and works on the referrals and conferences of **their
    own** MDA++ organisation (the organisation of the active membership), nothing of another
    MDA++ organisation;
  * the case's coordinator (``care.policy.case_role`` = coordinator) sees the referrals of
    that case and their status, and their lead (``lead``) sees them too; they change nothing
    at MDA++.
- The case itself is decided by ``care.policy`` only: MDA++ sees it because accepting the
  referral puts the MDA++ organisation on the case team (kind ``mda``).
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, QuerySet

from ketenradar.accounts.models import Membership
from ketenradar.care.policy import CaseRole, case_role
from ketenradar.regions.models import Organisation

if TYPE_CHECKING:
    from ketenradar.accounts.actor import Actor
    from ketenradar.mda.models import Referral

REFER = "mda.refer_to_mda"
RUN = "mda.run_mda"


class ReferralRole(enum.StrEnum):
    NONE = "none"
    CASE = "case"  # the case's coordinator or lead: sees the status
    MDA = "mda"  # the core team of the referral's MDA++ organisation


def runs_mda_of(actor: Actor, organisation_id: int) -> bool:
    """Whether the actor works in the core team of this MDA++ organisation."""
    return (
        actor.has_perm(RUN)
        and actor.organisation is not None
        and actor.organisation.pk == organisation_id
    )


def referral_role(actor: Actor, referral: Referral) -> ReferralRole:
    if runs_mda_of(actor, referral.mda_organisation_id):
        return ReferralRole.MDA
    if actor.has_perm(REFER) and case_role(actor, referral.case) in (
        CaseRole.COORDINATOR,
        CaseRole.LEAD,
    ):
        return ReferralRole.CASE
    return ReferralRole.NONE


def mda_organisations(region_id: int) -> QuerySet[Organisation]:
    """The region's active organisations with a current core-team member: those whose
    role holds ``mda.run_mda`` (a permission, never a role name)."""
    app, codename = RUN.split(".")
    core_team = Membership.objects.current().filter(
        organisation=OuterRef("pk"),
        role__group__permissions__content_type__app_label=app,
        role__group__permissions__codename=codename,
    )
    return Organisation.objects.filter(region_id=region_id, is_active=True).filter(
        Exists(core_team)
    )
