"""The session row is written only when the session changed or its last save is a minute old
(``accounts.middleware.ThrottledSessionMiddleware``), and the idle and absolute timeouts
still hold. Time is moved with time-machine; nothing here depends on the clock's speed."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import time_machine

from ketenradar.accounts.constants import RoleCode
from ketenradar.accounts.middleware import SESSION_REFRESH_SECONDS, SESSION_SAVED_AT
from ketenradar.accounts.models import Membership
from ketenradar.conftest import PASSWORD, World

AMS = ZoneInfo("Europe/Amsterdam")
MORNING = dt.datetime(2026, 12, 7, 8, 30, tzinfo=AMS)
PAGE = "core:start"


def _sign_in(client: Any, world: World) -> Session:
    """Through the sign-in form, as a person does; returns the session row."""
    user = world.user(RoleCode.VT_PROFESSIONAL, "involved")
    response = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
    )
    assert response.status_code == 302
    return Session.objects.get(session_key=client.session.session_key)


def _session_writes(queries: CaptureQueriesContext) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")
    ]


def _signed_in(response: Any) -> bool:
    if response.status_code == 200:
        return True
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login")), response["Location"]
    return False


def test_signing_in_saves_the_session_with_its_save_time(world: World, client: Any) -> None:
    with time_machine.travel(MORNING, tick=False):
        row = _sign_in(client, world)
    assert row.expire_date == MORNING + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert row.get_decoded()[SESSION_SAVED_AT] == MORNING.timestamp()


def test_requests_within_a_minute_do_not_write_the_session(world: World, client: Any) -> None:
    with time_machine.travel(MORNING, tick=False) as traveller:
        row = _sign_in(client, world)
        for _ in range(3):
            traveller.shift(dt.timedelta(seconds=(SESSION_REFRESH_SECONDS - 1) / 3))
            with CaptureQueriesContext(connection) as queries:
                assert _signed_in(client.get(reverse(PAGE)))
            assert _session_writes(queries) == []
    assert Session.objects.get(pk=row.pk).expire_date == row.expire_date


def test_a_request_a_minute_after_the_last_save_pushes_the_expiry_on(
    world: World, client: Any
) -> None:
    with time_machine.travel(MORNING, tick=False) as traveller:
        row = _sign_in(client, world)
        traveller.shift(dt.timedelta(seconds=SESSION_REFRESH_SECONDS + 1))
        with CaptureQueriesContext(connection) as queries:
            assert _signed_in(client.get(reverse(PAGE)))
        assert len(_session_writes(queries)) == 1  # one UPDATE of the row
        now = MORNING + dt.timedelta(seconds=SESSION_REFRESH_SECONDS + 1)
        refreshed = Session.objects.get(pk=row.pk)
        assert refreshed.expire_date == now + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
        assert refreshed.get_decoded()[SESSION_SAVED_AT] == now.timestamp()
        # and the next request within the minute writes nothing again
        traveller.shift(dt.timedelta(seconds=10))
        with CaptureQueriesContext(connection) as queries:
            assert _signed_in(client.get(reverse(PAGE)))
        assert _session_writes(queries) == []


def test_a_session_changed_within_the_minute_is_saved_at_once(world: World, client: Any) -> None:
    with time_machine.travel(MORNING, tick=False) as traveller:
        row = _sign_in(client, world)
        membership = Membership.objects.get(user__username=f"{RoleCode.VT_PROFESSIONAL}.involved")
        traveller.shift(dt.timedelta(seconds=5))
        with CaptureQueriesContext(connection) as queries:
            chosen = client.post(
                reverse("accounts:switch_membership"), {"membership": str(membership.pk)}
            )
        assert chosen.status_code == 302
        assert len(_session_writes(queries)) == 1
        saved = Session.objects.get(pk=row.pk)
        assert (
            saved.get_decoded()[SESSION_SAVED_AT] == (MORNING + dt.timedelta(seconds=5)).timestamp()
        )
        traveller.shift(dt.timedelta(seconds=5))
        with CaptureQueriesContext(connection) as queries:
            assert client.post(reverse("accounts:logout")).status_code == 302
        assert _session_writes(queries)  # signing out deletes the row at once
        assert not Session.objects.filter(pk=row.pk).exists()


def test_a_user_active_every_minute_is_never_signed_out_for_idleness(
    world: World, client: Any
) -> None:
    with time_machine.travel(MORNING, tick=False) as traveller:
        _sign_in(client, world)
        writes = 0
        # twice the idle timeout, a request every minute
        for _ in range(2 * settings.SESSION_COOKIE_AGE // 60):
            traveller.shift(dt.timedelta(seconds=60))
            with CaptureQueriesContext(connection) as queries:
                assert _signed_in(client.get(reverse(PAGE)))
            writes += len(_session_writes(queries))
        assert writes == 2 * settings.SESSION_COOKIE_AGE // 60  # one per minute, not per request


def test_a_user_idle_longer_than_the_idle_timeout_is_signed_out(world: World, client: Any) -> None:
    with time_machine.travel(MORNING, tick=False) as traveller:
        _sign_in(client, world)
        traveller.shift(dt.timedelta(seconds=SESSION_REFRESH_SECONDS - 1))
        assert _signed_in(client.get(reverse(PAGE)))  # not saved: the expiry stays at sign-in
        traveller.shift(dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 30))
        # idle for less than the timeout, but the last save was the timeout ago
        assert not _signed_in(client.get(reverse(PAGE)))


def test_idle_for_the_whole_timeout_after_a_refresh_signs_out(world: World, client: Any) -> None:
    with time_machine.travel(MORNING, tick=False) as traveller:
        _sign_in(client, world)
        traveller.shift(dt.timedelta(minutes=10))
        assert _signed_in(client.get(reverse(PAGE)))  # saved: expiry 10 min + the timeout
        traveller.shift(dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 1))
        assert _signed_in(client.get(reverse(PAGE)))
        traveller.shift(dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
        assert not _signed_in(client.get(reverse(PAGE)))


def test_the_absolute_timeout_holds_for_a_user_who_is_never_idle(world: World, client: Any) -> None:
    step = dt.timedelta(minutes=20)
    absolute = dt.timedelta(seconds=settings.KETENRADAR_SESSION_ABSOLUTE_SECONDS)
    with time_machine.travel(MORNING, tick=False) as traveller:
        _sign_in(client, world)
        elapsed = dt.timedelta()
        while elapsed + step <= absolute:
            traveller.shift(step)
            elapsed += step
            assert _signed_in(client.get(reverse(PAGE))), elapsed
        traveller.shift(absolute - elapsed + dt.timedelta(seconds=1))
        response = client.get(reverse(PAGE))
        assert response.status_code == 302
        assert response["Location"].startswith(f"{reverse('accounts:login')}?expired=1")
