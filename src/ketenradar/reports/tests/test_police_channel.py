"""The police bulk channel: per-report validation, idempotency, concurrency, auth."""

from __future__ import annotations

import copy
import json
import threading
from typing import Any

from django.conf import settings
from django.db import connection
from django.urls import reverse

import pytest
from rest_framework.test import APIClient

from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.models import ApiToken
from ketenradar.audit.models import AuditEvent
from ketenradar.audit.verification import verify_chain
from ketenradar.conftest import World
from ketenradar.persons.models import Person
from ketenradar.reports.api import parsers
from ketenradar.reports.models import Contact, Reporter
from ketenradar.reports.tests.conftest import PoliceChannel, police_report

URL = "/api/v1/politie/meldingen/"


def _batch_with_problems() -> tuple[list[dict[str, Any]], set[str], dict[str, set[str]]]:
    """1,000 reports: valid ones, exact duplicates, conflicting duplicates and malformed ones."""
    reports: list[dict[str, Any]] = []
    valid_ids: set[str] = set()
    expected_errors: dict[str, set[str]] = {}
    for n in range(1000):
        kind = n % 10
        if kind == 7 and n > 10:  # an exact duplicate of an earlier valid report
            reports.append(copy.deepcopy(reports[n - 10]))
        elif kind == 8:  # malformed: bad BSN, bad postcode, unknown type of violence
            bad = police_report(n, violence_types=["slaan"])
            bad["persons"][0]["bsn"] = "123456789"
            bad["persons"][0]["address"]["postcode"] = "0123 AB"
            reports.append(bad)
            expected_errors[bad["report_id"]] = {"violence_types", "persons"}
        elif kind == 9:  # malformed: no persons, no reporter contact details
            bad = police_report(n, persons=[])
            bad["reporter"] = {"name": "Agent X", "unit": "Eenheid Den Haag"}
            reports.append(bad)
            expected_errors[bad["report_id"]] = {"persons", "reporter"}
        else:
            report = police_report(n)
            reports.append(report)
            valid_ids.add(report["report_id"])
    # the same id as a valid report, with another body
    conflict = police_report(0, description="andere inhoud")
    reports.append(conflict)
    return reports, valid_ids, expected_errors


def test_a_1000_report_batch(police: PoliceChannel) -> None:
    reports, valid_ids, expected_errors = _batch_with_problems()
    response = police.client.post(URL, {"reports": reports}, format="json")
    assert response.status_code == 422  # some were rejected; the good ones are stored
    body = response.json()
    assert len(body["results"]) == len(reports)

    assert Contact.objects.count() == len(valid_ids)
    assert set(Contact.objects.values_list("external_id", flat=True)) == valid_ids
    assert body["accepted"] == len(valid_ids)
    assert body["duplicate"] == sum(1 for n in range(1000) if n % 10 == 7 and n > 10)
    for result in body["results"]:
        if result["report_id"] in expected_errors and result["status"] == "rejected":
            assert expected_errors[result["report_id"]] <= set(result["reasons"]), result
    bad_bsn = next(r for r in body["results"] if r["report_id"] == "PL-000008")
    assert "bsn" in str(bad_bsn["reasons"]["persons"]) and "postcode" in str(
        bad_bsn["reasons"]["persons"]
    )
    assert body["results"][-1]["status"] == "rejected"
    assert "report_id" in body["results"][-1]["reasons"]
    assert body["rejected"] == len(expected_errors) + 1

    # every accepted report: a melding from the police, classified, with its reporter
    contact = Contact.objects.get(external_id="PL-000001")
    assert (contact.kind, contact.channel, contact.reporter_category) == (
        "melding",
        "politie",
        "justitie_veiligheid",
    )
    assert contact.earlier_involvement == "eerste_melding"
    assert contact.dossier is not None
    assert Reporter.objects.get(contact=contact).organisation_name == "Eenheid Den Haag"
    assert Reporter.objects.get(contact=contact).user is None  # the officer, not the system account
    assert verify_chain().ok

    # a resubmission of the whole batch creates nothing
    persons, events = Person.objects.count(), AuditEvent.objects.count()
    again = police.client.post(URL, {"reports": reports}, format="json").json()
    assert Contact.objects.count() == len(valid_ids)
    assert Person.objects.count() == persons
    assert again["accepted"] == 0
    assert again["duplicate"] == len(valid_ids) + body["duplicate"]
    assert AuditEvent.objects.count() == events


def test_reports_about_known_people_are_linked_and_classified(police: PoliceChannel) -> None:
    first = police_report(1)
    police.client.post(URL, {"reports": [first]}, format="json")
    second = police_report(2, persons=first["persons"], report_id="PL-X2")
    result = police.client.post(URL, {"reports": [second]}, format="json").json()["results"][0]
    assert result["status"] == "accepted"
    contact = Contact.objects.get(external_id="PL-X2")
    # the same victim (surname + date of birth + postcode): a follow-up during the assessment
    assert contact.earlier_involvement == "vervolg_tijdens_vb"
    assert contact.dossier == Contact.objects.get(external_id="PL-000001").dossier
    assert Person.objects.filter(surname="Jansen1").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_resubmissions_create_each_report_once(
    audit_triggers_off_at_teardown: None, world: World, police: PoliceChannel
) -> None:
    reports = [police_report(n) for n in range(30)]
    key = None  # the fixture's client already carries the key
    barrier = threading.Barrier(3)
    outcomes: list[int] = []

    def submit() -> None:
        client = APIClient()
        client.credentials(**police.client._credentials)
        barrier.wait()
        try:
            outcomes.append(client.post(URL, {"reports": reports}, format="json").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert key is None
    assert outcomes == [200, 200, 200]
    assert Contact.objects.count() == 30
    assert Person.objects.filter(surname__regex=r"^Jansen[0-9]+$").count() == 30
    assert verify_chain().ok


def test_the_channel_needs_a_valid_key_and_the_police_role(
    world: World, police: PoliceChannel
) -> None:
    anonymous = APIClient()
    assert anonymous.post(URL, {"reports": [police_report(1)]}, format="json").status_code == 401
    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION="Token not-a-key")
    assert wrong.post(URL, {"reports": [police_report(1)]}, format="json").status_code == 401

    from ketenradar.accounts.actor import Actor
    from ketenradar.accounts.tokens import api_token_create

    vt_user = world.user(RoleCode.VT_PROFESSIONAL, "involved")
    key = api_token_create(actor=Actor.system("t"), user=vt_user, name="wrong role")
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert other.post(URL, {"reports": [police_report(1)]}, format="json").status_code == 403

    from django.utils import timezone

    ApiToken.objects.filter(user=police.actor.user).update(revoked_at=timezone.now())
    assert (
        police.client.post(URL, {"reports": [police_report(1)]}, format="json").status_code == 401
    )
    assert not Contact.objects.exists()


def test_a_batch_must_be_a_list_of_reports(police: PoliceChannel) -> None:
    assert police.client.post(URL, {"reports": []}, format="json").status_code == 400
    assert police.client.post(URL, {"meldingen": [1]}, format="json").status_code == 400
    assert reverse("api:police-reports") == URL
    assert police.client.post(URL, "{not json", content_type="application/json").status_code == 400


def test_a_batch_larger_than_djangos_body_limit_is_read(police: PoliceChannel) -> None:
    """A full batch (10,000 reports) is several MB, over Django's 2.5 MB default for request
    bodies. Here 3,000 reports without persons (cheap: each is rejected) make a 3+ MB body."""
    reports = [police_report(n, persons=[], description="x" * 800) for n in range(3000)]
    body = json.dumps({"reports": reports})
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = police.client.post(URL, body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["rejected"] == 3000
    assert all("persons" in r["reasons"] for r in response.json()["results"])


def test_a_batch_over_the_channels_own_limit_is_refused(
    police: PoliceChannel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parsers.BatchJSONParser, "max_bytes", 1000)
    body = json.dumps({"reports": [police_report(n) for n in range(5)]})
    response = police.client.post(URL, body, content_type="application/json")
    assert response.status_code == 413
    assert not Contact.objects.exists()
