"""Every page, as every role that may open it, on a phone (390 px wide) and on a desktop
(1280 px): the page itself never scrolls sideways, and axe-core finds no violation of
WCAG 2.1 A and AA (the level EN 301 549 asks of Dutch government software).

The pages are those of the authorization matrix (``core/tests/test_authorization_matrix``):
each GET pattern that answers 200 to a role with the relation "involved" is opened by that
role, with the matrix's own objects in its URL, in a small world enriched with the data that
makes pages long (a dossier with its contacts, an address, a long unbroken text). The
signed-out pages are opened signed out, and a refusal (403) and a missing page (404) once.
Every <details> is opened first (what it holds is part of the page), and each page with a
form is posted empty once, by the first role that opens it, to check the form's errors too.
The style sheets must have loaded: without them the widths would mean nothing.

A failure names the role, the page, the width and, per violation, axe's rule id and the
selectors of the nodes; for an overflow, the elements that stick out. See
``docs/accessibility.md``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils import timezone

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.conftest import PASSWORD, World
from ketenradar.core.tests.factories import AddressFactory
from ketenradar.core.tests.test_authorization_matrix import MATRIX, ROLES, _objects, _url
from ketenradar.monitor.services import facts_refresh
from ketenradar.persons.matching import ReportedPerson
from ketenradar.reports import services as reports
from ketenradar.reports.constants import (
    Channel,
    ContactKind,
    PersonRole,
    ReporterCategory,
    ViolenceType,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"phone": 390, "desktop": 1280}
# To look at the pages: KETENRADAR_SCREENSHOTS=<folder> saves each page as a phone shows
# it; KETENRADAR_CRAWL_ROLES=vt_professional,policy_officer opens only those roles' pages.
SCREENSHOTS = os.environ.get("KETENRADAR_SCREENSHOTS")
ONLY_ROLES = [r for r in os.environ.get("KETENRADAR_CRAWL_ROLES", "").split(",") if r]

# Not pages: files to download and a script (their links are on the pages checked).
NOT_PAGES = {
    "council_report:pdf",
    "monitor:export",
    "monitor:cbs_export",
    "audit:person_log_export",
    "admin:jsi18n",
    # JSON for a load balancer (core/tests/test_health.py)
    "core:health_live",
    "core:health_ready",
}
# Open to everybody, the same for everybody: opened signed out only.
# The same for every role but for the menu (which each role's other pages show): opened by
# the first role only.
ONCE = {"accounts:otp_setup", "accounts:otp_verify", "accounts:switch_membership"}
SIGNED_OUT = [
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
]

# Violations that cannot be fixed now, each with its reason: (URL name, axe rule id).
# Never a rule for every page: an entry names the page it is about.
FILTER_WIDGET = (
    "Django's own filter_horizontal widget (admin/js/SelectFilter2.js) puts an aria-label on "
    "a span without a role; the search box it belongs to has its label, so nothing is lost"
)
KNOWN: dict[tuple[str, str], str] = {
    ("admin:regions_organisation_add", "aria-prohibited-attr"): FILTER_WIDGET,
    ("admin:regions_organisation_change", "aria-prohibited-attr"): FILTER_WIDGET,
    ("admin:regions_team_add", "aria-prohibited-attr"): FILTER_WIDGET,
    ("admin:regions_team_change", "aria-prohibited-attr"): FILTER_WIDGET,
    ("admin:accounts_user_add", "scrollable-region-focusable"): (
        "Django's admin scrolls a tabular inline (the memberships) sideways on a phone in a "
        "region its template does not make focusable; the user's own page in Ketenradar "
        "(accounts:user_create) is the way to add an account"
    ),
}

STYLESHEETS = ["vendor/utrecht-tokens/index.css", "vendor/utrecht/index.css", "ketenradar/app.css"]

# The style sheets a page lists, and those that did not load (no rules: not there, or
# not CSS). Admin pages have Django's own.
STYLES_JS = """
(want) => {
  const sheets = [...document.styleSheets].filter((s) => s.href);
  const loaded = (s) => { try { return s.cssRules.length > 0; } catch (e) { return false; } };
  const missing = want.filter((w) => !sheets.some((s) => s.href.endsWith('/' + w) && loaded(s)));
  return {count: sheets.filter(loaded).length, missing: missing};
}
"""

# Whether the page scrolls sideways, and which elements stick out beyond the viewport (not
# counting those inside an element that scrolls or clips by itself).
OVERFLOW_JS = """
() => {
  const width = window.innerWidth;
  const scroll = document.documentElement.scrollWidth;
  if (scroll <= width + 1) return null;
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o !== 'visible') return true;
    }
    return false;
  };
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += '#' + el.id;
    if (typeof el.className === 'string' && el.className.trim())
      s += '.' + el.className.trim().split(/\\s+/).join('.');
    return s;
  };
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement)
      parts.unshift(name(e));
    return parts.join(' > ');
  };
  // where the width comes from: the outermost elements that stick out of a parent that
  // fits, and the innermost ones (no child sticks out)
  const out = [];
  const sticks = (el) => el.getBoundingClientRect().right > width + 1;
  for (const el of document.body.querySelectorAll('*')) {
    if (!sticks(el) || clipped(el)) continue;
    const outer = !el.parentElement || !sticks(el.parentElement);
    const inner = ![...el.children].some(sticks);
    const right = Math.round(el.getBoundingClientRect().right);
    if (outer || inner) out.push(path(el) + ' (right ' + right + ')');
  }
  return {scroll: scroll, width: width, elements: out.slice(0, 8)};
}
"""

# The page's own form (the first in main that posts to the page itself) emptied and sent
# without the browser's checks, as the authorization matrix posts it.
POST_EMPTY_JS = """
(send) => {
  // attributes, not properties: a field named "action" would hide the form's property
  const here = location.href.split('#')[0];
  const form = [...document.querySelectorAll('main form')].find((f) =>
    (f.getAttribute('method') || '').toLowerCase() === 'post'
    && new URL(f.getAttribute('action') || '', here).href.split('#')[0] === here);
  if (!form || !send) return !!form;
  for (const el of form.querySelectorAll('input, select, textarea')) {
    if (['hidden', 'submit', 'button', 'file'].includes(el.type)) continue;
    if (el.type === 'checkbox' || el.type === 'radio') el.checked = false;
    else if (el.tagName === 'SELECT') el.selectedIndex = -1;
    else el.value = '';
  }
  form.setAttribute('novalidate', '');
  HTMLFormElement.prototype.requestSubmit.call(form);
  return true;
}
"""

AXE_JS = """
(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
  .then((r) => r.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')),
  })))
"""


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    known_seen: set[tuple[str, str]] = field(default_factory=set)
    pages: int = 0  # page views checked (each at both widths)
    seen: set[tuple[str, str]] = field(default_factory=set)  # (role, URL name)
    by_rule: dict[str, int] = field(default_factory=dict)


def _world_objects(world: World) -> dict[str, Any]:
    """The matrix's objects, and what makes the pages long: the person's addresses and a
    dossier with a report, its persons, its reporter and a long unbroken description."""
    objects = _objects(world)
    AddressFactory(
        person=world.person,
        street="Burgemeester van Karnebeeklaan-Noordwestzijde",
        house_number=1234,
        postcode="2585BA",
        city="'s-Gravenhage",
    )
    vt = world.actor(RoleCode.VT_PROFESSIONAL, "involved")
    contact = reports.contact_register(
        actor=vt,
        kind=ContactKind.REPORT,
        channel=Channel.PHONE,
        reporter_category=ReporterCategory.EDUCATION,
        received_at=timezone.now() - dt.timedelta(hours=2),
        persons=[
            (
                ReportedPerson(
                    given_names="Maximiliaan Alexander",
                    surname="Wijngaarden-Oosterhuizen",
                    surname_prefix="van den",
                    birth_year=2016,
                    birth_month=3,
                    birth_day=14,
                ),
                PersonRole.CHILD,
            )
        ],
        known_persons=[(world.person, PersonRole.VICTIM)],
        violence_types=[ViolenceType.CHILD_ABUSE, ViolenceType.PARTNER_VIOLENCE],
        description=(
            "Leerkracht ziet blauwe plekken. Verwijzing: "
            "https://intranet.example.nl/dossiers/0b9a3c1e-5f7d-4e2a-9c8b-1d2e3f4a5b6c/bijlagen"
            " en kenmerk 0b9a3c1e5f7d4e2a9c8b1d2e3f4a5b6c."
        ),
        reporter=reports.ReporterData(
            name="Juf A. van Oosterhout-Hoogendijk",
            organisation_name="Openbare Basisschool De Regenboog",
            function="leerkracht",
            phone="070-3456789",
        ),
    )
    assert contact.dossier is not None
    # a locked-out attempt names the page it was made on (the admin's filter lists it)
    objects["axes_accessattempt"].path_info = "/account/inloggen/"
    objects["axes_accessattempt"].save()
    facts_refresh(actor=Actor.system("test"))
    return {**objects, "dossier": contact.dossier}


def _visits(role: str, first: bool) -> list[str]:
    """The matrix's GET pages that ``role`` may open (with the relation 'involved')."""
    return sorted(
        name
        for name, case in MATRIX.items()
        if case.method == "get"
        and not case.api
        and name not in NOT_PAGES
        and name not in SIGNED_OUT
        and (first or name not in ONCE)
        and case.expect(role, "involved") == 200
    )


def _check(
    page: Page,
    base: str,
    who: str,
    name: str,
    url: str,
    status: int,
    found: Findings,
    post_empty: bool = False,
) -> None:
    """Open ``url``: its status, its style sheets, and at both widths no sideways scrolling
    and no axe violations. ``post_empty``: then post its form empty and check the page
    with the form's errors the same way."""
    page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})
    response = page.goto(base + url)
    where = f"{who} {name} {url}"
    if response is None or response.status != status:
        found.problems.append(f"{where}: status {response and response.status}, want {status}")
        return
    if "text/html" not in response.headers.get("content-type", ""):
        found.problems.append(f"{where}: not an HTML page ({response.headers['content-type']})")
        return
    found.seen.add((who, name))
    _inspect(page, where, name, found)
    # (a page may have no form: the password reset link that is not valid)
    if post_empty and page.evaluate(POST_EMPTY_JS, False):
        page.set_viewport_size({"width": WIDTHS["phone"], "height": 800})
        with page.expect_navigation() as navigation:
            page.evaluate(POST_EMPTY_JS, True)
        where += " (posted empty)"
        if navigation.value is None or navigation.value.status != 200:
            got = navigation.value and navigation.value.status
            found.problems.append(f"{where}: status {got}, want 200 with the form's errors")
            return
        _inspect(page, where, name, found)


def _inspect(page: Page, where: str, name: str, found: Findings) -> None:
    found.pages += 1
    # what a <details> holds is on the page too (the case page's steps): open them all
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    own = not name.startswith("admin:")
    styles = page.evaluate(STYLES_JS, STYLESHEETS if own else [])
    if styles["missing"] or not styles["count"]:
        found.problems.append(f"{where}: style sheets not loaded: {styles['missing']}")
    page.add_script_tag(path=str(AXE))
    for width in WIDTHS.values():
        if width != WIDTHS["phone"]:
            page.set_viewport_size({"width": width, "height": 800})
        elif SCREENSHOTS:
            shot = where.split(" /")[0].replace(" ", "_").replace(":", "-")
            if where.endswith("(posted empty)"):
                shot += "-posted"
            page.screenshot(path=str(Path(SCREENSHOTS) / f"{shot}-{width}.png"), full_page=True)
        overflow = page.evaluate(OVERFLOW_JS)
        if overflow:
            found.problems.append(
                f"{where} @{width}px: the page scrolls sideways ({overflow['scroll']} > "
                f"{overflow['width']}): " + "; ".join(overflow["elements"])
            )
        for v in page.evaluate(AXE_JS, WCAG_TAGS):
            if (name, v["id"]) in KNOWN:
                found.known_seen.add((name, v["id"]))
                continue
            found.by_rule[v["id"]] = found.by_rule.get(v["id"], 0) + 1
            nodes = ", ".join(v["nodes"][:5]) + (" ..." if len(v["nodes"]) > 5 else "")
            found.problems.append(
                f"{where} @{width}px: axe {v['id']} ({v['impact']}: {v['help']}) on {nodes}"
            )


def _signed_in(browser: Browser, base: str, username: str | None) -> Iterator[Page]:
    # bypass_csp: axe is injected as an inline script, which the pages' policy refuses
    context: BrowserContext = browser.new_context(
        locale="nl-NL", viewport={"width": WIDTHS["phone"], "height": 800}, bypass_csp=True
    )
    page = context.new_page()
    if username is not None:
        page.goto(f"{base}/account/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.get_by_test_id("current-user").wait_for()
    yield page
    context.close()


def test_every_page_fits_a_phone_and_passes_axe(
    browser: Browser, live_server: Any, world: World
) -> None:
    assert AXE.exists(), f"{AXE} is missing: run ./bin/setup"
    base = live_server.url
    objects = _world_objects(world)
    found = Findings()

    posted: set[str] = set()  # each form is posted empty once, by the first role

    def check(page: Page, who: str, name: str) -> None:
        case = MATRIX[name]
        post = case.form and name not in posted
        posted.add(name)
        _check(page, base, who, name, _url(name, case, objects), 200, found, post_empty=post)

    for page in _signed_in(browser, base, None):
        for name in SIGNED_OUT:
            check(page, "signed out", name)
        # axe itself at work: an image without a text alternative is found
        page.set_content('<html lang="nl"><title>t</title><main><img src="data:,"></main></html>')
        page.add_script_tag(path=str(AXE))
        assert "image-alt" in {v["id"] for v in page.evaluate(AXE_JS, WCAG_TAGS)}

    for i, role in enumerate(ONLY_ROLES or ROLES):
        user = world.user(role, "involved")
        for page in _signed_in(browser, base, user.username):
            for name in _visits(role, first=i == 0):
                check(page, role, name)
            if role == RoleCode.POLICY_OFFICER:  # the refusal and the missing page, once
                url = _url("persons:detail", MATRIX["persons:detail"], objects)
                _check(page, base, role, "403", url, 403, found)
                _check(page, base, role, "404", "/bestaat-niet/", 404, found)

    opened = {name for _, name in found.seen}
    if not ONLY_ROLES:
        pages = {n for n, c in MATRIX.items() if c.method == "get" and not c.api} - NOT_PAGES
        may_open = {n for n in pages if any(MATRIX[n].expect(r, "involved") == 200 for r in ROLES)}
        assert may_open <= opened, f"pages nobody opened: {sorted(may_open - opened)}"
        stale = sorted(set(KNOWN) - found.known_seen)
        assert not stale, f"known exceptions no longer found (remove them): {stale}"
    print(
        f"{len(opened)} pages, {len(found.seen)} pages x roles, {found.pages} page views "
        f"(with the forms posted empty) at {sorted(WIDTHS.values())} px"
    )
    summary = ", ".join(f"{k} {n}" for k, n in sorted(found.by_rule.items()))
    assert not found.problems, (
        f"{len(found.problems)} problems on {found.pages} pages ({summary}):\n"
        + "\n".join(found.problems)
    )
