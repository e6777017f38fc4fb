"""Categories of Veilig Thuis contacts, as CBS counts them (Beleidsinformatie Veilig Thuis;
MISSION.md section 4)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContactKind(models.TextChoices):
    ADVICE = "advies", _("advice request")
    REPORT = "melding", _("report")


class Channel(models.TextChoices):
    PHONE = "telefoon", _("telephone")
    CHAT = "chat", _("chat")
    WEB_FORM = "webformulier", _("web form")
    POLICE = "politie", _("police")
    OTHER_VT_REGION = "andere_vt_regio", _("Veilig Thuis of another region")


class ReporterCategory(models.TextChoices):
    """CBS 'hoedanigheid melder / adviesvrager'."""

    NON_PROFESSIONAL = "niet_beroepsmatig", _("non-professional")
    HEALTH_CARE = "gezondheidszorg", _("health care (incl. mental health)")
    CHILDCARE = "kinderopvang", _("childcare")
    EDUCATION = "onderwijs", _("education")
    SCHOOL_ATTENDANCE = "bureau_leerplicht", _("school attendance office")
    YOUTH_CARE = "jeugdzorg", _("youth care")
    JUSTICE_SECURITY = "justitie_veiligheid", _("justice and security (police)")
    VT_OTHER_REGION = "vt_andere_regio", _("Veilig Thuis of another region")
    OTHER = "anders", _("other professional")


class ViolenceType(models.TextChoices):
    """CBS 'aard van het geweld'; a contact can carry several."""

    CHILD_ABUSE = "kindermishandeling", _("child abuse")
    VIOLENCE_AGAINST_PARENTS = "geweld_tegen_ouders", _("violence against parents")
    PARTNER_VIOLENCE = "ex_partnergeweld", _("(ex-)partner violence")
    ELDER_ABUSE = "ouderenmishandeling", _("elder abuse (65+)")
    OTHER_DOMESTIC = "huiselijk_geweld_overig", _("other domestic violence")
    OTHER_PROBLEMS = "andere_problematiek", _("other problems")
    NONE = "geen_km_hg", _("no child abuse or domestic violence")
    UNKNOWN = "onbekend", _("unknown")


class PersonRole(models.TextChoices):
    VICTIM = "slachtoffer", _("victim")
    PERPETRATOR = "pleger", _("perpetrator")
    CHILD = "kind", _("child in the household")
    OTHER = "betrokkene", _("other person concerned")


class EarlierInvolvement(models.TextChoices):
    """CBS table 85361NED: a report by the earlier involvement of Veilig Thuis."""

    FIRST = "eerste_melding", _("first report: none of those concerned known")
    REPEAT = "hermelding", _("repeat report: one or more of those concerned known")
    DURING_ASSESSMENT = "vervolg_tijdens_vb", _("follow-up report during the safety assessment")
    AFTER_ASSESSMENT = "vervolg_na_vb", _("follow-up report after the safety assessment")
    DURING_MONITORING = "vervolg_tijdens_monitoring", _("follow-up report during monitoring")


class DossierState(models.TextChoices):
    """The states of a Veilig Thuis dossier (docs/reports.md has the transitions)."""

    ASSESSMENT = "veiligheidsbeoordeling", _("safety assessment")
    CONDITIONS = "voorwaarden_vervolg", _("Voorwaarden & Vervolg")
    INVESTIGATION = "onderzoek", _("investigation")
    CHILD_PROTECTION_BOARD = "raad", _("request to the Child Protection Board")
    MONITORING = "monitoring", _("monitoring")
    CLOSED = "afgesloten", _("closed")


OPEN_STATES_DURING_ASSESSMENT = {DossierState.ASSESSMENT}
OPEN_STATES_AFTER_ASSESSMENT = {
    DossierState.CONDITIONS,
    DossierState.INVESTIGATION,
    DossierState.CHILD_PROTECTION_BOARD,
}


class MeldcodeConclusion(models.TextChoices):
    """Step 5 of the meldcode: decide."""

    ORGANISE_HELP = "hulp_organiseren", _("organise help")
    REPORT = "melden", _("report to Veilig Thuis")
    BOTH = "beide", _("organise help and report")


class AssessmentDecision(models.TextChoices):
    """What Veilig Thuis decides after the safety assessment (Handelingsprotocol 2019)."""

    HANDOVER = "overdracht", _("handover")
    CONDITIONS = "voorwaarden_vervolg", _("Voorwaarden & Vervolg")
    INVESTIGATION = "onderzoek", _("investigation by Veilig Thuis")
    CHILD_PROTECTION_BOARD = "raad", _("request to the Child Protection Board")
    END = "einde_bemoeienis", _("end of involvement")


class InvestigationOutcome(models.TextChoices):
    """Per type of violence (CBS 84853NED)."""

    CONFIRMED = "bevestigd", _("confirmed")
    NOT_CONFIRMED = "niet_bevestigd", _("not confirmed")
    REFUTED = "weerlegd", _("refuted")


# The dossier's state machine: from a state, the states it may move to.
TRANSITIONS: dict[str, set[str]] = {
    DossierState.ASSESSMENT: {
        DossierState.MONITORING,  # after a handover Veilig Thuis monitors
        DossierState.CONDITIONS,
        DossierState.INVESTIGATION,
        DossierState.CHILD_PROTECTION_BOARD,
        DossierState.CLOSED,
    },
    DossierState.CONDITIONS: {DossierState.MONITORING, DossierState.CLOSED},
    DossierState.INVESTIGATION: {
        DossierState.CONDITIONS,
        DossierState.MONITORING,
        DossierState.CHILD_PROTECTION_BOARD,
        DossierState.CLOSED,
    },
    DossierState.CHILD_PROTECTION_BOARD: {DossierState.MONITORING, DossierState.CLOSED},
    DossierState.MONITORING: {DossierState.CLOSED},
    DossierState.CLOSED: set(),
}

DECISION_STATE = {
    AssessmentDecision.HANDOVER: DossierState.MONITORING,
    AssessmentDecision.CONDITIONS: DossierState.CONDITIONS,
    AssessmentDecision.INVESTIGATION: DossierState.INVESTIGATION,
    AssessmentDecision.CHILD_PROTECTION_BOARD: DossierState.CHILD_PROTECTION_BOARD,
    AssessmentDecision.END: DossierState.CLOSED,
}


class TaskKind(models.TextChoices):
    FEEDBACK_AFTER_ASSESSMENT = (
        "terugkoppeling_vb",
        _("feedback to the reporter after the safety assessment"),
    )
    FEEDBACK_AFTER_INVESTIGATION = (
        "terugkoppeling_onderzoek",
        _("feedback to the reporter after the investigation"),
    )
    INFORM_PERSONS = "informeren", _("inform the persons concerned")


class MonitoringOutcome(models.TextChoices):
    SAFE = "veilig", _("safe")
    CONCERNS = "zorgen", _("concerns")
    UNSAFE = "onveilig", _("unsafe: a new action")


class QueueTab(models.TextChoices):
    """The work queue's tabs, in the order a Veilig Thuis team works (the URL's ``tab``)."""

    NEW = "nieuw", _("New contacts")
    ASSESSMENT = "beoordeling", _("Safety assessment")
    INVESTIGATION = "onderzoek", _("Investigation")
    TASKS = "terugkoppeling", _("Feedback and informing")
    MONITORING = "monitoring", _("Monitoring")
    MINE = "mijn", _("My dossiers")


class QueueAssignment(models.TextChoices):
    """The work queue's filter on assignment (the URL's ``toegewezen``)."""

    ANYONE = "", _("any")
    ME = "mij", _("me")
    NOBODY = "niemand", _("nobody")
