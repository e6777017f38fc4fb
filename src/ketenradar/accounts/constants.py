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
