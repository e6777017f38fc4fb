"""Odd and hostile input on the police channel: every bad report is rejected on its own,
naming its field; the good reports of the same batch are stored; resending answers the
same; nothing is ever a 500."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest

from ketenradar.core import clock
from ketenradar.core.api_io import MAX_JSON_DEPTH, json_too_deep
from ketenradar.persons.models import Person
from ketenradar.reports.models import Contact
from ketenradar.reports.tests.conftest import PoliceChannel, police_report

URL = "/api/v1/politie/meldingen/"
SURROGATE = "\ud800"
VALID_BSN = "123456782"

Path = tuple[Any, ...]


def _set(report: dict[str, Any], path: Path, value: Any) -> None:
    target: Any = report
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


def _reasons_at(reasons: Any, path: Path) -> Any:
    """The reasons for the field at ``path`` (DRF nests a list's errors by index)."""
    for step in path:
        if isinstance(reasons, dict) and isinstance(step, int):
            step = str(step)  # a list field's errors by index: {"0": [...]}
        reasons = reasons[step]
    return reasons


# Every string field of a report, by its path.
STRING_FIELDS: list[Path] = [
    ("report_id",),
    ("reported_at",),
    ("description",),
    ("violence_types", 0),
    ("persons", 0, "role"),
    ("persons", 0, "bsn"),
    ("persons", 0, "given_names"),
    ("persons", 0, "initials"),
    ("persons", 0, "surname_prefix"),
    ("persons", 0, "surname"),
    ("persons", 0, "date_of_birth"),
    ("persons", 0, "sex"),
    ("persons", 0, "address", "street"),
    ("persons", 0, "address", "house_letter"),
    ("persons", 0, "address", "house_number_addition"),
    ("persons", 0, "address", "postcode"),
    ("persons", 0, "address", "city"),
    ("reporter", "name"),
    ("reporter", "unit"),
    ("reporter", "phone"),
    ("reporter", "email"),
]

TOMORROW = (clock.today() + dt.timedelta(days=1)).isoformat()
NEXT_MONTH = (clock.today().replace(day=1) + dt.timedelta(days=32)).strftime("%Y-%m")

# (what, path of the bad value, the bad value, path of the field the answer must name)
BAD: list[tuple[str, Path, Any, Path]] = [
    # identifiers in digits other than ASCII's
    ("superscript BSN", ("persons", 0, "bsn"), "²²²²²²²²²", ("persons", 0, "bsn")),
    ("Arabic-Indic BSN", ("persons", 0, "bsn"), "١٢٣٤٥٦٧٨٢", ("persons", 0, "bsn")),
    ("fullwidth BSN", ("persons", 0, "bsn"), "１２３４５６７８２", ("persons", 0, "bsn")),
    ("Devanagari BSN", ("persons", 0, "bsn"), "१२३४५६७८२", ("persons", 0, "bsn")),
    ("BSN of 4,300 digits", ("persons", 0, "bsn"), "1" * 4300, ("persons", 0, "bsn")),
    (
        "fullwidth postcode",
        ("persons", 0, "address", "postcode"),
        "２５１１ BT",
        ("persons", 0, "address", "postcode"),
    ),
    ("superscript phone", ("reporter", "phone"), "070-³³³⁴⁴⁴⁴", ("reporter", "phone")),
    ("phone with letters", ("reporter", "phone"), "bel maar", ("reporter", "phone")),
    # control characters
    ("NUL in a name", ("persons", 0, "surname"), "Jan\x00sen", ("persons", 0, "surname")),
    ("escape in a name", ("persons", 0, "surname"), "Jan\x1b[2Jsen", ("persons", 0, "surname")),
    ("line feed in a name", ("persons", 0, "given_names"), "Eva\nAnna", ("persons", 0)),
    ("C1 control in report_id", ("report_id",), "PL-\x85-1", ("report_id",)),
    # impossible dates
    ("birth tomorrow", ("persons", 0, "date_of_birth"), TOMORROW, ("persons", 0, "date_of_birth")),
    (
        "birth next month",
        ("persons", 0, "date_of_birth"),
        NEXT_MONTH,
        ("persons", 0, "date_of_birth"),
    ),
    ("birth in 1850", ("persons", 0, "date_of_birth"), "1850-01-01", ("persons", 0)),
    ("birth 31 February", ("persons", 0, "date_of_birth"), "1990-02-31", ("persons", 0)),
    ("birth in Arabic-Indic digits", ("persons", 0, "date_of_birth"), "١٩٩٠", ("persons", 0)),
    ("reported in 1900", ("reported_at",), "1900-01-01T12:00:00+01:00", ("reported_at",)),
    ("reported in 1989", ("reported_at",), "1989-12-31T12:00:00+01:00", ("reported_at",)),
    ("reported without offset", ("reported_at",), "2026-11-19T22:15:00", ("reported_at",)),
    ("reported as a date only", ("reported_at",), "2026-11-19", ("reported_at",)),
    ("reported tomorrow", ("reported_at",), f"{TOMORROW}T12:00:00+01:00", ("reported_at",)),
    ("reported at 25 o'clock", ("reported_at",), "2026-11-19T25:00:00+01:00", ("reported_at",)),
    # wrong JSON types
    ("phone 0", ("reporter", "phone"), 0, ("reporter", "phone")),
    ("email 0", ("reporter", "email"), 0, ("reporter", "email")),
    ("acute 1", ("acute",), 1, ("acute",)),
    ("structural null", ("structural",), None, ("structural",)),
    ("human_trafficking 'true'", ("human_trafficking",), "true", ("human_trafficking",)),
    (
        "house_number '12'",
        ("persons", 0, "address", "house_number"),
        "12",
        ("persons", 0, "address", "house_number"),
    ),
    (
        "house_number 12.0",
        ("persons", 0, "address", "house_number"),
        12.0,
        ("persons", 0, "address", "house_number"),
    ),
    (
        "house_number true",
        ("persons", 0, "address", "house_number"),
        True,
        ("persons", 0, "address", "house_number"),
    ),
    ("surname 123", ("persons", 0, "surname"), 123, ("persons", 0, "surname")),
    ("bsn as a number", ("persons", 0, "bsn"), 123456782, ("persons", 0, "bsn")),
    ("date_of_birth 1990", ("persons", 0, "date_of_birth"), 1990, ("persons", 0)),
    ("sex 1", ("persons", 0, "sex"), 1, ("persons", 0, "sex")),
    ("report_id 5", ("report_id",), 5, ("report_id",)),
    ("description []", ("description",), [], ("description",)),
    ("violence_types a string", ("violence_types",), "ex_partnergeweld", ("violence_types",)),
    ("violence type 3", ("violence_types", 0), 3, ("violence_types",)),
    ("persons {}", ("persons",), {}, ("persons",)),
    ("reporter a string", ("reporter",), "Agent", ("reporter",)),
    ("address a list", ("persons", 0, "address"), [], ("persons", 0, "address")),
    ("nested too deep for a field", ("description",), [[[["x"]]]], ("description",)),
    # unknown fields
    ("unknown field", ("colour",), "red", ("colour",)),
    ("unknown person field", ("persons", 0, "nickname"), "Eef", ("persons", 0, "nickname")),
    ("unknown reporter field", ("reporter", "rank"), "agent", ("reporter", "rank")),
    ("unknown field named by a lone surrogate", (SURROGATE,), 1, ("\ufffd",)),
    ("unknown field with a lone surrogate", ("extra",), f"x{SURROGATE}", ("extra",)),
    # lengths
    ("surname of 201 characters", ("persons", 0, "surname"), "J" * 201, ("persons", 0)),
    ("report_id of 101 characters", ("report_id",), "P" * 101, ("report_id",)),
    ("description of 20,001 characters", ("description",), "x" * 20_001, ("description",)),
] + [
    (f"lone surrogate in {'.'.join(map(str, path))}", path, f"a{SURROGATE}b", path[:3])
    for path in STRING_FIELDS
]


def _bad_report(n: int, path: Path, value: Any) -> dict[str, Any]:
    report = police_report(n)
    report["persons"][0]["bsn"] = VALID_BSN if path != ("persons", 0, "bsn") else ""
    _set(report, path, value)
    if path != ("report_id",):
        report["report_id"] = f"BAD-{n:04d}"
    return report


def _post(police: PoliceChannel, reports: list[Any]) -> Any:
    # json.dumps writes a lone surrogate as the escape \ud800, as a sender would
    body = json.dumps({"reports": reports})
    return police.client.post(URL, body, content_type="application/json")


def test_each_bad_value_is_rejected_by_name_and_the_good_reports_are_stored(
    police: PoliceChannel,
) -> None:
    good_first, good_last = police_report(1), police_report(2)
    bad = [_bad_report(100 + i, path, value) for i, (_, path, value, _) in enumerate(BAD)]
    batch = [good_first, *bad, good_last]
    response = _post(police, batch)
    assert response.status_code == 422, response.content
    body = response.json()
    results = body["results"]
    assert len(results) == len(batch)
    assert [results[0]["status"], results[-1]["status"]] == ["accepted", "accepted"]
    assert body["accepted"] == 2 and body["rejected"] == len(BAD)
    for (what, _, _, named), result in zip(BAD, results[1:-1], strict=True):
        assert result["status"] == "rejected", what
        assert result["id"] is None
        assert _reasons_at(result["reasons"], named), (what, result["reasons"])
    assert set(Contact.objects.values_list("external_id", flat=True)) == {"PL-000001", "PL-000002"}
    assert not Person.objects.filter(bsn=VALID_BSN).exists()

    # The answer never holds a lone surrogate: an echoed one is U+FFFD.
    assert "\\ud800" not in response.content.decode()
    surrogate_id = next(r for r in results if r["report_id"] and "\ufffd" in r["report_id"])
    assert surrogate_id["reasons"]["report_id"]

    # Resent, the batch gets the same answer per report and stores nothing twice.
    again = _post(police, batch)
    assert again.status_code == 422
    for first, second in zip(results, again.json()["results"], strict=True):
        expected = {**first, "status": "duplicate"} if first["status"] == "accepted" else first
        assert second == expected
    assert Contact.objects.count() == 2


def test_an_invalid_report_in_the_middle_stalls_nothing_and_resending_is_idempotent(
    police: PoliceChannel,
) -> None:
    """The batch of the issue: the superscript BSN in the middle no longer stops the rest."""
    batch = [police_report(n) for n in range(5)]
    batch[2]["persons"][0]["bsn"] = "²²²²²²²²²"
    first = _post(police, batch)
    assert first.status_code == 422
    assert [r["status"] for r in first.json()["results"]] == ["accepted"] * 2 + ["rejected"] + [
        "accepted"
    ] * 2
    persons = Person.objects.count()
    for _ in range(2):
        again = _post(police, batch)
        assert [r["status"] for r in again.json()["results"]] == ["duplicate"] * 2 + [
            "rejected"
        ] + ["duplicate"] * 2
        assert [r["id"] for r in again.json()["results"]] == [
            r["id"] for r in first.json()["results"]
        ]
        assert again.json()["results"][2] == first.json()["results"][2]
    assert Contact.objects.count() == 4
    assert Person.objects.count() == persons


def test_a_date_of_birth_after_the_report_is_rejected(police: PoliceChannel) -> None:
    report = police_report(1, reported_at="2020-01-01T10:00:00+01:00")
    report["persons"][1]["date_of_birth"] = "2021"
    response = _post(police, [report, police_report(2)])
    result = response.json()["results"][0]
    assert result["status"] == "rejected"
    assert result["reasons"]["persons"][1]["date_of_birth"]
    assert response.json()["results"][1]["status"] == "accepted"


def test_names_are_stored_in_nfc(police: PoliceChannel) -> None:
    report = police_report(1)
    report["persons"][0]["given_names"] = "Zoe\u0301"  # e + combining acute accent
    assert _post(police, [report]).status_code == 200
    assert Person.objects.filter(given_names="Zo\u00e9").exists()


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1_000, 100_000])
def test_deeply_nested_json_is_a_400_with_a_message(police: PoliceChannel, depth: int) -> None:
    for body in (
        _nested(depth),
        '{"reports": [' + json.dumps(police_report(1))[:-1] + ', "x": ' + _nested(depth) + "}]}",
        "[" * depth,  # never closed
    ):
        response = police.client.post(URL, body, content_type="application/json")
        assert response.status_code == 400
        assert "nested deeper than 32 levels" in response.json()["detail"]
    assert not Contact.objects.exists()


def test_the_depth_check_reads_brackets_outside_strings_only() -> None:
    assert not json_too_deep(json.dumps({"a": "[" * 100, "b": ['"\\"[[[[' * 50]}).encode())
    assert not json_too_deep(_nested(MAX_JSON_DEPTH).encode())
    assert json_too_deep(_nested(MAX_JSON_DEPTH + 1).encode())
    assert json_too_deep(("{" + '"a":' * 1 + "[" * 40).encode())


@pytest.mark.parametrize(
    "mutate",
    [
        lambda r: r["persons"][0].update(bsn="\u00b2" * 9),
        lambda r: r.update(report_id=f"PL-{SURROGATE}"),
        lambda r: r.update(violence_types=[SURROGATE]),
        lambda r: r.update(**{f"x{SURROGATE}": SURROGATE}),
    ],
    ids=["superscript-bsn", "surrogate-report-id", "surrogate-violence-type", "surrogate-key"],
)
def test_the_issues_reports_never_answer_500(
    police: PoliceChannel, mutate: Callable[[dict[str, Any]], None]
) -> None:
    bad = copy.deepcopy(police_report(5))
    mutate(bad)
    response = _post(police, [police_report(4), bad, police_report(6)])
    assert response.status_code == 422
    assert [r["status"] for r in response.json()["results"]] == [
        "accepted",
        "rejected",
        "accepted",
    ]
