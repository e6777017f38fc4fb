from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ketenradar.radar.tests.fakes import FakeMatcher
from ketenradar.reports.tests.conftest import assessor, police  # noqa: F401 - fixtures


@pytest.fixture
def fake_matcher(settings: Any) -> Iterator[type[FakeMatcher]]:
    settings.KETENRADAR_PERSON_MATCHER = "ketenradar.radar.tests.fakes.FakeMatcher"
    FakeMatcher.answers = {}
    yield FakeMatcher
    FakeMatcher.answers = {}
