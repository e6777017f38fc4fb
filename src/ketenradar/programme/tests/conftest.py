"""Haaglanden as in the demo data: nine municipalities under the centrumgemeenten Den Haag
and Delft, and the DUVO table of seed 002 chapter V as committed in the demo data."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

import pytest

from ketenradar.accounts.actor import Actor
from ketenradar.accounts.constants import RoleCode
from ketenradar.conftest import World
from ketenradar.programme import services
from ketenradar.regions.models import Municipality

DATA = Path(settings.BASE_DIR) / "demo" / "data"
DUVO_CSV = DATA / "duvo_2019_2022.csv"


@dataclass
class Haaglanden:
    world: World
    manager: Actor
    officer: Actor
    den_haag: Municipality
    delft: Municipality

    def import_csv(
        self, text: str | None = None, actor: Actor | None = None
    ) -> services.ImportResult:
        content = (DUVO_CSV.read_text(encoding="utf-8") if text is None else text).encode()
        return services.budget_import(
            actor=actor or self.manager,
            region=self.world.region,
            content=content,
            file_format="csv",
            name="DUVO Regiovisie 2019-2022",
            source_name="duvo_2019_2022.csv",
        )


@pytest.fixture
def haaglanden(world: World) -> Haaglanden:
    data = json.loads((DATA / "haaglanden.json").read_text(encoding="utf-8"))
    found: dict[str, Municipality] = {}
    for m in data["municipalities"]:
        found[m["cbs_code"]], _ = Municipality.objects.update_or_create(
            cbs_code=m["cbs_code"],
            defaults={
                "name": m["name"],
                "region": world.region,
                "inhabitants": m["inhabitants"],
                "inhabitants_reference_date": dt.date.fromisoformat(m["reference_date"]),
            },
        )
    for m in data["municipalities"]:
        muni = found[m["cbs_code"]]
        muni.centrumgemeente = found[m["centrumgemeente"]]
        muni.save(update_fields=["centrumgemeente"])
    return Haaglanden(
        world=world,
        manager=world.actor(RoleCode.PROGRAMME_MANAGER),
        officer=world.actor(RoleCode.POLICY_OFFICER),
        den_haag=found["GM0518"],
        delft=found["GM0503"],
    )


def duvo_csv() -> str:
    return DUVO_CSV.read_text(encoding="utf-8")


def change_cell(text: str, label: str, header: str, value: str, kind: str = "") -> str:
    """The CSV with one cell of the row ``label`` (of ``kind``, if given) set to ``value``."""
    lines = text.splitlines()
    columns = next(line for line in lines if line.startswith("row;")).split(";")
    index = columns.index(header)
    out, changed = [], 0
    for line in lines:
        cells = line.split(";")
        if len(cells) == len(columns) and cells[5] == label and (not kind or cells[1] == kind):
            cells[index] = value
            changed += 1
        out.append(";".join(cells))
    assert changed == 1, f"{label!r} found {changed} times"
    return "\n".join(out) + "\n"
