"""``item_state`` kept incrementally equals ``item_state`` rebuilt from the events alone, after
a long seeded random run of service calls (refusals included: they must write nothing)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

import pytest
import sqlalchemy as sa

from station.ledger import verify_ledger
from station.services.commissioning import commission_lot, commission_serials
from station.services.errors import Refused
from station.services.holds import place_hold, release_hold
from station.services.inspection import CheckpointResult, Verdict, record_inspection
from station.services.lifecycle import LotState, lot_state
from station.services.packing import pack, unpack
from station.services.projection import differences, rebuild
from station.services.receiving import receive
from station.services.returns import receive_return
from station.services.shipping import ship
from station.services.transformation import transform
from station.udi.checks import gs1_check_digit
from tests.integration.test_services_flow import IQC
from tests.integration.test_services_setup import (
    CTX,
    DEVICE,
    LOT_DEVICE,
    MATERIAL,
    RELEASER,
    SERIAL_MATERIAL,
    counts,
    gs1,
    station,
)

__all__ = ["station"]

Step = Callable[[sa.Connection], object]
MADE, EXPIRES = date(2026, 11, 1), date(2029, 11, 1)
FQC = [CheckpointResult("Leak test", True)]


class Script:
    """Chooses plausible next actions from what has happened so far; some will be refused."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.conn: sa.Connection | None = None  # the step's own transaction, for look-ups
        self.counter = 0

    def _known(self, kind: str, *gtins: str, where: str = "1") -> list[str]:
        query = f"SELECT uri, gtin FROM item_state WHERE kind = :kind AND {where} ORDER BY uri"
        assert self.conn is not None
        rows = self.conn.execute(sa.text(query), {"kind": kind}).all()
        return [uri for uri, gtin in rows if not gtins or gtin in gtins]

    def in_state(self, lots: list[str], *states: LotState) -> list[str]:
        assert self.conn is not None
        return [lot for lot in lots if lot_state(self.conn, lot) in states] or lots

    def free(self, held: bool) -> list[str]:
        flag = "on_hold" if held else "NOT on_hold"
        return [u for kind in ("lgtin", "sgtin", "sscc") for u in self._known(kind, where=flag)]

    @property
    def material_lots(self) -> list[str]:
        return self._known("lgtin", MATERIAL)

    @property
    def device_lots(self) -> list[str]:
        return self._known("lgtin", DEVICE, LOT_DEVICE)

    @property
    def units(self) -> list[str]:
        return self._known("sgtin")

    @property
    def cases(self) -> list[str]:
        return self._known("sscc")

    def next_id(self) -> int:
        self.counter += 1
        return self.counter

    def pick(self, items: list[str], most: int = 3) -> list[str]:
        return self.rng.sample(items, self.rng.randint(1, min(most, len(items)))) if items else []

    def step(self) -> Step:
        r = self.rng
        kind = r.choices(range(11), weights=[2, 1, 2, 2, 1, 2, 2, 3, 2, 4, 4])[0]
        if kind == 0:
            lot = r.choice(["L0", "L1", "L2"])
            code = gs1(MATERIAL, lot=lot, expiry=r.choice(["271231", "261001"]))
            reason = r.choice([None, "QA ok"])
            return lambda c: receive(
                c,
                CTX,
                po_number="PO-1",
                line_no=1,
                code=code,
                quantity=r.randint(1, 50),
                override_reason=reason,
            )
        if kind == 1:
            code = gs1(SERIAL_MATERIAL, lot="B1", serial=f"P{r.randrange(3)}")
            return lambda c: receive(c, CTX, po_number="PO-1", line_no=2, code=code, quantity=1)
        if kind == 2:
            lots = self.in_state(self.material_lots, LotState.RECEIVED, LotState.IN_INSPECTION)
            uris, verdict = self.pick(lots, 1), r.choice([Verdict.PASS, Verdict.PASS, Verdict.FAIL])
            return lambda c: record_inspection(
                c, CTX, uris=uris, plan_code="IQC", plan_version=1, results=IQC, verdict=verdict
            )
        if kind == 3:
            uris, verdict = (
                self.pick(self.device_lots, 1),
                r.choice([Verdict.PASS, Verdict.PASS, Verdict.FAIL]),
            )
            return lambda c: record_inspection(
                c, CTX, uris=uris, plan_code="FQC", plan_version=1, results=FQC, verdict=verdict
            )
        if kind == 4:
            uris, recall = self.pick(self.free(held=r.random() < 0.1), 2), r.random() < 0.3
            return lambda c: place_hold(c, CTX, uris, reason="random", recall=recall)
        if kind == 5:
            uris = self.pick(self.free(held=r.random() < 0.9), 2)
            return lambda c: release_hold(c, RELEASER, uris, reason="random")
        if kind == 6:
            gtin = r.choice([DEVICE, LOT_DEVICE])
            lot = f"D{self.next_id()}"
            accepted = self.in_state(self.material_lots, LotState.ACCEPTED)
            inputs = [(uri, 1.0, "EA") for uri in self.pick(accepted, 2)]
            return lambda c: transform(
                c,
                CTX,
                inputs=inputs,
                output_gtin=gtin,
                output_lot=lot,
                output_quantity=5,
                production_date=MADE,
                expiry=EXPIRES,
            )
        if kind == 7:
            lots = self.in_state(
                [u for u in self.device_lots if f"/01/{DEVICE}/" in u],
                LotState.ACCEPTED,
                LotState.LABELLED,
            )
            lot = r.choice(lots).rsplit("/", 1)[1] if lots else "none"
            serials = [f"S{self.next_id()}" for _ in range(r.randint(1, 3))]
            return lambda c: commission_serials(
                c, CTX, gtin=DEVICE, lot=lot, serials=serials, expiry=EXPIRES, production_date=MADE
            )
        if kind == 8:
            lots = self.in_state(
                [u for u in self.device_lots if f"/01/{LOT_DEVICE}/" in u],
                LotState.ACCEPTED,
                LotState.LABELLED,
            )
            lot = r.choice(lots).rsplit("/", 1)[1] if lots else "none"
            return lambda c: commission_lot(
                c, CTX, gtin=LOT_DEVICE, lot=lot, quantity=5, expiry=EXPIRES, production_date=MADE
            )
        if kind == 9:
            body = f"34012345{self.next_id():09d}"
            sscc = body + str(gs1_check_digit(body))
            loose = self._known(
                "sgtin", DEVICE, where="parent_uri IS NULL AND disposition = 'active'"
            )
            children = self.pick(loose or self.units, 3)
            if r.random() < 0.3 and self.cases:
                container = r.choice(self.cases).rsplit("/", 1)[1]
                return lambda c: unpack(c, CTX, sscc=container, children=children, reason="random")
            return lambda c: pack(c, CTX, sscc=sscc, children=children)
        if r.random() < 0.3:
            uris = self.pick(self._known("sgtin", where="holder IS NOT NULL") or self.units, 2)
            return lambda c: receive_return(
                c, CTX, uris=uris, rma=f"R{self.counter}", reason="random"
            )
        top = [
            *self._known("sscc", where="parent_uri IS NULL"),
            *self._known("sgtin", DEVICE, where="parent_uri IS NULL"),
        ]
        uris = self.pick(top, 2)
        return lambda c: ship(c, CTX, so_number=r.choice(["SO-1", "SO-1", "SO-2"]), uris=uris)


def snapshot(conn: sa.Connection) -> list[tuple[object, ...]]:
    return [tuple(row) for row in conn.execute(sa.text("SELECT * FROM item_state ORDER BY uri"))]


@pytest.mark.req("P11-F1")
@pytest.mark.parametrize("seed", [1, 2])
def test_incremental_projection_equals_the_rebuilt_one(station: sa.Engine, seed: int) -> None:
    script = Script(random.Random(seed))
    recorded = refusals = 0
    for _ in range(300):
        before = counts(station)
        try:
            with station.begin() as conn:
                script.conn = conn
                script.step()(conn)
            recorded += 1
        except Refused:
            refusals += 1
            assert counts(station) == before
    assert recorded > 50, (recorded, refusals)  # the script really exercised the services
    with station.begin() as conn:
        script.conn = conn
        kept = snapshot(conn)
        rebuild(conn)
        assert snapshot(conn) == kept
        assert len(kept) > 10
        for uri in script._known("lgtin"):
            lot_state(conn, uri)  # folding never meets a transition the table forbids
        assert verify_ledger(conn, None).ok
        kinds = {row[0] for row in conn.execute(sa.text("SELECT DISTINCT biz_step FROM event"))}
    assert {"receiving", "inspecting", "commissioning", "holding", "packing", "shipping"} <= kinds


def test_differences_names_a_drifted_row_and_changes_nothing(station: sa.Engine) -> None:
    from station.services.packing import pack  # noqa: PLC0415
    from tests.integration.test_services_flow import CASE, UNITS, build_to_pack  # noqa: PLC0415

    build_to_pack(station)
    with station.begin() as conn:
        pack(conn, CTX, sscc="340123450000000017", children=UNITS)
    with station.begin() as conn:
        assert differences(conn) == []
        conn.execute(sa.text("UPDATE item_state SET on_hold = 1 WHERE uri = :u"), {"u": UNITS[1]})
        conn.execute(sa.text("DELETE FROM item_state WHERE uri = :u"), {"u": CASE})
        drifted = snapshot(conn)
        assert differences(conn) == sorted([CASE, UNITS[1]])
        assert snapshot(conn) == drifted  # the check rolled its rebuild back
        rebuild(conn)
        assert differences(conn) == []
