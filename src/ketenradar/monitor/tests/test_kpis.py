"""Every KPI on a constructed history with known answers (docs/monitor.md#kpis)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.conftest import World
from ketenradar.core.tests.factories import MunicipalityFactory
from ketenradar.monitor import selectors
from ketenradar.monitor.selectors import Scope
from ketenradar.monitor.services import postcode_areas_set
from ketenradar.monitor.tests.conftest import Desk, moment, person
from ketenradar.regions.models import Municipality, Subregion
from ketenradar.reports.constants import (
    AssessmentDecision,
    Channel,
    ContactKind,
    DossierState,
    EarlierInvolvement,
    MonitoringOutcome,
    PersonRole,
    ReporterCategory,
    ViolenceType,
)

SYSTEM = Actor.system("test:monitor")
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


@dataclass
class Map:
    den_haag: Municipality
    delft: Municipality
    dwo: Subregion


@pytest.fixture
def places(world: World) -> Map:
    den_haag = Municipality.objects.get(cbs_code="GM0518")
    haag = Subregion.objects.create(region=world.region, name="Den Haag")
    dwo = Subregion.objects.create(region=world.region, name="DWO")
    den_haag.subregion = haag
    den_haag.inhabitants = 50_000
    den_haag.save()
    delft = MunicipalityFactory(
        region=world.region, subregion=dwo, cbs_code="GM0503", name="Delft", inhabitants=100_000
    )
    postcode_areas_set(actor=SYSTEM, municipality=den_haag, ranges=[(2491, 2599)])
    postcode_areas_set(actor=SYSTEM, municipality=delft, ranges=[(2611, 2629)])
    return Map(den_haag=den_haag, delft=delft, dwo=dwo)


def in_den_haag(n: int) -> Any:
    return person(n, postcode="2511AB", house_number=n + 1, street="Spui", city="Den Haag")


def in_delft(n: int) -> Any:
    return person(n, postcode="2611CD", house_number=n + 1, street="Markt", city="Delft")


def raw(fn: Any, scope: Scope, start: dt.date, end: dt.date, **kw: Any) -> Any:
    return fn(actor=SYSTEM, scope=scope, start=start, end=end, suppressed=False, **kw)


def test_volumes_growth_per_inhabitants_reporters_and_types(
    desk: Desk, world: World, places: Map
) -> None:
    for i in range(12):  # Den Haag, police, partner violence
        desk.report(moment(f"2026-03-{i + 2:02d}"), [in_den_haag(i)])
    for i in range(12, 15):  # Den Haag, a school, child abuse (and partner violence once)
        types = [ViolenceType.CHILD_ABUSE] + ([ViolenceType.PARTNER_VIOLENCE] if i == 12 else [])
        desk.report(
            moment("2026-03-20"),
            [in_den_haag(i)],
            role=PersonRole.CHILD,
            channel=Channel.PHONE,
            category=ReporterCategory.EDUCATION,
            types=types,
        )
    for i in range(15, 17):  # Delft, health care
        desk.report(
            moment("2026-03-21"),
            [in_delft(i)],
            channel=Channel.PHONE,
            category=ReporterCategory.HEALTH_CARE,
            types=[ViolenceType.ELDER_ABUSE],
        )
    desk.advice(moment("2026-03-03"), channel=Channel.PHONE, category=ReporterCategory.OTHER)
    desk.advice(moment("2026-03-31", 23), channel=Channel.PHONE, category=ReporterCategory.OTHER)
    desk.advice(moment("2026-04-01", 0), channel=Channel.PHONE, category=ReporterCategory.OTHER)
    for i in range(20, 30):  # the previous 31 days: 2026-01-29 .. 2026-02-28
        desk.report(moment("2026-01-29" if i == 20 else "2026-02-28"), [in_den_haag(i)])
    desk.report(moment("2026-01-28"), [in_den_haag(30)])  # before the previous period
    desk.refresh()

    region = Scope(region=world.region)
    v = raw(selectors.volumes, region, *MARCH)
    assert v["previous_period"] == (dt.date(2026, 1, 29), dt.date(2026, 2, 28))
    assert v["reports"] == {"count": 17, "previous": 10, "growth": 0.7, "per_10000": 1.1333}
    assert v["advice_requests"]["count"] == 2  # the one at 00:00 on 1 April is April's
    assert v["advice_requests"]["growth"] is None  # none before: no growth

    haag = raw(selectors.volumes, Scope(region=world.region, municipality=places.den_haag), *MARCH)
    assert haag["reports"] == {"count": 15, "previous": 10, "growth": 0.5, "per_10000": 3.0}
    assert haag["advice_requests"]["count"] == 0  # anonymous: municipality unknown
    dwo = raw(selectors.volumes, Scope(region=world.region, subregion=places.dwo), *MARCH)
    assert dwo["reports"]["count"] == 2
    assert dwo["reports"]["per_10000"] == 0.2

    p = raw(selectors.report_profile, region, *MARCH)
    assert p["reports"] == 17
    assert p["by_reporter"][ReporterCategory.JUSTICE_SECURITY]["count"] == 12
    assert p["by_reporter"][ReporterCategory.EDUCATION]["count"] == 3
    assert p["police_share"] == 12 / 17
    types = p["by_violence_type"]
    assert types[ViolenceType.PARTNER_VIOLENCE]["count"] == 13
    assert types[ViolenceType.CHILD_ABUSE]["count"] == 3
    assert types[ViolenceType.ELDER_ABUSE]["count"] == 2
    assert types[ViolenceType.UNKNOWN]["count"] == 0
    assert p["by_earlier_involvement"][EarlierInvolvement.FIRST]["count"] == 17

    # the same figures as a policy officer sees them: small counts suppressed
    officer = world.actor("policy_officer", "other_org")
    seen = selectors.volumes(
        actor=officer,
        scope=Scope(region=world.region, subregion=places.dwo),
        start=MARCH[0],
        end=MARCH[1],
    )
    assert seen["reports"] == {"count": "<10", "previous": 0, "growth": None, "per_10000": "<10"}
    seen = selectors.report_profile(actor=officer, scope=region, start=MARCH[0], end=MARCH[1])
    assert seen["by_reporter"][ReporterCategory.EDUCATION] == {"count": "<10", "share": "<10"}
    # Den Haag's page (15 reports: 12 police, 3 education) would give the 3 away, so the
    # police count is suppressed there, and in the region's table it is linked to
    assert seen["police_share"] == "x"
    assert seen["by_reporter"][ReporterCategory.JUSTICE_SECURITY]["count"] == "x"


def test_the_cbs_classification_split(desk: Desk, world: World, places: Map) -> None:
    a, b, c, d, e = (in_den_haag(i) for i in range(5))
    first = desk.report(moment("2026-03-02"), [a])
    assert first.dossier is not None
    desk.report(moment("2026-03-03"), [a])  # during the assessment: joins
    desk.decide(first.dossier, moment("2026-03-04"), AssessmentDecision.CONDITIONS)
    desk.report(moment("2026-03-05"), [a, b])  # after the assessment: joins
    desk.move(first.dossier, moment("2026-03-06"), DossierState.MONITORING)
    desk.report(moment("2026-03-09"), [b])  # b is in the dossier: during monitoring
    desk.move(first.dossier, moment("2026-03-10"), DossierState.CLOSED)
    desk.report(moment("2026-03-11"), [a])  # known, dossier closed: repeat report
    desk.report(moment("2026-03-12"), [c], kind=ContactKind.ADVICE)
    desk.report(moment("2026-03-13"), [c])  # known from an advice request: repeat report
    desk.report(moment("2026-03-16"), [d, e])  # first report (two new persons)
    desk.refresh()

    split = raw(selectors.report_profile, Scope(region=world.region), *MARCH)
    counts = {k: v["count"] for k, v in split["by_earlier_involvement"].items()}
    assert counts == {
        EarlierInvolvement.FIRST: 2,
        EarlierInvolvement.REPEAT: 2,
        EarlierInvolvement.DURING_ASSESSMENT: 1,
        EarlierInvolvement.AFTER_ASSESSMENT: 1,
        EarlierInvolvement.DURING_MONITORING: 1,
    }
    assert split["reports"] == 7
    assert split["follow_up"] == {"count": 3, "share": 3 / 7}
    assert split["by_earlier_involvement"][EarlierInvolvement.FIRST]["share"] == 2 / 7


def test_timeliness_waiting_list_and_monitoring(desk: Desk, world: World, places: Map) -> None:
    # received Monday 2 March 2026: due at the end of Monday 9 March (5 working days)
    on_time = [desk.report(moment("2026-03-02"), [in_den_haag(i)]).dossier for i in range(3)]
    late = desk.report(moment("2026-03-02"), [in_den_haag(3)]).dossier
    for dossier in on_time:
        assert dossier is not None
        desk.decide(dossier, moment("2026-03-09", 17), AssessmentDecision.INVESTIGATION)
    assert late is not None
    desk.decide(late, moment("2026-03-10", 9), AssessmentDecision.HANDOVER)
    # investigations started 9 March are due 18 May 17:00
    desk.investigate(on_time[0], moment("2026-05-18", 16))
    desk.investigate(on_time[1], moment("2026-05-18", 18))  # late
    # waiting at the end of March: opened 20 and 30 March, one decided only in April
    waiting = desk.report(moment("2026-03-20"), [in_den_haag(10)]).dossier
    desk.report(moment("2026-03-30"), [in_den_haag(11)])
    assert waiting is not None
    desk.decide(waiting, moment("2026-04-02"), AssessmentDecision.END)
    # monitoring of the handover: 3 months after 10 March
    desk.monitor(late, 3, moment("2026-06-11"), MonitoringOutcome.SAFE)
    desk.refresh()
    region = Scope(region=world.region)

    t = raw(selectors.timeliness, region, *MARCH)
    assert t["assessments"] == {
        "count": 4,
        "within": 3,
        "share": 0.75,
        "norm": 0.9,
        "meets_norm": False,
    }
    assert t["waiting_list"] == {"count": 2, "mean_age_days": 6.0, "max_age_days": 11}
    may = raw(selectors.timeliness, region, dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert may["investigations"] == {
        "count": 2,
        "within": 1,
        "share": 0.5,
        "norm": 0.8,
        "meets_norm": False,
    }
    # the report of 30 March is still waiting at the end of May
    assert may["waiting_list"] == {"count": 1, "mean_age_days": 62.0, "max_age_days": 62}

    m = raw(selectors.monitoring_outcomes, region, dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    assert m[3] == {"recorded": 1, "veilig": 1, "zorgen": 0, "onveilig": 0, "safe_share": 1.0}
    assert m[12]["recorded"] == 0 and m[12]["safe_share"] is None


def test_monitoring_outcomes_share_safe(desk: Desk, world: World, places: Map) -> None:
    outcomes = ["veilig", "veilig", "zorgen", "onveilig"]
    for i, outcome in enumerate(outcomes):
        dossier = desk.report(moment("2026-01-05"), [in_den_haag(i)]).dossier
        assert dossier is not None
        desk.decide(dossier, moment("2026-01-06"), AssessmentDecision.HANDOVER)
        desk.monitor(dossier, 3, moment("2026-04-07"), outcome)
    desk.refresh()
    m = raw(
        selectors.monitoring_outcomes,
        Scope(region=world.region),
        dt.date(2026, 4, 1),
        dt.date(2026, 4, 30),
    )
    assert m[3]["recorded"] == 4
    assert m[3]["safe_share"] == 0.5
    assert m[3]["onveilig"] == 1


def test_repeat_within_12_months_after_closure(desk: Desk, world: World, places: Map) -> None:
    def closed_on(day: str, n: int) -> Any:
        dossier = desk.report(moment(day, 8), [in_den_haag(n)]).dossier
        assert dossier is not None
        desk.close(dossier, moment(day, 12))
        return dossier

    closed_on("2025-03-10", 1)  # a report exactly 12 months later: a repeat
    desk.report(moment("2026-03-10", 20), [in_den_haag(1)])
    closed_on("2025-03-11", 2)  # 12 months and a day later: not
    desk.report(moment("2026-03-12"), [in_den_haag(2)])
    # a follow-up report before the closure joins the dossier: not a repeat
    joined = desk.report(moment("2025-03-05"), [in_den_haag(3)]).dossier
    assert joined is not None
    desk.report(moment("2025-03-06"), [in_den_haag(3)])
    desk.close(joined, moment("2025-03-12"))
    closed_on("2025-03-13", 4)  # a report on the day of closure, after it: a repeat
    desk.report(moment("2025-03-13", 15), [in_den_haag(4)])
    closed_on("2025-03-14", 5)  # only an advice request later: not a repeat
    desk.report(moment("2025-06-01"), [in_den_haag(5)], kind=ContactKind.ADVICE)
    closed_on("2025-03-20", 6)  # 12 months not yet over on 15 March 2026: not followed yet
    desk.report(moment("2025-04-01"), [in_den_haag(6)])
    closed_on("2025-04-02", 7)  # closed after the period
    desk.refresh()

    r = raw(
        selectors.repeat_after_closure,
        Scope(region=world.region),
        dt.date(2025, 3, 1),
        dt.date(2025, 3, 31),
        as_of=dt.date(2026, 3, 15),
    )
    assert r == {"closed": 6, "not_yet_followed": 1, "followed": 5, "repeated": 2, "share": 0.4}
    # the dossier closed on 20 March 2025 counts once its 12 months are over
    later = raw(
        selectors.repeat_after_closure,
        Scope(region=world.region),
        dt.date(2025, 3, 1),
        dt.date(2025, 3, 31),
        as_of=dt.date(2026, 3, 20),
    )
    assert later["followed"] == 6 and later["repeated"] == 3


def test_a_dossier_closed_on_29_february_is_followed_until_28_february(
    desk: Desk, world: World, places: Map
) -> None:
    for n, later in ((1, "2025-02-28"), (2, "2025-03-01")):
        dossier = desk.report(moment("2024-02-29", 8), [in_den_haag(n)]).dossier
        assert dossier is not None
        desk.close(dossier, moment("2024-02-29", 12))
        desk.report(moment(later), [in_den_haag(n)])
    desk.refresh()

    def on(as_of: dt.date) -> Any:
        return raw(
            selectors.repeat_after_closure,
            Scope(region=world.region),
            dt.date(2024, 2, 1),
            dt.date(2024, 2, 29),
            as_of=as_of,
        )

    assert on(dt.date(2025, 2, 27))["not_yet_followed"] == 2
    # followed from 28 February 2025 on; only the report on that day is within 12 months
    assert on(dt.date(2025, 2, 28)) == {
        "closed": 2,
        "not_yet_followed": 0,
        "followed": 2,
        "repeated": 1,
        "share": 0.5,
    }


def test_the_kpis_take_as_many_queries_for_many_facts_as_for_few(
    desk: Desk, world: World, places: Map
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        desk.refresh()
        with CaptureQueriesContext(connection) as captured:
            selectors.kpis(
                actor=SYSTEM,
                scope=Scope(region=world.region),
                start=dt.date(2025, 3, 1),
                end=dt.date(2026, 3, 31),
                as_of=dt.date(2026, 4, 1),
                suppressed=False,
            )
        return len(captured)

    def closed_and_repeated(n: int, day: str) -> None:
        dossier = desk.report(moment(day, 8), [in_den_haag(n), in_delft(n + 100)]).dossier
        assert dossier is not None
        desk.close(dossier, moment(day, 12))
        desk.report(moment("2026-01-05"), [in_delft(n + 100)])

    closed_and_repeated(1, "2025-03-02")
    few = queries()
    for n in range(2, 12):
        closed_and_repeated(n, f"2025-03-{n + 1:02d}")
    assert queries() == few  # counted by the database, not fetched row by row
    repeat = selectors.repeat_after_closure(
        actor=SYSTEM,
        scope=Scope(region=world.region),
        start=dt.date(2025, 3, 1),
        end=dt.date(2025, 3, 31),
        as_of=dt.date(2026, 4, 1),
        suppressed=False,
    )
    assert repeat["followed"] == 11 and repeat["repeated"] == 11


def test_the_trend_counts_whole_months_also_of_a_period_ending_in_one(
    desk: Desk, world: World, places: Map
) -> None:
    desk.report(moment("2026-03-10"), [in_den_haag(1)])
    desk.report(moment("2026-03-25"), [in_den_haag(2)])  # after the period, in its month
    desk.refresh()
    trend = selectors.monthly_trend(
        actor=SYSTEM,
        scope=Scope(region=world.region),
        start=dt.date(2026, 3, 1),
        end=dt.date(2026, 3, 15),
        suppressed=False,
    )
    assert trend[-1] == {"month": dt.date(2026, 3, 1), "advice_requests": 0, "reports": 2}
    v = raw(
        selectors.volumes, Scope(region=world.region), dt.date(2026, 3, 1), dt.date(2026, 3, 15)
    )
    assert v["reports"]["count"] == 1
