"""'Wie heeft de gegevens van deze persoon ingezien': per person and period, exportable."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.urls import reverse

from ketenradar.accounts.constants import RoleCode
from ketenradar.audit.models import AuditEvent
from ketenradar.conftest import World, login


def test_privacy_officer_finds_who_viewed_a_person_and_exports_it(
    world: World, client: Any
) -> None:
    vt = world.user(RoleCode.VT_PROFESSIONAL, "involved")
    login(client, vt)
    client.get(reverse("persons:detail", args=[world.person.uuid]))
    client.logout()

    officer = world.user(RoleCode.PRIVACY_OFFICER, "involved")
    login(client, officer)
    found = client.get(reverse("audit:person_log_search"), {"q": "111222333"}).content.decode()
    assert reverse("audit:person_log", args=[world.person.uuid]) in found

    page = client.get(reverse("audit:person_log", args=[world.person.uuid])).content.decode()
    assert vt.username in page

    export = client.get(
        reverse("audit:person_log_export", args=[world.person.uuid]),
        {"van": "2000-01-01", "tot": "2999-12-31"},
    )
    assert export.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert any(r["username"] == vt.username and r["action"] == "read" for r in rows)
    # looking at the log is itself logged, for this person
    assert AuditEvent.objects.filter(
        user=officer, object_type="audit.accesslog", person_id=world.person.pk, action="export"
    ).exists()


def test_period_filter(world: World, client: Any) -> None:
    officer = world.user(RoleCode.PRIVACY_OFFICER, "involved")
    login(client, officer)
    page = client.get(
        reverse("audit:person_log", args=[world.person.uuid]),
        {"van": "2001-01-01", "tot": "2001-12-31"},
    )
    assert 'data-testid="event-count">0 ' in page.content.decode()


def test_csv_export_neutralises_formulas() -> None:
    from ketenradar.audit.views import _csv_safe

    assert _csv_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _csv_safe("gewoon") == "gewoon"
