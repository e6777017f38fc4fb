"""Odd and hostile values in the filters and searches of list pages (the monitor and its
exports, the council report, the access log, the shelter's month, the person search, the
work queue's tabs and filters, and the paged lists) never answer a server error: a form
error, a 400 or the page."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.test import Client
from django.urls import reverse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketenradar.conftest import World, login
from ketenradar.reports.tests.test_form_input import hostile_date, hostile_text

EXAMPLES = 25
# Values that broke a page before, tried in every parameter besides the generated ones.
KNOWN = [
    "²",
    "²²²²²²²²²",
    "٣",
    "１２",
    "1" + "0" * 26,
    "9" * 4300,
    "-1",
    "0",
    "1e9999",
    "NaN",
    "9999-99-99",
    "0001-01-01",
    "2026-02-30",
    "\ud800",
    "\x00",
    "%",
    "",
]

# (url name, its arguments, the role that may open it, the filter parameters it reads)
PAGES: list[tuple[str, dict[str, Any], str, tuple[str, ...]]] = [
    ("monitor:kpis", {}, "policy_officer", ("scope", "start", "end")),
    ("monitor:export", {"fmt": "csv"}, "policy_officer", ("scope", "start", "end")),
    ("monitor:cbs_export", {"fmt": "csv"}, "policy_officer", ("scope", "year", "half")),
    ("council_report:html", {}, "programme_manager", ("year", "start", "end")),
    ("audit:person_log_search", {}, "privacy_officer", ("q",)),
    ("shelter:occupancy", {}, "shelter_intake", ("month",)),
    ("persons:list", {}, "vt_professional", ("q", "pagina")),
    ("reports:work_queue", {}, "vt_team_lead", ("tab", "acuut", "toegewezen", "pagina")),
    ("restraining:register_start", {}, "case_coordinator", ("q",)),
]


@pytest.mark.parametrize(("name", "kwargs", "role", "params"), PAGES, ids=[p[0] for p in PAGES])
def test_hostile_filter_values_never_answer_a_server_error(
    world: World,
    client: Client,
    name: str,
    kwargs: dict[str, Any],
    role: str,
    params: tuple[str, ...],
) -> None:
    login(client, world.user(role, "involved"))
    url = reverse(name, kwargs=kwargs)
    assert client.get(url).status_code == 200  # the page opens for this role at all

    value = st.one_of(hostile_text, hostile_date)

    def get(data: dict[str, str]) -> None:
        # percent-encoded bytes as a browser or a script would send them; a lone surrogate
        # becomes bytes that are no valid UTF-8
        query = "&".join(
            f"{k}={quote(v.encode('utf-8', 'surrogatepass'), safe='')}" for k, v in data.items()
        )
        response = client.get(f"{url}?{query}")
        assert response.status_code < 500, (query[:200], response.status_code)

    for param in params:
        for known in KNOWN:
            get({param: known})

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.fixed_dictionaries(dict.fromkeys(params, value)))
    def check(data: dict[str, str]) -> None:
        get(data)

    check()
