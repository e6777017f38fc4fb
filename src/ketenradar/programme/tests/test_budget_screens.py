"""The budget page (policy officer and programme manager) and the upload (programme manager
only): chapter V as imported, the balance flag per column, printed totals that differ."""

from __future__ import annotations

import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from ketenradar.accounts.constants import RoleCode
from ketenradar.conftest import login
from ketenradar.programme.models import Budget, BudgetLine
from ketenradar.programme.tests.conftest import Haaglanden, change_cell, duvo_csv

pytestmark = pytest.mark.django_db


def _upload(client: Any, text: str, name: str = "duvo.csv") -> Any:
    return client.post(
        reverse("programme:budget_import"),
        {"name": "DUVO 2019-2022", "file": SimpleUploadedFile(name, text.encode())},
    )


def _balance_cell(html: str, year: int, cbs: str) -> str:
    match = re.search(rf'data-testid="balance-{year}-{cbs}">(.*?)</td>', html, re.S)
    assert match, f"no balance cell for {year} {cbs}"
    return match.group(1)


def test_manager_uploads_the_duvo_table_and_sees_chapter_v(
    haaglanden: Haaglanden, client: Any
) -> None:
    login(client, haaglanden.manager.user)
    response = _upload(client, duvo_csv())
    budget = Budget.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programme:budget_detail", args=[budget.pk])
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="balanced"' in html and 'data-testid="unbalanced"' not in html
    assert 'data-testid="totals-ok"' in html
    for amount in ("11.483.408", "2.228.288", "12.126.133", "2.333.453", "8.201.690"):
        assert amount in html
    assert "p.m." in html
    for year in (2019, 2020, 2021, 2022):
        for cbs in ("GM0518", "GM0503"):
            assert "kr-ok" in _balance_cell(html, year, cbs)
    # the computed contribution next to the budgeted one, with the difference
    assert "88.025,40" in html and "-3.025,40" in html
    assert "Overig DUVO:" in html and "Ketensamenwerking:" in html


def test_a_changed_amount_is_flagged_on_the_page(haaglanden: Haaglanden, client: Any) -> None:
    login(client, haaglanden.manager.user)
    response = _upload(client, change_cell(duvo_csv(), "MDA++", "2021 Delft", "141.000"))
    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'data-testid="unbalanced"' in html
    assert "kr-flag" in _balance_cell(html, 2021, "GM0503")
    for year, cbs in [(y, c) for y in (2019, 2020, 2021, 2022) for c in ("GM0518", "GM0503")]:
        if (year, cbs) != (2021, "GM0503"):
            assert "kr-ok" in _balance_cell(html, year, cbs)
    assert html.count('data-testid="total-mismatch"') == 1
    assert 'data-testid="mismatches"' in html
    assert "2.408.453" in html and "2.418.453" in html


def test_a_malformed_upload_shows_every_error_and_imports_nothing(
    haaglanden: Haaglanden, client: Any
) -> None:
    login(client, haaglanden.manager.user)
    text = change_cell(duvo_csv(), "MDA++", "2020 Delft", "veel").replace(
        ";2019 Delft;", ";2019 Leiden;"
    )
    response = _upload(client, text)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html
    assert "Leiden" in html
    assert not Budget.objects.exists() and not BudgetLine.objects.exists()
    response = _upload(client, text, name="duvo.txt")
    assert response.status_code == 200
    assert not Budget.objects.exists()


def test_policy_officer_sees_the_budget_but_cannot_upload(
    haaglanden: Haaglanden, client: Any
) -> None:
    budget = haaglanden.import_csv().budget
    login(client, haaglanden.officer.user)
    assert client.get(reverse("programme:budget_list")).status_code == 200
    page = client.get(reverse("programme:budget_detail", args=[budget.pk]))
    assert page.status_code == 200
    assert reverse("programme:budget_import") not in page.content.decode()
    assert client.get(reverse("programme:budget_import")).status_code == 403
    assert _upload(client, duvo_csv()).status_code == 403
    assert Budget.objects.get().pk == budget.pk


@pytest.mark.parametrize(
    "role", [RoleCode.VT_PROFESSIONAL, RoleCode.FUNCTIONAL_ADMIN, RoleCode.PRIVACY_OFFICER]
)
def test_other_roles_get_403(haaglanden: Haaglanden, client: Any, role: str) -> None:
    budget = haaglanden.import_csv().budget
    login(client, haaglanden.world.user(role, "involved"))
    assert client.get(reverse("programme:budget_list")).status_code == 403
    assert client.get(reverse("programme:budget_detail", args=[budget.pk])).status_code == 403
    assert _upload(client, duvo_csv()).status_code == 403
