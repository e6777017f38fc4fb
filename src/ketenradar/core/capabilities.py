"""What each permission lets a user do, as shown on the start page. One list, so that the
start page of every role is derived from its permissions, never from its name."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Capability:
    permission: str
    url_name: str
    title: str | Promise
    description: str | Promise


CAPABILITIES = (
    Capability(
        "reports.view_vt_work",
        "reports:work_queue",
        _("Work queue"),
        _(
            "New reports, acute ones, safety assessments due today and overdue, "
            "investigations nearing 10 weeks."
        ),
    ),
    Capability(
        "reports.use_meldcode",
        "reports:meldcode_start",
        _("Meldcode assistant"),
        _(
            "Walk through the meldcode, document your decision, then ask Veilig Thuis "
            "for advice or report."
        ),
    ),
    Capability(
        "mda.run_mda",
        "mda:referral_list",
        _("MDA++ referrals and conferences"),
        _(
            "Decide on referrals of the heaviest cases, weigh them in the core team's "
            "conference and hand the global plan back to the coordinator."
        ),
    ),
    Capability(
        "care.view_cases",
        "care:list",
        _("Cases"),
        _(
            "One household, one plan, one coordinator: the cases you coordinate or are on "
            "the team of, their plan, phases and escalations."
        ),
    ),
    Capability(
        "persons.view_client_data",
        "core:notices",
        _("Signals"),
        _(
            "Overdue actions, evaluations due, escalations, extension decisions of "
            "restraining orders, placements past their end: every deadline that needs you."
        ),
    ),
    Capability(
        "restraining.view_restraining_orders",
        "restraining:list",
        _("Restraining orders"),
        _(
            "Temporary restraining orders: the 10 days, the mayor's extension decision due "
            "around day 8, help, the safety plan and violations."
        ),
    ),
    Capability(
        "persons.view_client_data",
        "persons:list",
        _("Persons and households"),
        _("Find and open the persons and households you are involved with."),
    ),
    Capability(
        "persons.add_person",
        "persons:create",
        _("Register a person"),
        _("Register a person you are involved with; your organisation becomes involved."),
    ),
    Capability(
        "shelter.view_shelter",
        "shelter:overview",
        _("Shelter"),
        _(
            "Beds by type and today's occupancy, placements against the 6-month norm, the "
            "waiting list with waiting times and ambulant trajectories."
        ),
    ),
    Capability(
        "shelter.view_free_capacity",
        "shelter:free_capacity",
        _("Free shelter beds"),
        _("The free beds of the region's shelters today, by type. Numbers only."),
    ),
    Capability(
        "audit.view_access_log",
        "audit:person_log_search",
        _("Who viewed this person's data?"),
        _("The access log per person and period, exportable (NEN 7513)."),
    ),
    Capability(
        "access.review_break_glass",
        "access:review_list",
        _("Review break-glass access"),
        _("Every emergency access is reviewed: justified or not."),
    ),
    Capability(
        "accounts.manage_users",
        "accounts:user_list",
        _("Users and roles"),
        _("Create accounts, give memberships, deactivate accounts."),
    ),
    Capability(
        "accounts.approve_memberships",
        "accounts:membership_approvals",
        _("Memberships awaiting approval"),
        _(
            "A role that sees client data or the access log works only after a second "
            "person approves it: approve or refuse another administrator's request."
        ),
    ),
    Capability(
        "regions.manage_organisations",
        "regions:organisation_list",
        _("Chain partners"),
        _("The organisations of the region, their type and the municipalities they serve."),
    ),
    Capability(
        "regions.view_region",
        "regions:overview",
        _("The region"),
        _("Municipalities, inhabitants, subregions and chain partners. No client data."),
    ),
    Capability(
        "programme.view_budget",
        "programme:budget_list",
        _("Programme budget"),
        _(
            "Income and expenses per year and centrumgemeente by development task, "
            "p.m. entries, the contributions per inhabitant and the balance check."
        ),
    ),
)


def capabilities_for(actor: object) -> list[Capability]:
    has_perm = getattr(actor, "has_perm", None)
    if has_perm is None:
        return []
    return [c for c in CAPABILITIES if has_perm(c.permission)]
