"""In a real browser: a local team's coordinator opens a household's case, puts a mental
health professional on the case team and takes the case through the three phases; the
partner on the team sees it, a professional of another organisation gets 403 and the
refusal is in the access log."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from ketenradar.audit.models import AuditEvent
from ketenradar.care.models import Case
from ketenradar.care.tests.conftest import CareWorld, care_world  # noqa: F401 - the fixture
from ketenradar.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def _step(page: Page, name: str, summary: str) -> Any:
    """Open a step's panel on the case page and return its form."""
    page.locator(f"#{name} > summary").filter(has_text=summary).click()
    return page.get_by_test_id(f"step-{name}")


def _submit(form: Any) -> None:
    form.locator("button[type=submit]").click()


def test_a_case_through_three_phases_seen_by_its_team_only(
    browser: Browser,
    live_server: Any,
    care_world: CareWorld,  # noqa: F811
) -> None:
    w = care_world
    base = live_server.url
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    _sign_in(page, base, "regisseur")

    # the coordinator opens the household's case from the household page
    page.goto(f"{base}/personen/huishouden/{w.household.uuid}/")
    page.get_by_test_id("case-open").click()
    page.get_by_label("Gemeente").select_option(label="Delft")
    page.get_by_role("button", name="Casus openen").click()
    expect(page.get_by_test_id("phase")).to_have_text("1 directe veiligheid")
    case = Case.objects.get()

    # the mental health professional joins the case team, named
    form = _step(page, "team_add", "Toevoegen aan het casusteam")
    form.get_by_label("Organisatie").select_option(label="GGZ Delfland")
    form.get_by_label("Benoemde professional").select_option(value=str(w.users["partner"].pk))
    form.get_by_label("Doel").fill("Behandeling verslaving van vader")
    _submit(form)
    expect(page.get_by_test_id("team")).to_contain_text("GGZ Delfland")

    # phase 1: a goal, an approved plan, direct safety reached
    form = _step(page, "goal_add", "Doel toevoegen")
    form.get_by_label("Fase").select_option(label="1 directe veiligheid")
    form.get_by_label("Doel").fill("Geen geweld meer in huis")
    _submit(form)
    form = _step(page, "plan_approve", "Plan vaststellen")
    form.get_by_label("Ik stel het plan vast zoals het nu is.").check()
    _submit(form)
    form = _step(page, "goal_status", "Status van een doel wijzigen")
    form.get_by_label("Doel").select_option(label="Geen geweld meer in huis")
    form.get_by_label("Status").select_option(label="bereikt")
    _submit(form)
    form = _step(page, "safety", "Oordeel over de veiligheid vastleggen")
    form.get_by_label("Veiligheid").select_option(label="directe veiligheid bereikt")
    form.get_by_label("Toelichting").fill("Vader woont tijdelijk bij zijn broer; geen incidenten.")
    _submit(form)
    form = _step(page, "phase", "Fase wijzigen")
    form.get_by_label("Naar fase").select_option(
        label="2 stabiele veiligheid (risicogestuurde zorg)"
    )
    _submit(form)
    expect(page.get_by_test_id("phase")).to_have_text(
        "2 stabiele veiligheid (risicogestuurde zorg)"
    )

    # phase 2 to 3: trying too early is refused with the reason, then the preconditions
    form = _step(page, "phase", "Fase wijzigen")
    form.get_by_label("Naar fase").select_option(label="3 herstel")
    _submit(form)
    expect(page.get_by_test_id("step-phase")).to_contain_text(
        "Er is niet vastgelegd dat stabiele veiligheid is bereikt."
    )
    form = page.get_by_test_id("step-analysis")
    page.locator("#analysis > summary").click()
    form.get_by_label("schulden").check()
    form.get_by_label("verslaving").check()
    form.get_by_label("Beschermende factoren").fill("Betrokken grootouders")
    form.get_by_label("Eigen netwerk van het huishouden").fill("Zus van moeder")
    form.get_by_label("Hoe het geweld ontstaat").fill("Drank en geldzorgen lopen op tot ruzie.")
    _submit(form)
    expect(page.get_by_test_id("analysis")).to_contain_text("Betrokken grootouders")
    form = _step(page, "safety", "Oordeel over de veiligheid vastleggen")
    form.get_by_label("Veiligheid").select_option(label="stabiele veiligheid bereikt")
    form.get_by_label("Toelichting").fill("Drie maanden zonder incident; vader in behandeling.")
    _submit(form)
    form = _step(page, "phase", "Fase wijzigen")
    form.get_by_label("Naar fase").select_option(label="3 herstel")
    _submit(form)
    expect(page.get_by_test_id("phase")).to_have_text("3 herstel")
    expect(page.get_by_test_id("phase-history").locator("li")).to_have_count(3)
    page.screenshot(path=str(_artifact("case-phase-3.png")), full_page=True)
    context.close()

    # the partner on the team sees the case on their list and opens it
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    _sign_in(page, base, "ggz")
    page.get_by_role("link", name="Casussen").first.click()
    page.get_by_test_id("on-team").get_by_role("link", name=case.reference).click()
    expect(page.get_by_test_id("phase")).to_have_text("3 herstel")
    expect(page.get_by_test_id("step-goal_add")).to_have_count(0)  # not the coordinator
    context.close()

    # a professional of another organisation: 403, and the refusal is logged
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    _sign_in(page, base, "reclassering")
    response = page.goto(f"{base}/casussen/{case.uuid}/")
    assert response is not None and response.status == 403
    expect(page.get_by_test_id("forbidden")).to_be_visible()
    expect(page.get_by_text("Huishouden Smit")).to_have_count(0)
    context.close()

    denied = AuditEvent.objects.filter(
        username="reclassering", object_type="care.case", object_id=case.uuid.hex, outcome="denied"
    )
    assert set(denied.values_list("person_id", flat=True)) == {
        w.mother.pk,
        w.father.pk,
        w.child.pk,
    }
    assert AuditEvent.objects.filter(
        username="ggz", object_type="care.case", action="read", outcome="success"
    ).exists()


def _artifact(name: str) -> Any:
    from pathlib import Path

    out = Path("test-results")
    out.mkdir(exist_ok=True)
    return out / name
