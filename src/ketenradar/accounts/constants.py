from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleCode(models.TextChoices):
    """The roles of MISSION.md section 2. Their permissions live in roles.json, not in code."""

    PROFESSIONAL = "professional", _("Professional (reporter)")
    VT_INTAKE = "vt_intake", _("Veilig Thuis intake")
    VT_PROFESSIONAL = "vt_professional", _("Veilig Thuis professional")
    VT_TEAM_LEAD = "vt_team_lead", _("Veilig Thuis team lead")
    CASE_COORDINATOR = "case_coordinator", _("Case coordinator")
    LOCAL_TEAM_LEAD = "local_team_lead", _("Local team lead")
    CHAIN_PARTNER = "chain_partner", _("Chain partner")
    MDA_CORE_TEAM = "mda_core_team", _("MDA++ core team")
    SHELTER_INTAKE = "shelter_intake", _("Shelter intake")
    POLICY_OFFICER = "policy_officer", _("Policy officer")
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
    FUNCTIONAL_ADMIN = "functional_admin", _("Functional administrator")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    POLICE_CHANNEL = "police_channel", _("Police bulk channel (system account)")


# Permissions that open client data, the melder's identity, the access log, the police
# channel or account administration itself. A membership whose role holds one of them takes
# effect only after a second admin (or the privacy officer) approves it (separation of
# duties, BIO 6.1.2 / ASVS 8.1: docs/authorization.md "Separation of duties").
SENSITIVE_PERMISSIONS = frozenset(
    {
        "persons.view_client_data",
        "persons.lookup_person_identity",
        "reports.view_reporter_identity",
        "reports.submit_police_reports",
        "audit.view_access_log",
        "audit.export_access_log",
        "access.review_break_glass",
        "accounts.manage_users",
        "accounts.approve_memberships",
    }
)
