"""In a real browser, the whole Veilig Thuis path, from the first signal to monitoring.

A police report about a child opens a dossier. A teacher walks through the meldcode and
reports the same child: a follow-up report in that dossier. Veilig Thuis intake sees it in
the work queue; an assessor decides Voorwaarden & Vervolg within the deadline, gives feedback
to both reporters and starts monitoring. Three months later the monitoring moment is due.
The teacher sees the feedback meant for them, and nothing of the police officer."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from django.utils import timezone

import pytest
import time_machine
from playwright.sync_api import Browser, BrowserContext, Page, expect

from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Role, User
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import PASSWORD, World
from ketenradar.core.tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from ketenradar.persons.matching import ReportedPerson
from ketenradar.regions.constants import OrganisationType
from ketenradar.regions.models import Organisation
from ketenradar.reports import services
from ketenradar.reports.constants import (
    AssessmentDecision,
    Channel,
    ContactKind,
    DossierState,
    EarlierInvolvement,
    PersonRole,
    ReporterCategory,
    TaskKind,
    ViolenceType,
)
from ketenradar.reports.models import (
    DossierTask,
    MeldcodeRecord,
    MonitoringMoment,
    SafetyAssessment,
)
from ketenradar.reports.tests.conftest import PoliceChannel, police  # noqa: F401 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BSN = "123456782"  # the child's; passes the 11-proef
OFFICER, OFFICER_UNIT, OFFICER_PHONE = "Agent P. de Boer", "Eenheid Den Haag", "0900-8844"
TEACHER_PHONE = "070-3456789"
TO_TEACHER = "Juf De Vries gebeld: Voorwaarden & Vervolg, de school let op nieuwe signalen."
TO_POLICE = "Wijkagent De Boer gebeld: veiligheidsvoorwaarden afgesproken met beide ouders."


def test_from_a_signal_to_safety(
    browser: Browser,
    live_server: Any,
    world: World,
    police: PoliceChannel,  # noqa: F811 - the fixture imported above
) -> None:
    base = live_server.url
    school = OrganisationFactory(
        region=world.region, name="Basisschool De Regenboog", type=OrganisationType.EDUCATION
    )
    teacher = _member("a.devries", "Anna", "de Vries", school, RoleCode.PROFESSIONAL)
    intake = _member("vt.intake", "Ilse", "Bakker", police.veilig_thuis, RoleCode.VT_INTAKE)
    assessor = _member(
        "vt.beoordelaar", "Bram", "Visser", police.veilig_thuis, RoleCode.VT_PROFESSIONAL
    )

    # 1. Before the browser: the police report about Daan opens a dossier.
    police_report = services.contact_register(
        actor=police.actor,
        kind=ContactKind.REPORT,
        channel=Channel.POLICE,
        reporter_category=ReporterCategory.JUSTICE_SECURITY,
        received_at=timezone.now(),
        persons=[
            (
                ReportedPerson(
                    bsn=BSN,
                    given_names="Daan",
                    surname="Jansen",
                    birth_year=2017,
                    birth_month=5,
                    birth_day=4,
                ),
                PersonRole.CHILD,
            )
        ],
        violence_types=[ViolenceType.CHILD_ABUSE],
        description="Burenmelding: geschreeuw, kind huilend op het balkon.",
        reporter=services.ReporterData(
            name=OFFICER, organisation_name=OFFICER_UNIT, function="wijkagent", phone=OFFICER_PHONE
        ),
    )
    dossier = police_report.dossier
    assert dossier is not None and dossier.state == DossierState.ASSESSMENT
    dossier_name = f"VT-{dossier.pk}"
    dossier_url = f"{base}/veilig-thuis/dossiers/{dossier.uuid}/"

    # 2. The teacher walks through the meldcode and reports Daan to Veilig Thuis.
    context, page = _signed_in(browser, base, teacher)
    _menu(page, "Meldcode")
    expect(page.get_by_role("heading", name="Is iemand nu in gevaar?")).to_be_visible()
    page.get_by_role("link", name="Nee: doorloop de meldcode").click()
    day = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    page.get_by_label("Waargenomen signalen").fill(
        "Daan komt met blauwe plekken op zijn armen op school en is bang om naar huis te gaan."
    )
    page.get_by_label("Signalen vastgelegd op").fill(day)
    page.get_by_label("Collega geraadpleegd").check()
    page.get_by_label("Geraadpleegd op").fill(day)
    page.get_by_label("Wat de consultatie opleverde").fill(
        "Aandachtsfunctionaris: structurele zorgen, melden bij Veilig Thuis."
    )
    page.get_by_label("Gesprek gevoerd").check()
    page.get_by_label("Gesprek op").fill(day)
    page.get_by_label("Het gesprek, of waarom niet").fill(
        "Gesprek met moeder; zij herkent de spanningen thuis."
    )
    _choose(page, "1. Is er een vermoeden van huiselijk geweld of kindermishandeling?", "ja")
    _choose(page, "2a. Is er sprake van acute onveiligheid?", "nee")
    _choose(page, "2b. Is er sprake van structurele onveiligheid?", "ja")
    page.get_by_label("Besluit", exact=True).select_option(label="melden bij Veilig Thuis")
    page.get_by_label("Rol", exact=True).first.select_option(label="kind in het huishouden")
    page.get_by_label("Voornamen", exact=True).first.fill("Daan")
    page.get_by_label("Achternaam", exact=True).first.fill("Jansen")
    page.get_by_label("Geboortedatum", exact=True).first.fill("2017-05-04")
    page.get_by_label("BSN", exact=True).first.fill(BSN)
    page.screenshot(path=str(_artifact("path-1-teacher-meldcode.png")), full_page=True)
    page.get_by_role("button", name="Mijn afweging opslaan").click()

    expect(page.get_by_role("heading", name="Uw meldcode-afweging")).to_be_visible()
    expect(page.get_by_test_id("norms")).to_have_text("1")
    expect(
        page.get_by_role("group", name="Wat wilt u?").get_by_label("melding", exact=True)
    ).to_be_checked()
    page.get_by_role("group", name="Aard van het geweld").get_by_label(
        "kindermishandeling", exact=True
    ).check()
    page.get_by_label("Uw telefoonnummer, voor Veilig Thuis").fill(TEACHER_PHONE)
    page.get_by_label("Wat Veilig Thuis moet weten").fill("Daan zei: papa wordt snel boos.")
    page.get_by_role("button", name="Naar Veilig Thuis sturen").click()
    expect(page.get_by_text("Naar Veilig Thuis gestuurd: melding.")).to_be_visible()
    expect(page.get_by_test_id("sent")).to_contain_text("Naar Veilig Thuis gestuurd als melding")
    expect(page.get_by_test_id("no-feedback")).to_be_visible()
    page.screenshot(path=str(_artifact("path-2-teacher-sent.png")), full_page=True)
    context.close()

    record = MeldcodeRecord.objects.select_related("contact").get(professional=teacher)
    melding = record.contact
    assert melding is not None
    assert melding.channel == Channel.WEB_FORM and melding.kind == ContactKind.REPORT
    assert melding.reporter_category == ReporterCategory.EDUCATION
    assert melding.dossier_id == dossier.pk  # the radar found Daan: same BSN, same person
    assert melding.earlier_involvement == EarlierInvolvement.DURING_ASSESSMENT
    assert {cp.person_id for cp in melding.persons.all()} == {
        cp.person_id for cp in police_report.persons.all()
    }

    # 3. Intake sees the teacher's report, a follow-up report in the police report's dossier.
    context, page = _signed_in(browser, base, intake)
    _menu(page, "Werkvoorraad")
    # the safety assessments first: the most urgent work
    expect(page.get_by_test_id("queue-heading")).to_have_text("Veiligheidsbeoordeling (1)")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=dossier_name))
    expect(row).to_contain_text("Daan Jansen")
    page.screenshot(path=str(_artifact("path-3-intake-work-queue.png")), full_page=True)
    page.get_by_test_id("tab-nieuw").click()
    expect(page.get_by_test_id("queue-heading")).to_have_text(
        "Nieuwe contacten (laatste twee dagen) (2)"
    )
    web = page.get_by_role("row").filter(has_text="melding (webformulier)")
    expect(web).to_contain_text("vervolgmelding tijdens de veiligheidsbeoordeling")
    expect(web.get_by_role("link")).to_have_text(dossier_name)
    expect(page.get_by_role("row").filter(has_text="melding (politie)")).to_contain_text(
        "eerste melding"
    )

    web.get_by_role("link", name=dossier_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{dossier_name} · veiligheidsbeoordeling"
    )
    timeline = page.get_by_test_id("timeline").get_by_role("listitem")
    expect(timeline).to_have_count(2)
    expect(timeline.first).to_contain_text("eerste melding")
    expect(timeline.first.get_by_test_id("reporter")).to_contain_text(OFFICER)
    expect(timeline.last).to_contain_text(
        "melding, webformulier, onderwijs (vervolgmelding tijdens de veiligheidsbeoordeling)"
    )
    expect(timeline.last.get_by_test_id("reporter")).to_contain_text(
        f"Anna de Vries, Basisschool De Regenboog, {TEACHER_PHONE}"
    )
    expect(page.get_by_text("Nog niet besloten.")).to_be_visible()  # intake does not decide
    expect(page.get_by_role("button", name="Besluiten")).to_have_count(0)
    page.screenshot(path=str(_artifact("path-4-intake-dossier.png")), full_page=True)
    context.close()

    # 4. The assessor decides Voorwaarden & Vervolg, gives feedback, starts monitoring.
    context, page = _signed_in(browser, base, assessor)
    _menu(page, "Werkvoorraad")
    page.get_by_role("link", name=dossier_name).first.click()
    _choose(page, "Acute onveiligheid?", "nee")
    page.get_by_label("Onderbouwing (acuut)").fill("Geen direct gevaar: vader slaapt elders.")
    _choose(page, "Structurele onveiligheid?", "ja")
    page.get_by_label("Onderbouwing (structureel)").fill("Politie en school melden hetzelfde.")
    _choose(page, "Schadelijke multiprobleemsituatie?", "nee")
    page.get_by_label("Onderbouwing (multiprobleem)").fill("Geen schulden of verslaving bekend.")
    _choose(page, "Besluit", "Voorwaarden & Vervolg")
    page.get_by_label("Veiligheidsvoorwaarden").fill("Geen fysiek geweld; opvoedhulp aanvaarden.")
    page.screenshot(path=str(_artifact("path-5-assessor-decides.png")), full_page=True)
    page.get_by_role("button", name="Besluiten").click()

    expect(page.get_by_text("Over de veiligheidsbeoordeling is besloten.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{dossier_name} · Voorwaarden & Vervolg"
    )
    expect(page.get_by_test_id("assessment")).to_contain_text("binnen de termijn")
    expect(page.get_by_test_id("assessment")).to_contain_text("opvoedhulp aanvaarden")
    assessment = SafetyAssessment.objects.get(dossier=dossier)
    assert assessment.decision == AssessmentDecision.CONDITIONS
    assert assessment.decided_by == assessor
    assert assessment.within_deadline

    feedback = page.get_by_test_id("task").filter(has_text="terugkoppeling aan de melder")
    expect(feedback).to_have_count(2)  # one per report: the teacher's and the police's
    to_teacher = feedback.filter(has_text="Anna de Vries")
    to_teacher.get_by_label("Wat er is gezegd, aan wie").fill(TO_TEACHER)
    to_teacher.get_by_role("button", name="Vastleggen").click()
    expect(to_teacher).to_contain_text(
        re.compile(rf"gedaan \d\d-\d\d-\d{{4}}: {re.escape(TO_TEACHER)}")
    )
    to_police = feedback.filter(has_text=OFFICER)
    to_police.get_by_label("Wat er is gezegd, aan wie").fill(TO_POLICE)
    to_police.get_by_role("button", name="Vastleggen").click()
    expect(to_police).to_contain_text(
        re.compile(rf"gedaan \d\d-\d\d-\d{{4}}: {re.escape(TO_POLICE)}")
    )

    told = DossierTask.objects.filter(kind=TaskKind.FEEDBACK_AFTER_ASSESSMENT)
    assert told.get(contact=melding).content == TO_TEACHER
    assert told.get(contact=police_report).content == TO_POLICE

    page.get_by_label("Volgende stap").select_option("monitoring")
    page.get_by_role("button", name="Deze stap zetten").click()
    expect(page.get_by_text("Het dossier is een stap verder.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{dossier_name} · monitoring")
    expect(page.get_by_test_id("monitoring-moment")).to_have_count(3)  # 3, 12 and 18 months
    page.screenshot(path=str(_artifact("path-6-assessor-dossier.png")), full_page=True)

    _menu(page, "Werkvoorraad")
    expect(page.get_by_test_id("tab-monitoring")).to_have_text("Monitoring (0)")  # not yet due

    # 5. Three months later the first monitoring moment is due; the session has long ended.
    moment = MonitoringMoment.objects.get(dossier=dossier, months=3)
    with time_machine.travel(moment.due_at + dt.timedelta(days=1), tick=True):
        _menu(page, "Werkvoorraad")
        expect(page).to_have_url(re.compile(r"/account/inloggen/"))
        _sign_in_here(page, assessor)
        expect(page).to_have_url(re.compile(r"/veilig-thuis/werkvoorraad/$"))
        expect(page.get_by_test_id("tab-monitoring")).to_have_text("Monitoring (1)")
        page.get_by_test_id("tab-monitoring").click()
        due = page.get_by_role("row").filter(has_text="na 3 maanden")
        expect(due).to_contain_text(f"{timezone.localtime(moment.due_at):%d-%m-%Y}")
        expect(due.get_by_role("link")).to_have_text(dossier_name)
        expect(page.get_by_text("na 12 maanden")).to_have_count(0)
        page.screenshot(path=str(_artifact("path-7-monitoring-due.png")), full_page=True)
        context.close()

        # 6. The teacher sees Veilig Thuis's feedback to them; never the police officer.
        context, page = _signed_in(browser, base, teacher)
        _menu(page, "Meldcode")
        page.get_by_role("listitem").filter(
            has_text="naar Veilig Thuis gestuurd als melding"
        ).get_by_role("link").click()
        expect(page.get_by_role("heading", name="Uw meldcode-afweging")).to_be_visible()
        expect(page.get_by_test_id("feedback")).to_have_count(1)
        expect(page.get_by_test_id("feedback")).to_contain_text(TO_TEACHER)
        expect(page.get_by_test_id("feedback")).to_contain_text(
            "Terugkoppeling aan de melder na de veiligheidsbeoordeling"
        )
        for secret in (OFFICER, OFFICER_UNIT, OFFICER_PHONE, TO_POLICE):
            expect(page.get_by_text(secret)).to_have_count(0)
            assert secret not in page.content()
        page.screenshot(path=str(_artifact("path-8-teacher-feedback.png")), full_page=True)

        response = page.goto(dossier_url)
        assert response is not None and response.status == 403
        expect(page.get_by_test_id("forbidden")).to_be_visible()
        for secret in (OFFICER, OFFICER_PHONE, TO_POLICE, "Daan"):
            expect(page.get_by_text(secret)).to_have_count(0)
        page.screenshot(path=str(_artifact("path-9-teacher-403.png")), full_page=True)
        context.close()

    assert AuditEvent.objects.filter(
        user=teacher, object_type="reports.dossier", action="read", outcome="denied"
    ).exists()


def _member(username: str, first: str, last: str, org: Organisation, role: str) -> User:
    user = UserFactory(username=username, first_name=first, last_name=last)
    MembershipFactory(user=user, organisation=org, role=Role.objects.get(code=role))
    return user


def _signed_in(browser: Browser, base: str, user: User) -> tuple[BrowserContext, Page]:
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.goto(f"{base}/account/inloggen/")
    _sign_in_here(page, user)
    return context, page


def _sign_in_here(page: Page, user: User) -> None:
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_test_id("current-user")).to_have_text(user.get_full_name())


def _menu(page: Page, item: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=item, exact=True).click()


def _choose(page: Page, question: str, answer: str) -> None:
    """Answer a question asked with radio buttons: the group is named by its question."""
    page.get_by_role("group", name=question, exact=True).get_by_label(answer, exact=True).check()


def _artifact(name: str) -> Path:
    out = Path("test-results")
    out.mkdir(exist_ok=True)
    return out / name
