"""Everything a policy officer can reach in the demo, pages and downloads, holds no personal
data: a breadth-first walk over every same-site link from the start page (GET only), with
each response searched for the names, BSNs, postcodes, streets and dates of birth of the
demo's persons and for the contacts' descriptions and reporters."""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import io
import re
from collections import deque
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import Membership, User
from ketenradar.care import models as care
from ketenradar.conftest import login
from ketenradar.mda import models as mda
from ketenradar.monitor.models import (
    CaseFact,
    MdaReferralFact,
    PlacementFact,
    RestrainingOrderFact,
    TraumaScreeningFact,
)
from ketenradar.monitor.services import facts_refresh
from ketenradar.persons.models import Address, Person
from ketenradar.regions.models import Municipality, Organisation, Subregion
from ketenradar.reports.models import Contact, Reporter
from ketenradar.restraining import models as restraining
from ketenradar.shelter import models as shelter

# Free text of the chain care: case purposes, analyses, plans, conference notes, restraining
# order notes and safety plans, and the shelters' (confidential) addresses.
CHAIN_CARE_TEXT: list[tuple[Any, tuple[str, ...]]] = [
    (care.Case, ("close_note",)),
    (care.Coordination, ("reason",)),
    (care.TeamMember, ("purpose",)),
    (care.PhaseChange, ("reason",)),
    (care.SafetyCheck, ("note",)),
    (care.SafetyCondition, ("text",)),
    (care.Analysis, ("protective_factors", "network", "explanation")),
    (care.Goal, ("description",)),
    (care.PlanAction, ("description",)),
    (care.PlanVersion, ("note",)),
    (care.Evaluation, ("summary",)),
    (care.Escalation, ("note", "resolution")),
    (care.TraumaScreening, ("referral",)),
    (care.HelpRefusal, ("what_refused", "next_step")),
    (mda.Referral, ("question", "decline_reason", "structural_unsafety_motivation")),
    (mda.Conference, ("participants",)),
    (mda.ConferenceCase, ("risk_factors", "protective_factors", "global_plan")),
    (mda.ConferenceAction, ("description", "owner_name")),
    (restraining.RestrainingOrder, ("imposed_by_name", "rihg_note", "status_note")),
    (restraining.ExtensionDecision, ("decided_by_name",)),
    (restraining.HelpStarted, ("note",)),
    (restraining.SafetyPlan, ("summary",)),
    (restraining.Violation, ("description",)),
    (shelter.Facility, ("street", "postcode")),
]

MAX_RESPONSES = 400
HREF = re.compile(r'href="([^"]+)"')


def _text(response: Any) -> str:
    """The response as text; a workbook as the values of its cells."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = load_workbook(io.BytesIO(body))
        return "\n".join(
            "\t".join("" if v is None else str(v) for v in row)
            for ws in book
            for row in ws.iter_rows(values_only=True)
        )
    return body.decode("utf-8", errors="replace")


def _forbidden() -> dict[str, str]:
    """What must not occur, each with what it is (for the failure message)."""
    staff = {f"{u.first_name} {u.last_name}" for u in User.objects.all()}
    staff_surnames = {u.last_name for u in User.objects.all()}
    public = " ".join(
        [
            *Municipality.objects.values_list("name", flat=True),
            *Subregion.objects.values_list("name", flat=True),
            *Organisation.objects.values_list("name", flat=True),
        ]
    )
    recent = timezone.localdate() - dt.timedelta(days=4 * 366)
    found: dict[str, str] = {}
    for p in Person.objects.all():
        surname = " ".join(s for s in (p.surname_prefix, p.surname) if s)
        if p.given_names and surname:
            found[f"{p.given_names} {surname}"] = "full name"
            found[f"{p.given_names.split()[0]} {p.surname}"] = "full name"
        if (
            len(p.surname) >= 6
            and p.surname not in staff_surnames
            and p.surname not in public
            and Person.objects.filter(surname=p.surname).count() <= 3
        ):
            found[p.surname] = "distinctive surname"
        if p.bsn:
            found[p.bsn] = "BSN"
        if p.birth_year and p.birth_month and p.birth_day:
            born = dt.date(p.birth_year, p.birth_month, p.birth_day)
            # a birth in the last years could be a day of a period the monitor shows
            if born < recent:
                found[born.isoformat()] = "date of birth"
                found[born.strftime("%d-%m-%Y")] = "date of birth"
    for a in Address.objects.all():
        found[a.postcode] = "postcode"
        found[f"{a.postcode[:4]} {a.postcode[4:]}"] = "postcode"
        found[a.street] = "street"
    for description in Contact.objects.exclude(description="").values_list(
        "description", flat=True
    ):
        found[description[:60]] = "contact description"
    for r in Reporter.objects.all():
        if r.name and r.name not in staff:
            found[r.name] = "reporter name"
        if r.phone:
            found[r.phone] = "reporter phone"
    for model, fields in CHAIN_CARE_TEXT:
        for field in fields:
            for text in model.objects.exclude(**{field: ""}).values_list(field, flat=True):
                if text not in staff and text not in public and len(text) >= 6:
                    found[text[:60]] = f"{model._meta.label}.{field}"
    return {k: v for k, v in found.items() if k.strip()}


def _links(base: str, text: str) -> list[str]:
    out = []
    for href in HREF.findall(text):
        url = urljoin(base, html.unescape(href)).split("#")[0]
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
            continue
        if parts.path.startswith("/static/"):
            continue
        out.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return out


@pytest.mark.django_db
def test_a_policy_officer_reaches_no_personal_data(client: Any) -> None:
    call_command("seed_demo", households=40, history_years=0.25, history_scale=0.05, verbosity=0)
    facts_refresh(actor=Actor.system("system:refresh_facts"))
    assert Contact.objects.exists() and Person.objects.exists()
    # the demo has chain care, and the monitor has its facts
    for fact in (CaseFact, TraumaScreeningFact, MdaReferralFact, RestrainingOrderFact):
        assert fact.objects.exists(), fact
    assert PlacementFact.objects.exists()
    officer = Membership.objects.get(role__code=RoleCode.POLICY_OFFICER).user
    login(client, officer)
    forbidden = _forbidden()
    assert any(kind == "full name" for kind in forbidden.values())
    assert any(kind == "BSN" for kind in forbidden.values())
    for app in ("care.", "mda.", "restraining.", "shelter."):  # chain-care text is searched for
        assert any(kind.startswith(app) for kind in forbidden.values()), app
    logout = reverse("accounts:logout")

    queue, seen = deque(["/"]), {"/"}
    reached: set[str] = set()
    while queue:
        assert len(seen) <= MAX_RESPONSES, "the walk does not end"
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code < 500, url
        with contextlib.suppress(Resolver404):
            reached.add(resolve(urlsplit(url).path).view_name)
        if response.status_code in (301, 302):
            nexts = [response["Location"]]
            text = ""
        else:
            text = _text(response)
            hits = [f"{kind} {value!r}" for value, kind in forbidden.items() if value in text]
            assert not hits, f"{url}: {hits}"
            nexts = _links(url, text)
        for link in nexts:
            if link not in seen and not urlsplit(link).path.startswith(logout):
                seen.add(link)
                queue.append(link)

    assert {
        "monitor:kpis",
        "monitor:export",
        "monitor:cbs_export",
        "programme:budget_list",
        "programme:budget_detail",
        "programme:overview",
        "programme:action_detail",
    } <= reached, reached
    downloads = [u for u in seen if re.match(r"^/monitor/(export|cbs)\.(csv|xlsx)", u)]
    assert len(downloads) >= 4, downloads
