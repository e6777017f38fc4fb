from __future__ import annotations

from django.db.models import QuerySet

from ketenradar.access.constants import BreakGlassReview
from ketenradar.access.models import BreakGlassGrant
from ketenradar.accounts.actor import Actor


def break_glass_review_list(
    *, actor: Actor, pending_only: bool = True
) -> QuerySet[BreakGlassGrant]:
    """Break-glass accesses in the privacy officer's region, open ones first."""
    if not actor.has_perm("access.review_break_glass") or actor.region is None:
        return BreakGlassGrant.objects.none()
    qs = BreakGlassGrant.objects.filter(
        membership__organisation__region=actor.region
    ).select_related("user", "membership__organisation", "membership__role", "reviewed_by")
    if pending_only:
        qs = qs.filter(review=BreakGlassReview.PENDING)
    return qs.order_by("created_at")


def break_glass_grant_for_review(*, actor: Actor, pk: int) -> BreakGlassGrant | None:
    return break_glass_review_list(actor=actor, pending_only=False).filter(pk=pk).first()
