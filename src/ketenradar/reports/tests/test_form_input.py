"""Odd and hostile input on the screens' forms (intake, meldcode, search): every value is
answered with a form error or taken clean, never with a server error; the same BSN in any
script of digits is one person."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.test import Client
from django.urls import reverse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketenradar.accounts.constants import RoleCode
from ketenradar.conftest import World, login
from ketenradar.core.cleaning import CONTROL_RE, SURROGATE_RE
from ketenradar.persons.forms import PersonSearchForm
from ketenradar.persons.models import Person
from ketenradar.persons.validators import normalise_bsn
from ketenradar.reports.forms import (
    ContactIntakeForm,
    MeldcodeForm,
    ReportContentForm,
    ReportedPersonForm,
    ReporterForm,
    SubmitToVeiligThuisForm,
)
from ketenradar.reports.tests.conftest import PoliceChannel, police_report

EXAMPLES = 60

# Decimal digits of many scripts, and characters that only look like digits.
DIGIT_SCRIPTS = [
    "0123456789",
    "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic
    "۰۱۲۳۴۵۶۷۸۹",  # Extended Arabic-Indic
    "०१२३४५६७८९",  # Devanagari
    "০১২৩৪৫৬৭৮৯",  # Bengali
    "๐๑๒๓๔๕๖๗๘๙",  # Thai
    "０１２３４５６７８９",  # fullwidth
    "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",  # mathematical bold
]
LOOK_ALIKES = "⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂①②③½"
SURROGATES = "\ud800\udbff\udc00\udfff"

hostile_text = st.one_of(
    st.text(),  # every category, lone surrogates included
    st.text(alphabet=st.sampled_from("".join(DIGIT_SCRIPTS) + LOOK_ALIKES), max_size=12),
    st.text(alphabet=st.characters(codec=None, categories=["Cc", "Cs", "Cf", "Zs"])),
    st.text(min_size=4_000, max_size=4_400, alphabet="19"),  # past Python's int limit
    st.builds(lambda s, c: s + c + s, st.text(max_size=5), st.sampled_from(SURROGATES)),
    st.sampled_from(["", " ", "0", "-1", "1e9999", "NaN", "²²²²²²²²²", "１２３４５６７８２"]),
)
hostile_date = st.one_of(
    hostile_text,
    st.dates(min_value=dt.date(1, 1, 1)).map(dt.date.isoformat),
    st.datetimes(min_value=dt.datetime(1, 1, 1)).map(lambda d: d.strftime("%Y-%m-%dT%H:%M")),
    st.sampled_from(["9999-12-31", "0001-01-01", "2026-02-30", "1900-01-01T00:00"]),
)


def _values(form_class: type[forms.BaseForm], prefix: str = "") -> st.SearchStrategy[Any]:
    """A bound form's data: a hostile value for each field (dates get dates too)."""
    names = list(form_class.base_fields)
    date_like = (forms.DateField, forms.DateTimeField)
    return st.fixed_dictionaries(
        {
            prefix + name: (
                hostile_date
                if isinstance(form_class.base_fields[name], date_like)
                else hostile_text
            )
            for name in names
        }
    )


def _assert_clean(form: forms.BaseForm) -> None:
    """A form never raises; when valid its text holds no lone surrogate or control
    character (except a textarea's line breaks and tabs)."""
    if not form.is_valid():
        assert form.errors
        return
    for name, value in form.cleaned_data.items():
        if isinstance(value, str):
            assert not SURROGATE_RE.search(value), name
            if not isinstance(form.fields[name].widget, forms.Textarea):
                assert not CONTROL_RE.search(value), name


FORMS = [
    ReportedPersonForm,
    ContactIntakeForm,
    ReportContentForm,
    ReporterForm,
    SubmitToVeiligThuisForm,
    MeldcodeForm,
    PersonSearchForm,
]


@pytest.mark.parametrize("form_class", FORMS, ids=[f.__name__ for f in FORMS])
@pytest.mark.django_db
def test_forms_take_any_input_without_error(form_class: type[forms.BaseForm]) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True)
    @given(data=_values(form_class))
    def check(data: dict[str, Any]) -> None:
        _assert_clean(form_class(data))

    check()


@pytest.mark.parametrize("digits", DIGIT_SCRIPTS)
def test_a_bsn_in_any_script_of_digits_is_the_same_bsn(digits: str) -> None:
    bsn = "".join(digits[int(d)] for d in "123456782")
    form = ReportedPersonForm({"role": "slachtoffer", "surname": "Jansen", "bsn": bsn})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["bsn"] == "123456782"
    assert normalise_bsn(bsn) == "123456782"


@pytest.mark.parametrize("bsn", ["²²²²²²²²²", "¹²³⁴⁵⁶⁷⁸²", "①②③④⑤⑥⑦⑧②", "1" * 4300])
def test_a_bsn_of_look_alike_digits_is_a_form_error(bsn: str) -> None:
    form = ReportedPersonForm({"role": "slachtoffer", "surname": "Jansen", "bsn": bsn})
    assert not form.is_valid()
    assert "bsn" in form.errors


def test_impossible_dates_are_form_errors() -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()  # noqa: DTZ011
    person = {"role": "slachtoffer", "surname": "Jansen"}
    for born in (tomorrow, "1850-01-01"):
        form = ReportedPersonForm({**person, "date_of_birth": born})
        assert "date_of_birth" in form.errors, born
    for received in ("1900-01-01T10:00", "1989-12-31T23:59", f"{tomorrow}T23:59"):
        intake = ContactIntakeForm(
            {"kind": "melding", "channel": "telefoon", "reporter_category": "onderwijs"}
            | {"received_at": received}
        )
        assert "received_at" in intake.errors, received


def test_the_same_bsn_in_arabic_indic_digits_on_the_intake_screen_is_the_same_person(
    police: PoliceChannel, world: World, client: Client
) -> None:
    """The police report the BSN in ASCII digits; the intake types it in Arabic-Indic ones."""
    report = police_report(1)
    report["persons"][0]["bsn"] = "123456782"
    assert police.client.post("/api/v1/politie/meldingen/", {"reports": [report]}, format="json")
    assert Person.objects.filter(bsn="123456782").count() == 1
    persons_with_bsn = Person.objects.exclude(bsn__isnull=True).count()

    from ketenradar.reports.tests.test_advice_conversion import vt_staff
    from ketenradar.reports.tests.test_contact_screens import intake_form

    intake = vt_staff(police, RoleCode.VT_INTAKE, "intake")
    login(client, intake.user)
    form = intake_form(
        **{
            "received_at": dt.datetime.now().strftime("%Y-%m-%dT%H:%M"),  # noqa: DTZ005
            "persoon-1-bsn": "١٢٣٤٥٦٧٨٢",
        }
    )
    response = client.post(reverse("reports:contact_new"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Person.objects.filter(bsn="123456782").count() == 1
    assert Person.objects.exclude(bsn__isnull=True).count() == persons_with_bsn


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query=hostile_text)
def test_the_search_screen_and_api_never_fail(world: World, query: str) -> None:
    client = login(Client(), world.user(RoleCode.VT_PROFESSIONAL, "involved"))
    safe = SURROGATE_RE.sub("", query)  # a URL cannot carry a lone surrogate
    page = client.get(reverse("persons:list"), {"q": safe})
    assert page.status_code == 200
    api = client.get("/api/v1/personen/", {"q": safe})
    assert api.status_code in (200, 400)
    if api.status_code == 400:
        assert api.json()["detail"].startswith("q:")


def test_a_search_of_4300_digits_is_refused_by_name(world: World) -> None:
    client = login(Client(), world.user(RoleCode.VT_PROFESSIONAL, "involved"))
    for query in ("1" * 4300, "1234 AB " + "9" * 4300, "01-01-" + "9" * 4300):
        api = client.get("/api/v1/personen/", {"q": query})
        assert api.status_code == 400
        assert api.json()["detail"].startswith("q:")
        page = client.get(reverse("persons:list"), {"q": query})
        assert page.status_code == 200
    for query in ("1234 AB " + "9" * 92, "1234AB 99999999999", "١٢٣٤٥٦٧٨٢"):
        assert client.get("/api/v1/personen/", {"q": query}).status_code == 200
        assert client.get(reverse("persons:list"), {"q": query}).status_code == 200
