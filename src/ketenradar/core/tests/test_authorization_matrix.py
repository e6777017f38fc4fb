"""The authorization matrix: every URL pattern x every role x every relation to the data.

Relations (see ``conftest.World``): ``involved`` (the actor is personally involved with the
person), ``same_org`` (a colleague in the same organisation who is not involved),
``other_org`` (another organisation of the region), ``other_region``.

A URL pattern that is not in ``MATRIX`` fails ``test_every_url_pattern_is_in_the_matrix``:
a new page cannot ship without its authorization being decided here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from ketenradar.access.models import BreakGlassGrant
from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Role
from ketenradar.accounts.roles import load_role_definitions
from ketenradar.audit.constants import AuditAction, AuditOutcome
from ketenradar.audit.models import AuditEvent
from ketenradar.care import services as care_services
from ketenradar.care.constants import TeamMemberKind
from ketenradar.care.views import STEPS as CARE_STEPS
from ketenradar.conftest import RELATIONS, World, login
from ketenradar.core.tests.factories import MembershipFactory, PersonFactory, UserFactory
from ketenradar.mda.models import Conference, ConferenceCase, Referral
from ketenradar.programme.models import Action, Budget, DevelopmentTask
from ketenradar.radar.models import MatchProposal
from ketenradar.regions.models import Subregion, Team
from ketenradar.reports.models import (
    Contact,
    Dossier,
    DossierTask,
    MeldcodeRecord,
    MonitoringMoment,
)
from ketenradar.restraining.models import RestrainingOrder, RestrainingOrderPerson
from ketenradar.shelter.models import AmbulantTrajectory, Facility, Placement, WaitingListEntry

ROLES = [r.value for r in RoleCode]
# The steps on a case page and who may take them (besides its coordinator: "team" means
# the case team's members; the lead's steps are refused to all here, as the lead of the
# coordinating team is not among the test world's users: see care/tests).
CASE_STEPS = list(CARE_STEPS)
CASE_STEP_ROLES = {
    "action_status": ("coordinator", "team"),
    "escalate": ("coordinator", "team"),
    "escalation_resolve": (),
}
PERMS = {code: set(spec["permissions"]) for code, spec in load_role_definitions().items()}


def has(role: str, perm: str) -> bool:
    return perm in PERMS[role]


Expect = Callable[[str, str], int]


def perm(p: str, ok: int = 200) -> Expect:
    return lambda role, rel: ok if has(role, p) else 403


def client_data(ok: int = 200) -> Expect:
    """Client data: the permission and an actual involvement."""
    return lambda role, rel: (
        ok if has(role, "persons.view_client_data") and rel == "involved" else 403
    )


def in_region(p: str, ok: int = 200, outside: int = 404) -> Expect:
    """Region-scoped management: other regions do not see the object (404)."""
    return lambda role, rel: (outside if rel == "other_region" else ok) if has(role, p) else 403


def always(code: int) -> Expect:
    return lambda role, rel: code


def break_glass(role: str, rel: str) -> int:
    if not has(role, "access.use_break_glass"):
        return 403
    return 302 if rel == "involved" else 200  # already involved: straight to the person


def vt_dossier(role: str, rel: str) -> int:
    """Only staff of the dossier's own Veilig Thuis organisation."""
    own = role == RoleCode.VT_PROFESSIONAL and rel in ("involved", "same_org")
    return 200 if own and has(role, "reports.view_vt_work") else 403


def vt_dossier_action(perm_name: str) -> Expect:
    def rule(role: str, rel: str) -> int:
        if not has(role, perm_name):
            return 403
        return 302 if vt_dossier(role, rel) == 200 else 403

    return rule


def vt_contact_form(perm_name: str) -> Expect:
    """A form posted empty on a contact of the VT professionals' Veilig Thuis: the page
    again, with the form's errors, for its own staff holding ``perm_name``."""

    def rule(role: str, rel: str) -> int:
        return vt_dossier(role, rel) if has(role, perm_name) else 403

    return rule


def team_lead_dossier_action(role: str, rel: str) -> int:
    """Assigning a dossier of the team leads' own Veilig Thuis organisation."""
    own = role == RoleCode.VT_TEAM_LEAD and rel in ("involved", "same_org")
    return 302 if own and has(role, "reports.assign_vt_work") else 403


def case_coordinator_only(role: str, rel: str) -> int:
    """The MDA++ referral form of a case: only the user coordinating that case."""
    return 200 if role == RoleCode.CASE_COORDINATOR and rel == "involved" else 403


def mda_own(ok: int = 200, coordinator: bool = False) -> Expect:
    """MDA++ work of the core team's own MDA++ organisation (``coordinator``: the case's
    coordinator sees it too)."""

    def rule(role: str, rel: str) -> int:
        own = role == RoleCode.MDA_CORE_TEAM and rel in ("involved", "same_org")
        if own and has(role, "mda.run_mda"):
            return ok
        if coordinator and case_coordinator_only(role, rel) == 200:
            return ok
        return 403

    return rule


def case_page(ok: int = 200) -> Expect:
    """The case of the case coordinators' team: its coordinator and the chain partner named
    on its team. Nobody else: not a colleague, not another organisation or region."""

    def rule(role: str, rel: str) -> int:
        coordinator = role == RoleCode.CASE_COORDINATOR and rel == "involved"
        partner = role == RoleCode.CHAIN_PARTNER and rel == "involved"
        return ok if has(role, "care.view_cases") and (coordinator or partner) else 403

    return rule


def own_shelter(perm_name: str, ok: int = 200) -> Expect:
    """The shelter work of the shelter intake's own organisation (involved and same_org):
    its other staff and other shelters are refused."""

    def rule(role: str, rel: str) -> int:
        own = rel in ("involved", "same_org") and has(role, perm_name)
        return ok if own and role == RoleCode.SHELTER_INTAKE else 403

    return rule


def case_step(*roles: str) -> Expect:
    """A step posted empty: the case page again with the form's errors (200) for those with
    the step's role in the case."""

    def rule(role: str, rel: str) -> int:
        if case_page()(role, rel) != 200:
            return 403
        coordinator = role == RoleCode.CASE_COORDINATOR
        return (
            200
            if ("coordinator" in roles and coordinator) or ("team" in roles and not coordinator)
            else 403
        )

    return rule


def own_shelter_person(perm_name: str, ok: int = 200) -> Expect:
    """A waiting list entry of the own shelter, whose person the actor must see too."""

    def rule(role: str, rel: str) -> int:
        return ok if own_shelter(perm_name)(role, rel) == 200 and rel == "involved" else 403

    return rule


RESTRAINING_VIEW = "restraining.view_restraining_orders"
RESTRAINING_MANAGE = "restraining.manage_restraining_orders"


def restraining_order(perm_name: str, ok: int = 200) -> Expect:
    """An order recorded by the VT professionals' organisation about the world's person:
    holders of ``perm_name`` who are involved with the person, or who work for the
    recording organisation."""

    def rule(role: str, rel: str) -> int:
        if not has(role, perm_name):
            return 403
        recording = role == RoleCode.VT_PROFESSIONAL and rel in ("involved", "same_org")
        return ok if rel == "involved" or recording else 403

    return rule


def household_of_own_involvement(p: str) -> Expect:
    return lambda role, rel: 200 if has(role, p) and rel == "involved" else 403


def vt_handover(role: str, rel: str) -> int:
    own = role == RoleCode.VT_PROFESSIONAL and rel in ("involved", "same_org")
    return 200 if own and has(role, "care.hand_over_cases") else 403


def restraining_household(role: str, rel: str) -> int:
    """Registering from a household: the right and a visible member."""
    return 200 if has(role, RESTRAINING_MANAGE) and rel == "involved" else 403


# Admin: only functional admins (accounts.use_admin); the rest get 403.
def admin(ok: int, other_region: int | None = None) -> Expect:
    def rule(role: str, rel: str) -> int:
        if not has(role, "accounts.use_admin"):
            return 403
        return other_region if (rel == "other_region" and other_region is not None) else ok

    return rule


@dataclass(frozen=True)
class Case:
    """One URL pattern: what ``method`` answers per role and relation. A page with a form
    (``form``) answers an empty POST too, as ``post`` says (by default as ``expect``: the
    form's errors, or the same refusal). Every other method gets ``refused``: 405 before
    any authorization (``test_matrix_methods``)."""

    expect: Expect
    kwargs: Callable[[dict[str, Any]], dict[str, Any]] = lambda o: {}
    method: str = "get"
    path: str | None = None  # for unnamed patterns
    form: bool = False
    post: Expect | None = None
    refused: int = 405
    api: bool = False  # DRF: answers OPTIONS itself (200, with the API's description)

    def requests(self) -> list[tuple[str, Expect]]:
        """The allowed methods whose answer depends on the role: (method, expectation)."""
        if self.method == "get" and self.form:
            return [("get", self.expect), ("post", self.post or self.expect)]
        return [(self.method, self.expect)]

    def allowed(self) -> set[str]:
        if self.api:
            return {"GET", "HEAD", "OPTIONS"} if self.method == "get" else {"POST", "OPTIONS"}
        if self.method == "get":
            return {"GET", "HEAD", "POST"} if self.form else {"GET", "HEAD"}
        return {self.method.upper()}


def _model_admin_cases(
    model: str, *, view: int, add: int, change: int, delete: int, regional: bool
) -> dict[str, Case]:
    other = 302 if regional else None  # an object outside the region: "does not exist" redirect
    key = lambda o: {"object_id": o[model].pk}  # noqa: E731
    return {
        f"admin:{model}_changelist": Case(admin(view)),
        f"admin:{model}_add": Case(admin(add)),
        f"admin:{model}_change": Case(admin(change, other if change == 200 else None), key),
        f"admin:{model}_history": Case(admin(view, other if view == 200 else None), key),
        f"admin:{model}_delete": Case(admin(delete, other if delete == 200 else None), key),
    }


MATRIX: dict[str, Case] = {
    "core:start": Case(always(200)),
    "core:health_live": Case(always(200)),
    "core:health_ready": Case(always(200)),
    "set_language": Case(always(302), method="post"),
    # accounts
    "accounts:login": Case(always(200), form=True),
    "accounts:logout": Case(always(302), method="post"),
    "accounts:password_reset": Case(always(200), form=True),
    "accounts:password_reset_done": Case(always(200)),
    "accounts:password_reset_confirm": Case(
        always(200), lambda o: {"uidb64": "MQ", "token": "x-y"}, form=True
    ),
    "accounts:password_reset_complete": Case(always(200)),
    "accounts:otp_setup": Case(always(200), form=True),
    "accounts:otp_verify": Case(always(200), form=True),
    "accounts:switch_membership": Case(always(200), form=True),
    "accounts:user_list": Case(perm("accounts.manage_users")),
    "accounts:user_create": Case(perm("accounts.manage_users"), form=True),
    "accounts:user_detail": Case(
        in_region("accounts.manage_users"), lambda o: {"pk": o["managed_user"].pk}, form=True
    ),
    "accounts:membership_approvals": Case(perm("accounts.approve_memberships")),
    # regions
    "regions:overview": Case(perm("regions.view_region")),
    "regions:organisation_list": Case(perm("regions.manage_organisations")),
    "regions:organisation_create": Case(perm("regions.manage_organisations"), form=True),
    "regions:organisation_edit": Case(
        in_region("regions.manage_organisations"), lambda o: {"pk": o["organisation"].pk}, form=True
    ),
    # programme: the budget (aggregates, no client data)
    "programme:budget_list": Case(perm("programme.view_budget")),
    "programme:budget_detail": Case(
        in_region("programme.view_budget"), lambda o: {"pk": o["budget"].pk}
    ),
    "programme:budget_import": Case(perm("programme.manage_budget"), form=True),
    # programme: the implementation programme (no client data)
    "programme:overview": Case(perm("programme.view_programme")),
    "programme:action_detail": Case(
        in_region("programme.view_programme"), lambda o: {"pk": o["action"].pk}
    ),
    "programme:action_create": Case(
        in_region("programme.manage_programme"), lambda o: {"task_pk": o["dev_task"].pk}, form=True
    ),
    "programme:action_edit": Case(
        in_region("programme.manage_programme"), lambda o: {"pk": o["action"].pk}, form=True
    ),
    # posted empty: the form comes back with its errors
    "programme:action_status": Case(
        in_region("programme.manage_programme"), lambda o: {"pk": o["action"].pk}, method="post"
    ),
    "programme:action_note": Case(
        in_region("programme.manage_programme"), lambda o: {"pk": o["action"].pk}, method="post"
    ),
    # the council report: programme data, budget totals and suppressed KPIs (no client data)
    "council_report:html": Case(perm("programme.view_programme")),
    "council_report:pdf": Case(perm("programme.view_programme")),
    # monitor: the KPIs (pseudonymised facts, suppressed figures; no client data)
    "monitor:kpis": Case(perm("regions.view_region")),
    "monitor:export": Case(perm("regions.view_region"), lambda o: {"fmt": "csv"}),
    "monitor:cbs_export": Case(perm("regions.view_region"), lambda o: {"fmt": "xlsx"}),
    # chain care: the case of the case coordinators' team (see case_page)
    "core:notices": Case(always(200)),
    "care:list": Case(perm("care.view_cases")),
    "care:escalations": Case(perm("care.lead_cases")),
    "care:open": Case(
        household_of_own_involvement("care.coordinate_cases"),
        lambda o: {"uuid": o["household"].uuid},
        form=True,
    ),
    "care:handover": Case(vt_handover, lambda o: {"uuid": o["dossier"].uuid}, form=True),
    "care:detail": Case(case_page(), lambda o: {"uuid": o["case"].uuid}),
    **{
        f"care:{step}": Case(
            case_step(*CASE_STEP_ROLES.get(step, ("coordinator",))),
            lambda o: {"uuid": o["case"].uuid},
            method="post",
        )
        for step in CASE_STEPS
    },
    # persons: client data
    "persons:list": Case(perm("persons.view_client_data")),
    "persons:create": Case(perm("persons.add_person"), form=True),
    "persons:detail": Case(client_data(), lambda o: {"uuid": o["person"].uuid}),
    "persons:household": Case(client_data(), lambda o: {"uuid": o["household"].uuid}),
    "persons:print": Case(client_data(), lambda o: {"uuid": o["person"].uuid}),
    "api:person-list": Case(perm("persons.view_client_data"), api=True),
    "api:person-detail": Case(client_data(), lambda o: {"uuid": o["person"].uuid}, api=True),
    # partner systems only: an API key, never a browser session (tested in reports/tests);
    # the key is checked before the method
    "api:police-reports": Case(always(401), method="post", api=True, refused=401),
    # reports: Veilig Thuis's work (the dossier belongs to the VT professionals' organisation)
    "reports:work_queue": Case(perm("reports.view_vt_work")),
    "reports:dossier_detail": Case(vt_dossier, lambda o: {"uuid": o["dossier"].uuid}),
    # Veilig Thuis's intake registers contacts (an empty form to every holder of the right)
    "reports:contact_new": Case(perm("reports.view_reporter_identity"), form=True),
    # an advice request of the VT professionals' Veilig Thuis: its own staff only
    "reports:contact_detail": Case(vt_dossier, lambda o: {"uuid": o["advice"].uuid}),
    "reports:contact_convert": Case(
        vt_contact_form("reports.view_reporter_identity"),
        lambda o: {"uuid": o["advice"].uuid},
        "post",
    ),
    # actions on the dossier (an empty form: refused by the form, answered with a redirect)
    "reports:dossier_assess": Case(
        vt_dossier_action("reports.assess_safety"), lambda o: {"uuid": o["dossier"].uuid}, "post"
    ),
    "reports:investigation_complete": Case(
        vt_dossier_action("reports.assess_safety"), lambda o: {"uuid": o["dossier"].uuid}, "post"
    ),
    "reports:dossier_move": Case(
        vt_dossier_action("reports.assess_safety"), lambda o: {"uuid": o["dossier"].uuid}, "post"
    ),
    # a dossier of the team leads' Veilig Thuis (an empty choice: "nobody", a redirect)
    "reports:dossier_assign": Case(
        team_lead_dossier_action, lambda o: {"uuid": o["lead_dossier"].uuid}, "post"
    ),
    "reports:task_done": Case(
        vt_dossier_action("reports.view_vt_work"),
        lambda o: {"uuid": o["dossier"].uuid, "pk": o["task"].pk},
        "post",
    ),
    "reports:task_extend": Case(
        vt_dossier_action("reports.view_vt_work"),
        lambda o: {"uuid": o["dossier"].uuid, "pk": o["task"].pk},
        "post",
    ),
    "reports:monitoring_done": Case(
        vt_dossier_action("reports.view_vt_work"),
        lambda o: {"uuid": o["dossier"].uuid, "pk": o["moment"].pk},
        "post",
    ),
    # the radar's proposals on the intake screen: intake staff of the contact's own Veilig
    # Thuis decide (an empty reason, or a decision taken already: refused by the service,
    # answered with a redirect); anyone else 403, logged
    **{
        f"reports:match_{step}": Case(
            vt_dossier_action("reports.view_reporter_identity"),
            lambda o: {"uuid": o["proposal_contact"].uuid, "proposal": o["proposal"].uuid},
            "post",
        )
        for step in ("confirm", "reject", "undo")
    },
    # reports: the meldcode assistant (a record is the professional's own; see reports/tests)
    "reports:meldcode_start": Case(perm("reports.use_meldcode")),
    "reports:meldcode_acute": Case(perm("reports.use_meldcode")),
    "reports:meldcode_new": Case(perm("reports.use_meldcode"), form=True),
    # someone else's record: refused to everybody
    "reports:meldcode_detail": Case(always(403), lambda o: {"uuid": o["meldcode"].uuid}),
    "reports:meldcode_submit": Case(
        always(403), lambda o: {"uuid": o["meldcode"].uuid}, method="post"
    ),
    # restraining: the tijdelijk huisverbod (client data, need-to-know on the persons)
    "restraining:list": Case(perm(RESTRAINING_VIEW)),
    "restraining:register_start": Case(perm(RESTRAINING_MANAGE)),
    "restraining:register": Case(
        restraining_household, lambda o: {"household": o["household"].uuid}, form=True
    ),
    "restraining:detail": Case(
        restraining_order(RESTRAINING_VIEW), lambda o: {"uuid": o["restraining_order"].uuid}
    ),
    # posted empty: the form refuses, the answer is a redirect to the order's page
    **{
        f"restraining:{name}": Case(
            restraining_order(RESTRAINING_MANAGE, ok=302),
            lambda o: {"uuid": o["restraining_order"].uuid},
            "post",
        )
        for name in ("extension", "help", "safety_plan", "violation", "status")
    },
    # shelter: the own organisation's lists and forms (other shelters get their own, empty)
    "shelter:overview": Case(perm("shelter.view_shelter")),
    "shelter:occupancy": Case(perm("shelter.view_shelter")),
    "shelter:placements": Case(perm("shelter.view_shelter")),
    "shelter:waiting_list": Case(perm("shelter.view_shelter")),
    "shelter:trajectories": Case(perm("shelter.view_shelter")),
    "shelter:placement_new": Case(perm("shelter.manage_shelter"), form=True),
    "shelter:waiting_new": Case(perm("shelter.manage_shelter"), form=True),
    "shelter:trajectory_new": Case(perm("shelter.manage_shelter"), form=True),
    # the region's free beds: counts only
    "shelter:free_capacity": Case(perm("shelter.view_free_capacity")),
    # a placement of the shelter intake's own organisation (the name follows need-to-know)
    "shelter:placement_detail": Case(
        own_shelter("shelter.view_shelter"), lambda o: {"uuid": o["placement"].uuid}
    ),
    # posted empty: the form's refusal, answered with a redirect
    "shelter:placement_end": Case(
        own_shelter("shelter.manage_shelter", 302), lambda o: {"uuid": o["placement"].uuid}, "post"
    ),
    "shelter:trajectory_end": Case(
        own_shelter("shelter.manage_shelter", 302),
        lambda o: {"uuid": o["trajectory"].uuid},
        "post",
    ),
    # a waiting list entry: the own shelter's, and only who may see the person
    "shelter:waiting_place": Case(
        own_shelter_person("shelter.manage_shelter"),
        lambda o: {"uuid": o["waiting"].uuid},
        form=True,
    ),
    "shelter:waiting_withdraw": Case(
        own_shelter_person("shelter.manage_shelter", 302),
        lambda o: {"uuid": o["waiting"].uuid},
        "post",
    ),
    # MDA++: the referral and conference belong to the MDA++ core team's home organisation;
    # the case is coordinated by the case coordinator of the 'involved' relation
    "mda:referral_list": Case(perm("mda.run_mda")),
    "mda:refer": Case(
        case_coordinator_only, lambda o: {"case_uuid": o["mda_case"].uuid}, form=True
    ),
    "mda:referral_detail": Case(
        mda_own(coordinator=True), lambda o: {"uuid": o["mda_referral"].uuid}
    ),
    # posted empty or in the wrong status: refused by the form or the service, a redirect
    "mda:referral_accept": Case(
        mda_own(302), lambda o: {"uuid": o["mda_referral"].uuid}, method="post"
    ),
    "mda:referral_decline": Case(
        mda_own(302), lambda o: {"uuid": o["mda_referral"].uuid}, method="post"
    ),
    "mda:hand_back": Case(mda_own(302), lambda o: {"uuid": o["mda_referral"].uuid}, method="post"),
    "mda:conference_list": Case(perm("mda.run_mda")),
    "mda:conference_plan": Case(perm("mda.run_mda"), form=True),
    "mda:conference_detail": Case(mda_own(), lambda o: {"uuid": o["mda_conference"].uuid}),
    "mda:conference_hold": Case(
        mda_own(302), lambda o: {"uuid": o["mda_conference"].uuid}, method="post"
    ),
    "mda:conference_case_weigh": Case(
        mda_own(302),
        lambda o: {"uuid": o["mda_conference"].uuid, "pk": o["mda_conference_case"].pk},
        method="post",
    ),
    "mda:conference_action_add": Case(
        mda_own(302),
        lambda o: {"uuid": o["mda_conference"].uuid, "pk": o["mda_conference_case"].pk},
        method="post",
    ),
    # access
    "access:break_glass": Case(break_glass, lambda o: {"uuid": o["person"].uuid}, form=True),
    "access:review_list": Case(perm("access.review_break_glass")),
    "access:review": Case(
        in_region("access.review_break_glass", ok=302),
        lambda o: {"pk": o["grant"].pk},
        method="post",
    ),
    # audit: the privacy officer's pages
    "audit:person_log_search": Case(perm("audit.view_access_log")),
    "audit:person_log": Case(perm("audit.view_access_log"), lambda o: {"uuid": o["person"].uuid}),
    "audit:person_log_export": Case(
        perm("audit.export_access_log"), lambda o: {"uuid": o["person"].uuid}
    ),
    "audit:user_log": Case(perm("audit.view_access_log"), lambda o: {"pk": o["managed_user"].pk}),
    # Django admin
    "admin:index": Case(admin(200)),
    "admin:login": Case(always(302)),  # to Ketenradar's own login page
    "admin:logout": Case(admin(302), method="post"),
    "admin:password_change": Case(admin(200)),
    "admin:password_change_done": Case(admin(200)),
    "admin:jsi18n": Case(admin(200)),
    "admin:autocomplete": Case(admin(403)),  # only with a valid field reference
    "admin:app_list": Case(admin(200), lambda o: {"app_label": "regions"}),
    "admin:view_on_site": Case(
        admin(404), lambda o: {"content_type_id": o["ct"].pk, "object_id": o["region"].pk}
    ),
    "admin:route:<path:object_id>/": Case(admin(302), path="/admin/regions/region/{region}/"),
    "admin:route:(?P<url>.*)$": Case(admin(404), path="/admin/does-not-exist/"),
    **_model_admin_cases(
        "regions_region", view=200, add=200, change=200, delete=403, regional=True
    ),
    **_model_admin_cases(
        "regions_subregion", view=200, add=200, change=200, delete=403, regional=True
    ),
    **_model_admin_cases(
        "regions_municipality", view=200, add=200, change=200, delete=403, regional=True
    ),
    **_model_admin_cases(
        "regions_organisation", view=200, add=200, change=200, delete=403, regional=True
    ),
    **_model_admin_cases("regions_team", view=200, add=200, change=200, delete=403, regional=True),
    **_model_admin_cases("accounts_user", view=200, add=200, change=200, delete=403, regional=True),
    **_model_admin_cases(
        "accounts_role", view=200, add=403, change=200, delete=403, regional=False
    ),
    **_model_admin_cases(
        "axes_accessattempt", view=200, add=403, change=200, delete=200, regional=False
    ),
    **_model_admin_cases(
        "axes_accesslog", view=403, add=403, change=403, delete=403, regional=False
    ),
    **_model_admin_cases(
        "axes_accessfailurelog", view=403, add=403, change=403, delete=403, regional=False
    ),
}


def walk_url_patterns(resolver: URLResolver, ns: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            found += walk_url_patterns(p, f"{ns}{p.namespace}:" if p.namespace else ns)
        elif p.name:
            found.append((f"{ns}{p.name}", p))
        else:
            found.append((f"{ns}route:{p.pattern}", p))
    return found


def test_every_url_pattern_is_in_the_matrix() -> None:
    patterns = {key for key, _ in walk_url_patterns(get_resolver())}
    missing = sorted(patterns - MATRIX.keys())
    stale = sorted(MATRIX.keys() - patterns)
    assert not missing, f"URL patterns without an authorization decision: {missing}"
    assert not stale, f"Matrix entries for URL patterns that no longer exist: {stale}"


def _objects(world: World) -> dict[str, Any]:
    home_org = world.org(RoleCode.FUNCTIONAL_ADMIN, "involved")
    subregion = Subregion.objects.create(region=world.region, name="DWO")
    team = Team.objects.create(organisation=home_org, name="Team Zuid")
    # A colleague at Veilig Thuis of the home region: the managed account, and the owner of
    # a break-glass access awaiting review.
    vt = UserFactory(username="vt.colleague")
    membership = MembershipFactory(
        user=vt, organisation=world.org(RoleCode.VT_PROFESSIONAL, "involved")
    )
    managed_user = vt
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        user=vt,
        membership=membership,
        person=world.person,
        reason="Acute melding politie, nacht",
        created_at=now,
        expires_at=now + dt.timedelta(hours=24),
    )
    attempt = AccessAttempt.objects.create(
        username="x", ip_address="127.0.0.1", user_agent="t", failures_since_start=1
    )
    access_log = AccessLog.objects.create(username="x", ip_address="127.0.0.1", user_agent="t")
    failure = AccessFailureLog.objects.create(username="x", ip_address="127.0.0.1", user_agent="t")
    dossier = Dossier.objects.create(
        organisation=world.org(RoleCode.VT_PROFESSIONAL, "involved"),
        opened_at=timezone.now(),
        assessment_due=timezone.now(),
    )
    proposal_contact = Contact.objects.create(
        kind="melding",
        organisation=dossier.organisation,
        channel="politie",
        reporter_category="justitie_veiligheid",
        received_at=now,
        earlier_involvement="eerste_melding",
        dossier=dossier,
    )
    # two persons of their own: a confirmed merge does not touch the world's person
    proposal = MatchProposal.objects.create(
        organisation=dossier.organisation,
        source_type="reports.contact",
        source_id=proposal_contact.uuid.hex,
        person=PersonFactory(surname="Janssen"),
        candidate=PersonFactory(surname="Jansen"),
        probability=0.7,
        band="mogelijk",
        status="voorgesteld",
    )
    restraining_order = RestrainingOrder.objects.create(
        region=world.region,
        municipality=world.region.municipalities.first(),
        imposed_at=now,
        imposed_by_capacity="burgemeester",
        imposed_by_name="Burgemeester",
        rihg_outcome="geen_delict_ernstige_dreiging",
        ends_at=now + dt.timedelta(days=10),
        recording_organisation=world.org(RoleCode.VT_PROFESSIONAL, "involved"),
        created_at=now,
    )
    RestrainingOrderPerson.objects.create(
        order=restraining_order, person=world.person, role="uithuisgeplaatste"
    )
    dev_task = DevelopmentTask.objects.create(
        region=world.region, code="monitoring", title="Monitoring", order=5
    )
    case = _case(world)
    # Shelter work of the shelter intake's organisation, made directly (the services would
    # involve the whole organisation with the person).
    facility = Facility.objects.create(
        organisation=world.org(RoleCode.SHELTER_INTAKE, "involved"),
        municipality=world.region.municipalities.first(),
        name="Opvang Zuid",
    )
    placement = Placement.objects.create(
        facility=facility,
        person=world.person,
        bed_type="regulier",
        start_date=dt.date(2026, 6, 1),
        planned_end=dt.date(2026, 12, 1),
    )
    mda = _mda_objects(world, now, case)
    return {
        **mda,
        "case": case,
        "placement": placement,
        "waiting": WaitingListEntry.objects.create(
            organisation=facility.organisation,
            person=world.person,
            bed_type="gezin",
            registered_on=dt.date(2026, 11, 1),
        ),
        "trajectory": AmbulantTrajectory.objects.create(
            organisation=facility.organisation,
            person=world.person,
            kind="ambulant_6_weken",
            start_date=dt.date(2026, 11, 1),
            planned_end=dt.date(2026, 12, 13),
        ),
        "dev_task": dev_task,
        "restraining_order": restraining_order,
        "action": Action.objects.create(
            task=dev_task,
            title="Monitor ketensamenwerking",
            owner=home_org,
            owner_role="trekker",
            funding="duvo",
            created_at=now,
            updated_at=now,
        ),
        "person": world.person,
        "household": world.household,
        "region": world.region,
        "regions_region": world.region,
        "regions_subregion": subregion,
        "regions_municipality": world.region.municipalities.first(),
        "regions_organisation": home_org,
        "organisation": home_org,
        "regions_team": team,
        "accounts_user": managed_user,
        "managed_user": managed_user,
        "accounts_role": Role.objects.get(code="vt_professional"),
        "axes_accessattempt": attempt,
        "axes_accesslog": access_log,
        "axes_accessfailurelog": failure,
        "grant": grant,
        "ct": ContentType.objects.get_for_model(type(world.region)),
        "dossier": dossier,
        "proposal": proposal,
        "proposal_contact": proposal_contact,
        "budget": Budget.objects.create(
            region=world.region,
            name="DUVO 2019-2022",
            first_year=2019,
            last_year=2022,
            imported_at=now,
        ),
        "task": DossierTask.objects.create(
            dossier=dossier,
            contact=Contact.objects.create(
                kind="melding",
                organisation=dossier.organisation,
                channel="telefoon",
                reporter_category="onderwijs",
                received_at=timezone.now(),
                earlier_involvement="eerste_melding",
                dossier=dossier,
            ),
            kind="informeren",
            due_at=timezone.now(),
        ),
        "moment": MonitoringMoment.objects.create(dossier=dossier, months=3, due_at=timezone.now()),
        "lead_dossier": Dossier.objects.create(
            organisation=world.org(RoleCode.VT_TEAM_LEAD, "involved"),
            opened_at=timezone.now(),
            assessment_due=timezone.now(),
        ),
        "advice": Contact.objects.create(
            kind="advies",
            organisation=dossier.organisation,
            channel="telefoon",
            reporter_category="niet_beroepsmatig",
            received_at=timezone.now(),
        ),
        "meldcode": MeldcodeRecord.objects.create(
            professional=vt,
            organisation=home_org,
            signals="Blauwe plekken",
            signals_date=dt.date(2026, 11, 2),
            suspicion=True,
            acute_unsafety=False,
            structural_unsafety=True,
            conclusion="melden",
        ),
    }


def _mda_objects(world: World, now: dt.datetime, case: Any) -> dict[str, Any]:
    """The case (coordinated by the case coordinator 'involved') referred to the MDA++ core
    team's home organisation and on the agenda of its conference."""
    mda_member = world.user(RoleCode.MDA_CORE_TEAM, "involved")
    mda_org = world.org(RoleCode.MDA_CORE_TEAM, "involved")
    referral = Referral.objects.create(
        case=case,
        mda_organisation=mda_org,
        referred_at=now,
        referred_by=case.coordinator,
        question="Structureel onveilig ondanks hulp",
        status="in_behandeling",
    )
    conference = Conference.objects.create(
        mda_organisation=mda_org, planned_at=now, created_at=now, created_by=mda_member
    )
    return {
        "mda_case": case,
        "mda_referral": referral,
        "mda_conference": conference,
        "mda_conference_case": ConferenceCase.objects.create(
            conference=conference, referral=referral
        ),
    }


def _case(world: World) -> Any:
    """A case coordinated by the case coordinator ('involved') of the home local team, with
    the chain partner ('involved') named on its team. (An organisation-wide team member
    would make the person visible to its colleagues and change the person pages' rows; the
    care tests cover those.)"""
    system = Actor.system("system:test")
    municipality = world.region.municipalities.first()
    case = care_services.case_open(
        actor=system,
        household=world.household,
        municipality=municipality,
        coordinator_organisation=world.org(RoleCode.CASE_COORDINATOR, "involved"),
        coordinator=world.user(RoleCode.CASE_COORDINATOR, "involved"),
    )
    care_services.team_member_join(
        actor=system,
        case=case,
        organisation=world.org(RoleCode.CHAIN_PARTNER, "involved"),
        user=world.user(RoleCode.CHAIN_PARTNER, "involved"),
        kind=TeamMemberKind.TEAM,
        purpose="Behandeling van de vader",
    )
    return case


def _url(name: str, case: Case, objects: dict[str, Any]) -> str:
    if case.path is not None:
        return case.path.format(region=objects["region"].pk)
    return reverse(name, kwargs=case.kwargs(objects))


def _denied_as_read(response: Any) -> list[str]:
    """The refusals of this request logged as a read (a refused write is logged as the
    write it attempted)."""
    request_id = response.get("X-Request-ID")
    return list(
        AuditEvent.objects.filter(
            request_id=request_id, outcome=AuditOutcome.DENIED, action=AuditAction.READ
        ).values_list("object_type", flat=True)
    )


@pytest.mark.parametrize("role", ROLES)
def test_matrix(role: str, world: World, client: Any) -> None:
    """One test per role: every URL pattern x every relation x every method whose answer
    depends on the role, all failures reported. A refused POST must not be logged as a
    read."""
    objects = _objects(world)
    failures = []
    for relation in RELATIONS:
        client.logout()
        login(client, world.user(role, relation))
        for name, case in sorted(MATRIX.items()):
            url = _url(name, case, objects)
            for method, expect in case.requests():
                response = getattr(client, method)(url)
                expected = expect(role, relation)
                got = response.status_code
                if got != expected:
                    failures.append(
                        f"{relation}: {method.upper()} {url} ({name}) -> {got}, want {expected}"
                    )
                if method == "post" and got == 403 and (read := _denied_as_read(response)):
                    failures.append(
                        f"{relation}: POST {url} ({name}) refused, logged as read: {read}"
                    )
            if name in {"accounts:logout", "admin:logout"}:
                login(client, world.user(role, relation))
    assert not failures, "\n".join(failures)


# Methods no URL answers besides those it lists (GET, HEAD, POST): checked once per URL,
# with one role, as the method is refused before any authorization.
UNLISTED = ("put", "patch", "delete", "trace", "options")
PAGE_METHODS = {"GET", "HEAD", "POST"}


def _allow(response: Any) -> set[str]:
    return {m.strip() for m in response.get("Allow", "").split(",") if m.strip()}


def _method_checker(case: Case) -> str:
    """A role the URL lets in (so that a view deciding on the method after authorization,
    like DRF's, is still caught); a URL that lets nobody in is checked as any role."""
    return next((r for r in ROLES if case.expect(r, "involved") not in (401, 403)), ROLES[0])


def test_matrix_methods(world: World, client: Any) -> None:
    """Every URL pattern x every method it does not list: 405 with an Allow header naming
    the methods it does list. HEAD answers as GET."""
    objects = _objects(world)
    failures = []
    by_role: dict[str, list[tuple[str, Case]]] = {}
    for name, case in sorted(MATRIX.items()):
        by_role.setdefault(_method_checker(case), []).append((name, case))
    for role, cases in sorted(by_role.items()):
        client.logout()
        login(client, world.user(role, "involved"))
        for name, case in cases:
            url = _url(name, case, objects)
            methods = [
                m for m in UNLISTED if m.upper() not in case.allowed() or case.refused != 405
            ]
            for method in methods:
                response = client.generic(method.upper(), url)
                got = response.status_code
                if got != case.refused:
                    failures.append(f"{role}: {method.upper()} {url} ({name}) -> {got}")
                elif got == 405 and not (
                    case.allowed() <= _allow(response) <= case.allowed() | PAGE_METHODS
                ):
                    failures.append(f"{method.upper()} {url} ({name}): Allow {response['Allow']}")
            if "HEAD" in case.allowed():
                got = client.head(url).status_code
                if got != case.expect(role, "involved"):
                    failures.append(f"{role}: HEAD {url} ({name}) -> {got}")
            if name in {"accounts:logout", "admin:logout"}:
                login(client, world.user(role, "involved"))
    assert not failures, "\n".join(failures)
