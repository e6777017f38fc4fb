"""The DUVO budget of seed 002 chapter V: imported from CSV and XLSX, every printed total
reproduced to the euro, all eight columns balanced; one changed amount flagged; malformed
files refused whole; p.m. entries kept out of the sums; the EUR 0.30 contributions computed
from the inhabitants."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import translation

import pytest
from openpyxl import Workbook

from ketenradar.audit.models import AuditEvent
from ketenradar.programme import selectors, services
from ketenradar.programme.budget_file import PM, BudgetFileError, parse_amount
from ketenradar.programme.constants import BudgetKind
from ketenradar.programme.models import Budget, BudgetLine, BudgetTotal
from ketenradar.programme.tests.conftest import Haaglanden, change_cell, duvo_csv

pytestmark = pytest.mark.django_db

COLUMNS = [(y, cg) for y in (2019, 2020, 2021, 2022) for cg in ("Den Haag", "Delft")]


def _printed(*amounts: str) -> dict[tuple[int, str], Decimal]:
    """Amounts as printed in chapter V, in the order 2019 Den Haag, 2019 Delft, ..."""
    return {column: Decimal(a.replace(".", "")) for column, a in zip(COLUMNS, amounts, strict=True)}


# Seed 002, chapter V, as printed (not read from the CSV: the test checks the CSV too).
TOTAAL_DUVO = _printed(
    "11.483.408", "2.228.288", "11.607.044", "2.253.439",
    "11.956.133", "2.324.453", "11.881.133", "2.249.453",
)  # fmt: skip
TOTAAL_BATEN = _printed(
    "11.728.408", "2.312.288", "11.852.044", "2.337.439",
    "12.201.133", "2.408.453", "12.126.133", "2.333.453",
)  # fmt: skip
TOTAAL_LASTEN = TOTAAL_BATEN  # printed the same: the budget is balanced


def _key(column: object) -> tuple[int, str]:
    return (column.year, column.centrumgemeente.name)


def _snapshot(budget: Budget) -> list[tuple[object, ...]]:
    return sorted(
        (
            line.kind,
            line.position,
            line.column,
            line.year,
            line.centrumgemeente_id,
            line.label,
            line.section,
            line.task,
            line.funding,
            line.is_pm,
            line.amount,
        )
        for line in budget.lines.all()
    ) + sorted(
        ("total", t.kind, t.position, t.column, t.label, t.funding, t.amount)
        for t in budget.totals.all()
    )


def test_seed_002_budget_reproduces_every_printed_total(haaglanden: Haaglanden) -> None:
    result = haaglanden.import_csv()
    assert result.created
    assert result.mismatches == []
    assert result.unbalanced == []
    budget = result.budget
    assert (budget.first_year, budget.last_year) == (2019, 2022)

    checks = selectors.budget_total_checks(actor=haaglanden.officer, budget=budget)
    by_label: dict[tuple[str, str], dict[tuple[int, str], Decimal]] = {}
    for check in checks:
        assert check.ok, check
        by_label.setdefault((check.kind, check.label), {})[_key(check.column)] = check.computed
    assert by_label == {
        (BudgetKind.INCOME, "Totaal DUVO"): TOTAAL_DUVO,
        (BudgetKind.INCOME, "Totaal"): TOTAAL_BATEN,
        (BudgetKind.EXPENSE, "Totaal"): TOTAAL_LASTEN,
    }

    totals = selectors.budget_totals(actor=haaglanden.officer, budget=budget)
    assert [_key(t.column) for t in totals] == COLUMNS
    assert {_key(t.column): t.income for t in totals} == TOTAAL_BATEN
    assert {_key(t.column): t.expense for t in totals} == TOTAAL_LASTEN
    assert all(t.balanced and t.difference == 0 for t in totals)
    assert selectors.budget_unbalanced(actor=haaglanden.officer, budget=budget) == []


def test_the_table_keeps_the_shape_of_chapter_v(haaglanden: Haaglanden) -> None:
    budget = haaglanden.import_csv().budget
    lines = BudgetLine.objects.filter(budget=budget)
    # "Landelijke taken Den Haag": only Den Haag; "Projectleider" lines stop after 2021.
    national = lines.filter(label="Landelijke taken Den Haag", kind=BudgetKind.EXPENSE)
    assert {line.centrumgemeente for line in national} == {haaglanden.den_haag}
    leader = lines.filter(label="Projectleider programma GHNT")
    assert sorted({line.year for line in leader}) == [2019, 2020, 2021]
    assert lines.get(
        label="GGZ hulp aan kinderen bij HG", year=2020, centrumgemeente=haaglanden.delft
    ).amount == Decimal("34000.00")
    assert not lines.filter(
        label="GGZ hulp aan kinderen bij HG", centrumgemeente=haaglanden.den_haag
    )
    assert set(lines.filter(kind=BudgetKind.EXPENSE).values_list("task", flat=True)) == {
        "landelijke_taken",
        "preventie_vroegsignalering",
        "advies_melding",
        "interventies",
        "monitoring",
        "ketensamenwerking",
    }
    assert BudgetTotal.objects.filter(budget=budget).count() == 24

    overview = selectors.budget_overview(actor=haaglanden.officer, pk=budget.pk)
    assert [r.label for r in overview.income][:3] == [
        "Landelijke taken Den Haag",
        "Ongedocumenteerden (dec.-circularre)",
        "Ophoging AWBZ",
    ]
    assert [r.label for r in overview.income if r.is_total] == ["Totaal DUVO", "Totaal"]
    assert [r.label for r in overview.expense if r.is_total] == ["Totaal"]
    assert len(overview.expense) == 15  # 14 lines and the printed Totaal
    assert overview.unbalanced == [] and overview.mismatches == []


@pytest.mark.parametrize(
    ("kind", "label", "header", "value", "unbalanced", "mismatched"),
    [
        # an expense: the printed Lasten total no longer adds up
        (
            "lasten",
            "MDA++",
            "2021 Delft",
            "141.000",
            (2021, "Delft"),
            {("lasten", "Totaal", 2021, "Delft", "2408453.00", "2418453.00")},
        ),
        # an income line within DUVO: both the DUVO subtotal and the Baten total are off
        (
            "baten",
            "Ophoging AWBZ",
            "2019 Den Haag",
            "12.180",
            (2019, "Den Haag"),
            {
                ("baten", "Totaal DUVO", 2019, "Den Haag", "11483408.00", "11483407.00"),
                ("baten", "Totaal", 2019, "Den Haag", "11728408.00", "11728407.00"),
            },
        ),
    ],
)
def test_one_changed_amount_is_flagged_unbalanced(
    haaglanden: Haaglanden,
    kind: str,
    label: str,
    header: str,
    value: str,
    unbalanced: tuple[int, str],
    mismatched: set[tuple[str, str, int, str, str, str]],
) -> None:
    result = haaglanden.import_csv(change_cell(duvo_csv(), label, header, value, kind))
    assert [_key(t.column) for t in result.unbalanced] == [unbalanced]
    assert {
        (
            c.kind,
            c.label,
            c.column.year,
            c.column.centrumgemeente.name,
            str(c.printed),
            str(c.computed),
        )
        for c in result.mismatches
    } == mismatched
    flagged = selectors.budget_unbalanced(actor=haaglanden.officer, budget=result.budget)
    assert [_key(t.column) for t in flagged] == [unbalanced]
    assert abs(flagged[0].difference) in {Decimal("10000.00"), Decimal("1.00")}
    checks = selectors.budget_total_checks(actor=haaglanden.officer, budget=result.budget)
    assert sum(1 for c in checks if not c.ok) == len(mismatched)


def _xlsx(text: str) -> bytes:
    """The CSV as a workbook: amounts as numbers, p.m. as text, comments kept."""
    workbook = Workbook()
    sheet = workbook.active
    for line in text.splitlines():
        if line.startswith("#"):
            sheet.append([line])
            continue
        cells: list[object] = []
        for cell in line.split(";"):
            try:
                amount = parse_amount(cell)
            except ValueError:  # a header or a label
                amount = None
            if isinstance(amount, Decimal):
                cells.append(int(amount))
            else:
                cells.append(cell or None)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_gives_the_same_result_as_csv(haaglanden: Haaglanden) -> None:
    from_csv = haaglanden.import_csv()
    csv_snapshot = _snapshot(from_csv.budget)
    from_xlsx = services.budget_import(
        actor=haaglanden.manager,
        region=haaglanden.world.region,
        content=_xlsx(duvo_csv()),
        file_format="xlsx",
        source_name="duvo.xlsx",
    )
    assert not from_xlsx.created and from_xlsx.budget.pk == from_csv.budget.pk
    assert _snapshot(from_xlsx.budget) == csv_snapshot
    assert (from_xlsx.lines, from_xlsx.pm_lines) == (from_csv.lines, from_csv.pm_lines)
    assert from_xlsx.mismatches == [] and from_xlsx.unbalanced == []


def test_xlsx_with_a_changed_amount_is_flagged_like_csv(haaglanden: Haaglanden) -> None:
    changed = change_cell(duvo_csv(), "MDA++", "2021 Delft", "141.000")
    result = services.budget_import(
        actor=haaglanden.manager,
        region=haaglanden.world.region,
        content=_xlsx(changed),
        file_format="xlsx",
    )
    assert [_key(t.column) for t in result.unbalanced] == [(2021, "Delft")]
    assert len(result.mismatches) == 1


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (
            lambda t: t.replace(";2021 Delft;", ";2021 Leiden;"),
            "Row 5, column '2021 Leiden': 'Leiden' is not a centrumgemeente of this region.",
        ),
        (
            # Rijswijk is a municipality of the region, but not a centrumgemeente
            lambda t: t.replace(";2019 Delft;", ";2019 Rijswijk;"),
            "Row 5, column '2019 Rijswijk': 'Rijswijk' is not a centrumgemeente of this region.",
        ),
        (
            lambda t: change_cell(t, "MDA++", "2020 Delft", "131.00x"),
            "Row 25, column '2020 Delft': '131.00x' is not an amount "
            "(write 1.234.567, 1.234.567,89 or p.m.).",
        ),
        (
            lambda t: change_cell(t, "MDA++", "2020 Delft", "131.0000"),
            "Row 25, column '2020 Delft': '131.0000' is not an amount "
            "(write 1.234.567, 1.234.567,89 or p.m.).",
        ),
        (
            lambda t: t.replace(";interventies;;MDA++;", ";interventie;;MDA++;"),
            "Row 25, column 'task': unknown development task 'interventie' (known: "
            "landelijke_taken, preventie_vroegsignalering, advies_melding, interventies, "
            "monitoring, ketensamenwerking).",
        ),
        (
            lambda t: t.replace(";interventies;;MDA++;", ";;;MDA++;"),
            "Row 25, column 'task': an expense line needs a development task.",
        ),
        (
            lambda t: t.replace("line;baten;;;bijdrage_regio;", "line;baten;;;;"),
            "Row 14, column 'funding': an income line needs a funding (known: duvo, "
            "bijdrage_regio, bijdrage_centrum, overig).",
        ),
        (
            lambda t: change_cell(t, "Totaal DUVO", "2019 Delft", "p.m."),
            "Row 13, column '2019 Delft': a total cannot be p.m.",
        ),
        (
            lambda t: t.replace("line;lasten;;monitoring", "regel;lasten;;monitoring"),
            "Row 27, column 'row': unknown row type 'regel' (use line or total).",
        ),
    ],
)
def test_malformed_files_give_precise_errors_and_import_nothing(
    haaglanden: Haaglanden, change: object, error: str
) -> None:
    budget = haaglanden.import_csv().budget
    before, events = _snapshot(budget), AuditEvent.objects.count()
    with translation.override("en"), pytest.raises(BudgetFileError) as exc:
        haaglanden.import_csv(change(duvo_csv()))  # type: ignore[operator]
    assert exc.value.errors == [error]
    budget.refresh_from_db()
    assert _snapshot(budget) == before
    assert AuditEvent.objects.count() == events
    assert Budget.objects.count() == 1


def test_every_error_of_a_file_is_reported_at_once(haaglanden: Haaglanden) -> None:
    text = change_cell(duvo_csv(), "MDA++", "2020 Delft", "veel")
    text = change_cell(text, "Ophoging AWBZ", "2022 Den Haag", "12,181.00")
    text = text.replace(";monitoring;;", ";monitor;;")
    with translation.override("en"), pytest.raises(BudgetFileError) as exc:
        haaglanden.import_csv(text)
    assert [e.split(":")[0] for e in exc.value.errors] == [
        "Row 8, column '2022 Den Haag'",
        "Row 25, column '2020 Delft'",
        "Row 27, column 'task'",
    ]
    assert not Budget.objects.exists()
    assert not BudgetLine.objects.exists()


def test_a_file_that_is_not_xlsx_is_refused(haaglanden: Haaglanden) -> None:
    with translation.override("en"), pytest.raises(BudgetFileError) as exc:
        services.budget_import(
            actor=haaglanden.manager,
            region=haaglanden.world.region,
            content=b"row;kind;label\n",
            file_format="xlsx",
        )
    assert exc.value.errors == ["The file is not a readable XLSX workbook."]


def test_pm_entries_are_kept_and_left_out_of_the_sums(haaglanden: Haaglanden) -> None:
    result = haaglanden.import_csv()
    pm = BudgetLine.objects.filter(budget=result.budget, is_pm=True)
    # two p.m. rows each in Baten and Lasten, in all eight columns
    assert result.pm_lines == pm.count() == 32
    assert not pm.filter(amount__isnull=False).exists()
    entries = selectors.budget_pm_entries(actor=haaglanden.officer, budget=result.budget)
    assert [(e.kind, e.label) for e in entries] == [
        ("baten", "Ongedocumenteerden (dec.-circularre)"),
        ("baten", "Pilot projecten"),
        ("lasten", "Ongedocumenteerden"),
        ("lasten", "Pilot projecten (landelijk)"),
    ]
    assert all([_key(c) for c in e.columns] == COLUMNS for e in entries)


def test_pm_next_to_amounts_counts_in_no_sum(haaglanden: Haaglanden) -> None:
    text = (
        "row;kind;section;task;funding;label;2023 Delft;2023 GM0518\n"
        "line;baten;;;duvo;DUVO;100,50;200\n"
        "line;baten;;;duvo;Nieuw geld;p.m.;50\n"
        "total;baten;;;;Totaal;100,50;250\n"
        "line;lasten;;interventies;;Opvang;p.m.;250\n"
        "line;lasten;;monitoring;;Onderzoek;100,50;\n"
        "total;lasten;;;;Totaal;100,50;250\n"
    )
    result = haaglanden.import_csv(text)
    assert result.mismatches == [] and result.unbalanced == []
    totals = selectors.budget_totals(actor=haaglanden.officer, budget=result.budget)
    assert [(_key(t.column), t.income, t.expense) for t in totals] == [
        ((2023, "Delft"), Decimal("100.50"), Decimal("100.50")),
        ((2023, "Den Haag"), Decimal("250.00"), Decimal("250.00")),
    ]
    assert result.pm_lines == 2
    # the DUVO budget of 2019-2022 is another period: both exist
    assert Budget.objects.count() == 1
    haaglanden.import_csv()
    assert Budget.objects.count() == 2


def test_contribution_is_rate_times_inhabitants_of_the_centrumgemeente(
    haaglanden: Haaglanden,
) -> None:
    from ketenradar.regions.models import Municipality

    budget = haaglanden.import_csv().budget
    contributions = selectors.budget_contributions(actor=haaglanden.officer, budget=budget)
    computed: dict[str, Decimal] = {}
    for c in contributions:
        computed[c.centrumgemeente.name] = (
            computed.get(c.centrumgemeente.name, Decimal(0)) + c.amount
        )
    for centre in (haaglanden.den_haag, haaglanden.delft):
        inhabitants = sum(
            Municipality.objects.filter(centrumgemeente=centre).values_list(
                "inhabitants", flat=True
            )
        )
        assert computed[centre.name] == Decimal("0.30") * inhabitants
    # per part, from the inhabitants of the demo data (CBS 2024; Midden-Delfland 2025)
    assert {
        (c.centrumgemeente.name, c.funding, c.inhabitants, c.amount) for c in contributions
    } == {
        ("Den Haag", "bijdrage_regio", 293_418, Decimal("88025.40")),
        ("Den Haag", "bijdrage_centrum", 565_701, Decimal("169710.30")),
        ("Delft", "bijdrage_regio", 193_355, Decimal("58006.50")),
        ("Delft", "bijdrage_centrum", 109_573, Decimal("32871.90")),
    }
    # shown next to the budgeted line, which keeps the region's own figure
    overview = selectors.budget_overview(actor=haaglanden.officer, pk=budget.pk)
    row = next(r for r in overview.income if r.label.startswith("Bijdrage regiogemeenten"))
    assert row.is_contribution
    first = row.cells[0]  # 2019 Den Haag
    assert first is not None
    assert (first.amount, first.computed, first.difference) == (
        Decimal("85000.00"),
        Decimal("88025.40"),
        Decimal("-3025.40"),
    )
    assert (
        BudgetLine.objects.filter(
            budget=budget, funding="bijdrage_regio", amount=Decimal("85000")
        ).count()
        == 4
    )


def test_contribution_follows_the_inhabitants(haaglanden: Haaglanden) -> None:
    budget = haaglanden.import_csv().budget
    haaglanden.delft.inhabitants = 100_000
    haaglanden.delft.save()
    contributions = selectors.budget_contributions(actor=haaglanden.officer, budget=budget)
    own = next(
        c
        for c in contributions
        if c.centrumgemeente == haaglanden.delft and c.funding == "bijdrage_centrum"
    )
    assert own.amount == Decimal("30000.00")


def test_reimporting_the_same_table_replaces_it_and_is_logged(haaglanden: Haaglanden) -> None:
    first = haaglanden.import_csv()
    snapshot = _snapshot(first.budget)
    second = haaglanden.import_csv()
    assert not second.created and second.budget.pk == first.budget.pk
    assert _snapshot(second.budget) == snapshot
    events = AuditEvent.objects.filter(object_type="programme.budget").order_by("seq")
    assert [e.action for e in events] == ["create", "update"]
    assert events[0].detail["lines"] == first.lines == 160
    assert events[0].role == "programme_manager"


def test_parse_amount() -> None:
    assert parse_amount("2.334.537") == Decimal("2334537.00")
    assert parse_amount("€ 1.234,5") == Decimal("1234.50")
    assert parse_amount("12181") == Decimal("12181.00")
    assert parse_amount(" P.M. ") is PM
    assert parse_amount("") is None and parse_amount(None) is None
    assert parse_amount(12181.0) == Decimal("12181.00")
    for bad in ("12.18", "1,234.56", "12,181.00", "1.2345", "abc", 12.181, True, "1e5"):
        with pytest.raises(ValueError):
            parse_amount(bad)


def test_a_file_far_longer_than_a_budget_is_refused(haaglanden: Haaglanden) -> None:
    header = duvo_csv().splitlines()[4]
    rows = "line;lasten;;monitoring;;Onderzoek;1;1;1;1;1;1;1;1\n" * 5000
    with translation.override("en"), pytest.raises(BudgetFileError) as exc:
        haaglanden.import_csv(f"{header}\n{rows}")
    assert exc.value.errors == ["The file has more than 5000 rows; a budget table is far shorter."]
    assert not Budget.objects.exists()
