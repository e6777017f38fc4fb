"""In a real browser: a Veilig Thuis professional opens a person page; a policy officer is
refused the same page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from ketenradar.accounts.constants import RoleCode
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import PASSWORD, World

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def test_vt_professional_opens_person_and_policy_officer_is_refused(
    browser: Browser, live_server: Any, world: World
) -> None:
    vt = world.user(RoleCode.VT_PROFESSIONAL, "involved")
    officer = world.user(RoleCode.POLICY_OFFICER, "involved")
    person_url = f"{live_server.url}/personen/{world.person.uuid}/"

    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    _sign_in(page, live_server.url, vt.username)
    page.get_by_role("link", name="Personen").first.click()
    page.get_by_label("Zoek op naam, BSN, geboortedatum (dd-mm-jjjj) of postcode").fill("Jansen")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("link", name="Sanne Jansen").click()
    expect(page.get_by_test_id("person-name")).to_have_text("Sanne Jansen")
    expect(page.get_by_text("111222333")).to_be_visible()
    page.screenshot(path=str(_artifact("person-page.png")))
    context.close()

    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    _sign_in(page, live_server.url, officer.username)
    response = page.goto(person_url)
    assert response is not None and response.status == 403
    expect(page.get_by_test_id("forbidden")).to_be_visible()
    expect(page.get_by_text("111222333")).to_have_count(0)
    page.screenshot(path=str(_artifact("policy-officer-403.png")))
    context.close()

    assert AuditEvent.objects.filter(
        user=vt, action="read", outcome="success", person_id=world.person.pk
    ).exists()
    assert AuditEvent.objects.filter(
        user=officer, action="read", outcome="denied", person_id=world.person.pk
    ).exists()


def _artifact(name: str) -> Any:
    from pathlib import Path

    out = Path("test-results")
    out.mkdir(exist_ok=True)
    return out / name
