"""The REST API against its committed OpenAPI spec (docs/openapi.yaml), with schemathesis.

Every operation in the spec gets generated requests - the spec's examples, boundary and
invalid values (coverage phase) and random ones (fuzzing) - sent in-process to the Django
WSGI application, signed in as the spec says: the police channel's API key
(`Authorization: Token <key>`) and a Veilig Thuis professional's session cookie.
Schemathesis's checks hold for every answer: no server error, only documented status codes
and content types, bodies that match their schema, requests without the required
credentials refused, and (with the exceptions in CONFIG) valid input taken and invalid
input refused.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.config import SchemathesisConfig
from schemathesis.hooks import HookContext

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.tokens import api_token_create
from ketenradar.conftest import World, login
from ketenradar.core.tests.factories import AddressFactory, PersonFactory
from ketenradar.reports.api.parsers import MAX_BATCH_BYTES
from ketenradar.reports.tests.conftest import PoliceChannel, police_report

SPEC = Path(django_settings.PROJECT_DIR) / "docs" / "openapi.yaml"
CONFIG = SchemathesisConfig.from_dict(
    {
        "operations": [
            {
                "include-operation-id": "police_reports_submit",
                "checks": {
                    # A report that fits the spec can still break a rule the spec cannot
                    # express (the BSN's 11-proef, a Dutch postcode, a date that exists, a
                    # reporter's phone or e-mail): it is rejected on its own and the batch
                    # answered 422. A batch that fits the spec is never refused whole.
                    "positive_data_acceptance": {"expected-statuses": ["200", "422"]},
                    # The input is strict (core/api_fields.py): a value of the wrong JSON
                    # type, outside a pattern or limit, or an unknown field rejects its report
                    # (422) or, outside the reports, the batch (400).
                    "negative_data_rejection": {
                        "enabled": True,
                        "expected-statuses": ["400", "401", "403", "406", "413", "415", "422"],
                    },
                },
            }
        ]
    }
)
schema = schemathesis.openapi.from_path(SPEC, config=CONFIG)
schema.app = get_wsgi_application()  # requests go to Django in-process, not over a network

# Generated requests per operation in the fuzzing phase; the spec's examples and the
# coverage phase's boundary and negative cases come on top of these.
EXAMPLES = 100
# The coverage phase sends batches of 9,999, 10,000 and 10,001 reports (the spec's limit):
# half a minute each on SQLite. The property test keeps to small batches;
# test_large_batches_conform_to_spec sends large bodies itself.
MAX_GENERATED_BATCH = 100


# Schemathesis builds some cases when pytest collects the test, before any fixture (or
# database) exists. So its auth providers sign requests in with these placeholders, and
# the test puts the `credentials` fixture's real ones in their place. A case generated
# without credentials (to see it refused) has no placeholder and is sent as it is.
API_KEY = "placeholder-api-key"
SESSION_KEY = "placeholder-session-key"
COOKIE = django_settings.SESSION_COOKIE_NAME


@schema.auth(refresh_interval=None).apply_to(operation_id="police_reports_submit")
class PoliceApiKey:
    def get(self, case: Case, ctx: Any) -> str:
        return API_KEY

    def set(self, case: Case, data: str, ctx: Any) -> None:
        case.headers["Authorization"] = f"Token {data}"


@schema.auth(refresh_interval=None).skip_for(operation_id="police_reports_submit")
class SessionCookie:
    def get(self, case: Case, ctx: Any) -> str:
        return SESSION_KEY

    def set(self, case: Case, data: str, ctx: Any) -> None:
        case.cookies[COOKIE] = data


@schema.hook("filter_case")
def small_batches(ctx: HookContext, case: Case) -> bool:
    reports = case.body.get("reports") if isinstance(case.body, dict) else None
    return not isinstance(reports, list) or len(reports) <= MAX_GENERATED_BATCH


@dataclass
class Credentials:
    api_key: str
    session_key: str

    def sign_in(self, case: Case) -> None:
        if case.headers.get("Authorization") == f"Token {API_KEY}":
            case.headers["Authorization"] = f"Token {self.api_key}"
        if case.cookies.get(COOKIE) == SESSION_KEY:
            case.cookies[COOKIE] = self.session_key


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """Like Django's test client, keep the database connection open between requests:
    the test's transaction must outlive them."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def credentials(world: World, police: PoliceChannel) -> Credentials:
    """An API key of the police channel, and the session of a Veilig Thuis professional
    involved with the world's person (who has an address, so that it is in the answer)."""
    AddressFactory(person=world.person)
    key = api_token_create(actor=Actor.system("test"), user=police.actor.user, name="schemathesis")
    client = login(Client(), world.user(RoleCode.VT_PROFESSIONAL, "involved"))
    return Credentials(api_key=key, session_key=client.cookies[COOKIE].value)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    # The database and the credentials are made once per operation, not per example:
    # examples share them (a reused report id is answered as a duplicate or rejected).
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_spec(case: Case, connection_kept: None, credentials: Credentials) -> None:
    credentials.sign_in(case)
    unique_report_ids(case)
    case.call_and_validate()


def unique_report_ids(case: Case) -> None:
    """Every generated report gets a report_id of its own, so that a valid one is stored
    (not answered as a duplicate of, or a conflict with, an earlier example). An invalid
    report_id (not a string, blank or too long) stays as generated: it must be refused."""
    reports = case.body.get("reports") if isinstance(case.body, dict) else None
    for report in reports if isinstance(reports, list) else []:
        if not isinstance(report, dict):
            continue
        sent = report.get("report_id")
        if isinstance(sent, str) and sent.strip() and len(sent) <= 100:
            report["report_id"] = uuid.uuid4().hex


def test_person_answers_conform_to_spec(
    connection_kept: None, credentials: Credentials, world: World
) -> None:
    """Generated UUIDs name no person: the 200 with a person's details, and the 403 for a
    person the professional may not see, are checked here on real persons."""
    retrieve = schema["/api/v1/personen/{uuid}/"]["GET"]
    cookies = {COOKIE: credentials.session_key}
    stranger = PersonFactory()
    for person, status in ((world.person, 200), (stranger, 403)):
        case = retrieve.Case(path_parameters={"uuid": str(person.uuid)}, cookies=cookies)
        response = case.call_and_validate()
        assert response.status_code == status
    assert response.json()["detail"]


def test_large_batches_conform_to_spec(connection_kept: None, credentials: Credentials) -> None:
    """The bodies the property test leaves out: a batch above Django's 2.5 MB request limit
    is taken; one above the channel's own limit gets the documented 413, and one of more
    than 10,000 reports the documented 400."""
    submit = schema["/api/v1/politie/meldingen/"]["POST"]
    headers = {"Authorization": f"Token {credentials.api_key}"}
    long = police_report(1, description="x" * 19_000)  # about 20 kB
    batches: list[tuple[list[Any], int]] = [
        ([long] * 160, 200),  # 3.2 MB: accepted once, then duplicates
        ([long] * (MAX_BATCH_BYTES // 19_000 + 1), 413),
        ([{}] * 10_001, 400),
    ]
    for reports, status in batches:
        body: dict[str, Any] = {"reports": reports}
        case = submit.Case(body=body, headers=headers, media_type="application/json")
        response = case.call_and_validate()
        assert response.status_code == status, response.text
