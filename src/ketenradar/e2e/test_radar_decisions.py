"""In a real browser, with the radar's real matcher: a new melding with a misspelt name of a
known victim shows her earlier contacts on the assessor's timeline.

Eva Jansen was reported before (that dossier is closed). A new police report names "Eva
Janssen", no BSN, the same date of birth: the radar links her for certain at intake, and the
assessor sees the match with its explanation and her earlier report, and confirms it. A
second report gives only her year of birth: the radar is not sure, a new person is made and
the match is proposed; the assessor confirms it, the new person is merged into Eva and her
earlier contacts appear on that dossier's timeline; undoing the merge takes them off again.

Screens are Dutch; the radar section's own texts are matched by test id (their Dutch
translations are added to the catalogue separately)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Role, User
from ketenradar.conftest import PASSWORD, World
from ketenradar.core.tests.factories import MembershipFactory, UserFactory
from ketenradar.persons.matching import ReportedPerson
from ketenradar.persons.models import Person
from ketenradar.radar.models import MatchProposal
from ketenradar.regions.models import Organisation
from ketenradar.reports import services
from ketenradar.reports.constants import (
    Channel,
    ContactKind,
    DossierState,
    PersonRole,
    ReporterCategory,
    ViolenceType,
)
from ketenradar.reports.models import Contact
from ketenradar.reports.tests.conftest import PoliceChannel, police  # noqa: F401 - fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EVA = {"given_names": "Eva", "birth_year": 1990, "birth_month": 4, "birth_day": 12}
HOME = {"postcode": "2511 BT", "house_number": 12, "street": "Spui", "city": "Den Haag"}


def _police_report(channel: PoliceChannel, reported: ReportedPerson, days_ago: int) -> Contact:
    return services.contact_register(
        actor=channel.actor,
        kind=ContactKind.REPORT,
        channel=Channel.POLICE,
        reporter_category=ReporterCategory.JUSTICE_SECURITY,
        received_at=timezone.now() - dt.timedelta(days=days_ago),
        persons=[(reported, PersonRole.VICTIM)],
        violence_types=[ViolenceType.PARTNER_VIOLENCE],
        description=f"Melding {days_ago} dagen geleden.",
        reporter=services.ReporterData(name="Agent P. de Boer", phone="0900-8844"),
    )


def test_a_misspelt_known_victim_shows_her_earlier_contacts(
    browser: Browser,
    live_server: Any,
    world: World,
    police: PoliceChannel,  # noqa: F811 - the fixture imported above
) -> None:
    assert settings.KETENRADAR_PERSON_MATCHER == "ketenradar.radar.matcher.RadarMatcher"
    base = live_server.url
    assessor = _member("vt.beoordelaar", "Bram", "Visser", police.veilig_thuis)

    # Before the browser: Eva Jansen's earlier report, its dossier closed since.
    earlier = _police_report(police, ReportedPerson(surname="Jansen", **EVA, **HOME), 60)
    assert earlier.dossier is not None
    earlier.dossier.state = DossierState.CLOSED
    earlier.dossier.save()
    eva = earlier.persons.get().person

    # 1. "Janssen", no BSN, the same date of birth: the radar links her at intake.
    melding = _police_report(police, ReportedPerson(surname="Janssen", **EVA), 1)
    assert melding.persons.get().person == eva
    assert melding.dossier is not None and melding.dossier_id != earlier.dossier_id

    context, page = _signed_in(browser, base, assessor)
    page.goto(f"{base}/veilig-thuis/dossiers/{melding.dossier.uuid}/")
    proposal = page.get_by_test_id("match-proposal")
    expect(proposal).to_have_count(1)
    expect(proposal).to_have_attribute("data-band", "zeker")
    expect(proposal).to_have_attribute("data-status", "automatisch")
    expect(proposal.get_by_test_id("match-candidate")).to_have_text("Eva Jansen")
    rows = proposal.get_by_test_id("match-evidence-row")
    expect(rows.filter(has_text="lijkt sterk op")).to_have_count(1)  # Janssen ~ Jansen
    expect(rows.filter(has_text="gelijk").first).to_be_visible()
    expect(proposal.get_by_test_id("match-earlier").get_by_role("listitem")).to_have_count(1)
    expect(proposal.get_by_test_id("match-earlier")).to_contain_text(f"VT-{earlier.dossier_id}")
    page.screenshot(path=str(_artifact("radar-1-zeker-proposal.png")), full_page=True)
    proposal.get_by_test_id("match-confirm").click()
    expect(page.get_by_test_id("match-proposal")).to_have_attribute("data-status", "bevestigd")
    timeline = page.get_by_test_id("timeline").get_by_role("listitem")
    expect(timeline).to_have_count(2)
    expect(timeline.first).to_contain_text("Melding 60 dagen geleden.")
    expect(timeline.first).to_contain_text(f"VT-{earlier.dossier_id}")
    expect(timeline.last).to_contain_text("hermelding")

    # 2. Only her year of birth: the radar is not sure; a new person waits for review.
    partial = _police_report(
        police, ReportedPerson(surname="Janssen", given_names="Eva", birth_year=1990), 0
    )
    new = partial.persons.get().person
    assert new != eva
    assert partial.dossier is not None
    page.goto(f"{base}/veilig-thuis/dossiers/{partial.dossier.uuid}/")
    timeline = page.get_by_test_id("timeline").get_by_role("listitem")
    expect(timeline).to_have_count(1)
    proposal = page.get_by_test_id("match-proposal")
    expect(proposal).to_have_attribute("data-band", "mogelijk")
    expect(proposal).to_have_attribute("data-status", "voorgesteld")
    expect(proposal.get_by_test_id("match-probability")).to_have_text(re.compile(r"^\d+%$"))
    expect(proposal.get_by_test_id("match-earlier").get_by_role("listitem")).to_have_count(2)
    page.screenshot(path=str(_artifact("radar-2-mogelijk-proposal.png")), full_page=True)
    proposal.get_by_test_id("match-confirm").click()

    expect(page.get_by_test_id("match-proposal")).to_have_attribute("data-status", "bevestigd")
    expect(timeline).to_have_count(3)
    expect(timeline.first).to_contain_text("Melding 60 dagen geleden.")
    expect(page.get_by_test_id("timeline")).to_contain_text("Eva Jansen")
    page.screenshot(path=str(_artifact("radar-3-merged-timeline.png")), full_page=True)
    new.refresh_from_db()
    assert new.merged_into_id == eva.pk
    assert not Person.objects.filter(pk=new.pk, merged_into__isnull=True).exists()

    # 3. Undo: the persons are apart again, and so are their timelines.
    page.get_by_test_id("match-undo").click()
    expect(page.get_by_test_id("match-proposal")).to_have_attribute("data-status", "ongedaan")
    expect(timeline).to_have_count(1)
    new.refresh_from_db()
    assert new.merged_into_id is None
    assert MatchProposal.objects.get(source_id=partial.uuid.hex).status == "ongedaan"
    context.close()


def _member(username: str, first: str, last: str, org: Organisation) -> User:
    user = UserFactory(username=username, first_name=first, last_name=last)
    MembershipFactory(
        user=user, organisation=org, role=Role.objects.get(code=RoleCode.VT_PROFESSIONAL)
    )
    return user


def _signed_in(browser: Browser, base: str, user: User) -> tuple[BrowserContext, Page]:
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.goto(f"{base}/account/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(user.username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_test_id("current-user")).to_have_text(user.get_full_name())
    return context, page


def _artifact(name: str) -> Path:
    out = Path("test-results")
    out.mkdir(exist_ok=True)
    return out / name
