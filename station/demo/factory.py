"""``build_demo``: a synthetic but realistic factory, recorded only through the real services.

The flow is the one operators follow: supplier lots are received (with a temperature reading)
and inspected, a few fail and are held; accepted lots are transformed into finished lots, which
pass final inspection; units are commissioned, each unit passes its functional test (a few
fail and are held), good units are packed 10 to a case and 4 cases to a pallet, most pallets
are shipped to customers, a few come back, and one supplier lot is recalled. Every unit also
takes a Luer connector from a large component lot (up to 100,000 units per lot).

Determinism: every choice comes from one seeded ``random.Random`` and every event time from a
:class:`DemoClock` that advances from a fixed start, so the same seed gives the same payloads.
Only ``eventID`` differs between runs: ``station.events.capture`` draws a UUIDv7 per event and
offers no injection point, and identifiers must stay globally unique anyway.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import TypeVar

from sqlalchemy import Connection, text

from station.context import WriteContext
from station.demo import catalogue
from station.demo.catalogue import CUSTOMERS, DEVICES, MATERIALS, DemoProduct
from station.demo.clock import DemoClock
from station.events.ids import lgtin_uri, sgtin_uri, sscc_uri
from station.masterdata.csvio import import_csv
from station.masterdata.specs import SPECS
from station.persistence.store import Store
from station.services.commissioning import commission_serials
from station.services.errors import Refused, audit_refusal
from station.services.holds import place_hold
from station.services.inspection import CheckpointResult, Verdict, record_inspection
from station.services.packing import pack
from station.services.receiving import receive
from station.services.returns import receive_return
from station.services.shipping import ship
from station.services.transformation import transform
from station.udi import read_scan
from station.udi.model import ParsedCode

__all__ = ["DemoSummary", "build_demo"]

T = TypeVar("T")

CHINA = timezone(timedelta(hours=8))
START = datetime(2026, 3, 2, 8, 0, tzinfo=CHINA)
STATION = "DEMO-01"
UNITS_PER_LOT = 50
UNITS_PER_CASE = 10
CASES_PER_PALLET = 4
FINISHED_LOTS_PER_MATERIAL_LOT = 4  # so one supplier lot reaches several customers
MATERIAL_PER_UNIT = 1.2  # metres of tubing etc. per device
SHIPPED_SHARE = 0.85  # the rest stays in stock
RETURN_EVERY = 25  # about one shipped pallet in 25 comes back
LINE_CAPACITY_UNITS = 20_000  # one line's output in about three months of the demo clock
UNIT_TEST_FAILURE_RATE = 0.004  # units failing the end-of-line functional test
# Every device also takes one Luer connector from a large supplier lot, so one connector lot
# reaches up to this many units: the demo's big recall (the benchmark's 100,000-unit drill).
COMPONENT_LOT_UNITS = 100_000
COMPONENT = MATERIALS[1]


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What :func:`build_demo` recorded."""

    units: int  # commissioned, including those that failed their functional test
    failed_units: int
    supplier_lots: int
    rejected_supplier_lots: int
    finished_lots: int
    cases: int
    pallets: int
    shipped_pallets: int
    returned_pallets: int
    customers: int
    recalled_lot: str
    events_by_type: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def events(self) -> int:
        return sum(self.events_by_type.values())


@dataclass
class _Run:
    store: Store
    rng: random.Random
    clock: DemoClock
    operator: WriteContext
    inspector: WriteContext
    qa: WriteContext
    admin: WriteContext
    next_sscc: int = 1
    time_scale: float = 1.0  # below 1 for big demos: several lines work in parallel

    def write(self, work: Callable[[Connection], T]) -> T:
        """One durable writer transaction; the services inside keep their own rules."""
        return self.store.writer.submit(work).result()

    def pause(self, low: float, high: float) -> None:
        """Advance the clock by a seeded number of seconds, as real work takes time."""
        self.clock.tick(round(self.rng.uniform(low, high) * self.time_scale, 3))

    def new_sscc(self) -> str:
        number = catalogue.sscc(self.next_sscc)
        self.next_sscc += 1
        return number


def _person(clock: DemoClock, actor: str, name: str, role: str) -> WriteContext:
    return WriteContext(STATION, actor, name, clock=clock.now, roles=frozenset({role}))


def _contexts(clock: DemoClock) -> tuple[WriteContext, WriteContext, WriteContext, WriteContext]:
    """The demo's people, each with the one role its work needs (station.access.POLICY):
    operator, inspector, QA manager (recall) and administrator (master data)."""
    return (
        # The same people the demo window lists on its sign-in page (ui.demo_station):
        # the history a newcomer traces was made by the colleagues they sign in as.
        _person(clock, "wang", "王芳 Wang Fang", "operator"),
        _person(clock, "li", "李强 Li Qiang", "inspector"),
        _person(clock, "sun", "孙丽 Sun Li", "qa"),
        _person(clock, "admin", "管理员 Admin", "admin"),
    )


def _scan(product: DemoProduct, lot: str, expiry: date) -> ParsedCode:
    """The supplier's GS1 DataMatrix as the scanner would deliver it."""
    code = read_scan(f"]d201{product.gtin}17{expiry:%y%m%d}10{lot}".encode())
    if not code.valid:
        msg = f"demo label {product.gtin}/{lot} does not parse: {code.issues}"
        raise AssertionError(msg)
    return code


def _load_master_data(run: _Run, units: int) -> None:
    def work(conn: Connection) -> None:
        for name, csv_text in catalogue.master_data_csv(units).items():
            import_csv(conn, SPECS[name], csv_text, run.admin, "demo data")
        location = conn.execute(text("SELECT id FROM location WHERE code = 'WH-SZ'")).scalar()
        conn.execute(
            text("INSERT INTO station_info (code, name, location_id) VALUES (:c, :n, :l)"),
            {"c": STATION, "n": "苏州工厂 1号扫描站", "l": location},
        )

    run.write(work)


def _refused_delivery(run: _Run) -> None:
    """The disqualified supplier's delivery is refused and the refusal audited (P11-F1)."""
    code = _scan(MATERIALS[0], "XX0001", START.date() + timedelta(days=700))
    try:
        run.write(
            lambda c: receive(
                c, run.operator, po_number="PO-2026-XX", line_no=1, code=code, quantity=100
            )
        )
    except Refused as refusal:
        # The refused transaction was rolled back; the refusal is audited in a new one.
        _audit(run, refusal)
    else:
        msg = "the demo's disqualified supplier was accepted"
        raise AssertionError(msg)


def _audit(run: _Run, refusal: Refused) -> None:
    run.write(lambda c: audit_refusal(c, run.operator, refusal))


def _ship(run: _Run, so_number: str, pallet: str) -> None:
    run.write(lambda c: ship(c, run.operator, so_number=so_number, uris=[pallet]))


def _return(run: _Run, rma: str, pallet: str) -> None:
    run.write(
        lambda c: receive_return(
            c, run.operator, uris=[pallet], rma=rma, reason="运输破损 Damaged in transit"
        )
    )


def _receive_material_lot(
    run: _Run, index: int, needed: float, *, component: bool = False
) -> tuple[str, bool]:
    """Receive one supplier lot in two deliveries and inspect it; returns (lot URI, passed).

    ``component``: a lot of the common component (numbered apart, always conformant).
    """
    product = COMPONENT if component else MATERIALS[index % len(MATERIALS)]
    prefix = "K" if component else ""
    lot = f"{prefix}{product.supplier[4:]}{2603 + index // 97:04d}{index % 97:02d}"
    code = _scan(product, lot, START.date() + timedelta(days=730))
    uri = lgtin_uri(product.gtin, lot)
    # A few lots fail incoming inspection; the third one always does, so even small demos
    # contain a rejected, held lot.
    fails = not component and (index == 2 or run.rng.random() < 0.08)
    diameter = round(run.rng.uniform(5.15, 5.3) if fails else run.rng.uniform(4.95, 5.05), 3)
    first = round(needed * 0.6)

    def work(conn: Connection) -> None:
        for quantity in (first, round(needed) - first + 10):
            receive(
                conn,
                run.operator,
                po_number=catalogue.purchase_order(product.supplier),
                line_no=1,
                code=code,
                quantity=quantity,
                temperature_c=round(run.rng.uniform(2.0, 8.0), 1),
                override_reason=(
                    "有条件合格供应商，质量部批准 Conditional supplier approved by QA"
                    if product.supplier == "SUP-FL"
                    else None
                ),
            )
            run.pause(30, 240)
        run.pause(1800, 7200)
        record_inspection(
            conn,
            run.inspector,
            uris=[uri],
            plan_code=catalogue.IQC_PLAN[0],
            plan_version=catalogue.IQC_PLAN[1],
            results=[
                CheckpointResult("Diameter", diameter),
                CheckpointResult("Visual", value=True),
            ],
            verdict=Verdict.FAIL if fails else Verdict.PASS,
        )
        run.pause(60, 600)

    run.write(work)
    return uri, not fails


@dataclass(frozen=True, slots=True)
class _FinishedLot:
    device: DemoProduct
    lot: str
    serials: tuple[str, ...]  # those that passed their functional test
    material: str


def _make_finished_lot(
    run: _Run, number: int, size: int, material: str, component: str
) -> _FinishedLot:
    """Transform material and components into one finished lot, pass final inspection,
    commission serials."""
    device = DEVICES[number % len(DEVICES)]
    made = run.clock.now().date()
    lot = f"D{made:%y%m%d}{number:05d}"
    serials = tuple(f"{run.rng.getrandbits(40):010X}{i:03d}" for i in range(size))
    uri = lgtin_uri(device.gtin, lot)
    expiry = made + timedelta(days=1095)

    def work(conn: Connection) -> None:
        transform(
            conn,
            run.operator,
            inputs=[(material, round(size * MATERIAL_PER_UNIT, 1), "EA"), (component, size, "EA")],
            output_gtin=device.gtin,
            output_lot=lot,
            output_quantity=size,
            production_date=made,
            expiry=expiry,
        )
        run.pause(3600, 4 * 3600)
        record_inspection(
            conn,
            run.inspector,
            uris=[uri],
            plan_code=catalogue.FQC_PLAN[0],
            plan_version=catalogue.FQC_PLAN[1],
            results=[
                CheckpointResult("Leak test", value=True),
                CheckpointResult("Flow rate", round(run.rng.uniform(97.0, 103.0), 1)),
            ],
            verdict=Verdict.PASS,
        )
        run.pause(300, 900)
        commission_serials(
            conn,
            run.operator,
            gtin=device.gtin,
            lot=lot,
            serials=serials,
            expiry=expiry,
            production_date=made,
        )
        run.pause(60, 300)

    run.write(work)
    passed = _test_units(run, device, serials)
    return _FinishedLot(device, lot, passed, material)


def _test_units(run: _Run, device: DemoProduct, serials: tuple[str, ...]) -> tuple[str, ...]:
    """Each unit's end-of-line functional test, one event per unit; returns those that pass.

    A failed unit is recorded non-conformant (held) and never packed.
    """
    passed: list[str] = []

    def work(conn: Connection) -> None:
        for serial in serials:
            fails = run.rng.random() < UNIT_TEST_FAILURE_RATE
            flow = round(run.rng.uniform(103.2, 104.5) if fails else run.rng.uniform(98, 102), 2)
            record_inspection(
                conn,
                run.inspector,
                uris=[sgtin_uri(device.gtin, serial)],
                plan_code=catalogue.UNIT_TEST_PLAN[0],
                plan_version=catalogue.UNIT_TEST_PLAN[1],
                results=[
                    CheckpointResult("Flow rate", flow),
                    CheckpointResult("Occlusion alarm", value=True),
                ],
                verdict=Verdict.FAIL if fails else Verdict.PASS,
            )
            if not fails:
                passed.append(serial)
            run.pause(20, 45)

    run.write(work)
    return tuple(passed)


def _pack_pallet(run: _Run, units: list[str]) -> tuple[str, int]:
    """Pack ``units`` into cases of 10 and the cases onto one pallet; (pallet URI, cases)."""
    cases = [units[i : i + UNITS_PER_CASE] for i in range(0, len(units), UNITS_PER_CASE)]
    pallet = run.new_sscc()
    case_codes = [run.new_sscc() for _ in cases]

    def work(conn: Connection) -> None:
        for code, content in zip(case_codes, cases, strict=True):
            pack(conn, run.operator, sscc=code, children=content)
            run.pause(20, 90)
        pack(conn, run.operator, sscc=pallet, children=[sscc_uri(c) for c in case_codes])
        run.pause(60, 180)

    run.write(work)
    return sscc_uri(pallet), len(cases)


def _event_counts(store: Store) -> dict[str, int]:
    query = text("SELECT event_type, biz_step, count(*) FROM event GROUP BY event_type, biz_step")
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    return {f"{kind}/{step}": count for kind, step, count in sorted(rows)}


def build_demo(store: Store, *, units: int, seed: int) -> DemoSummary:
    """Fill the empty ``store`` with a factory's worth of events for ``units`` serial units."""
    if units < UNITS_PER_LOT:
        msg = f"the demo needs at least {UNITS_PER_LOT} units"
        raise ValueError(msg)
    started = time.perf_counter()
    clock = DemoClock(START)
    operator, inspector, qa, admin = _contexts(clock)
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
    # One line makes 20,000 units in about three months; a bigger demo runs as if on several
    # lines at once, so its clock stays well inside the materials' two-year shelf life.
    scale = min(1.0, LINE_CAPACITY_UNITS / units)
    run = _Run(store, rng, clock, operator, inspector, qa, admin, time_scale=scale)
    _load_master_data(run, units)
    _refused_delivery(run)

    sizes = [UNITS_PER_LOT] * (units // UNITS_PER_LOT)
    if units % UNITS_PER_LOT:
        sizes.append(units % UNITS_PER_LOT)
    per_material = UNITS_PER_LOT * FINISHED_LOTS_PER_MATERIAL_LOT * MATERIAL_PER_UNIT
    accepted: list[str] = []
    supplier_lots = 0
    while len(accepted) * FINISHED_LOTS_PER_MATERIAL_LOT < len(sizes) or len(accepted) < 2:
        uri, passed = _receive_material_lot(run, supplier_lots, per_material)
        supplier_lots += 1
        if passed:
            accepted.append(uri)

    component_lots = [
        _receive_material_lot(run, index, min(units, COMPONENT_LOT_UNITS), component=True)[0]
        for index in range(-(-units // COMPONENT_LOT_UNITS))
    ]
    # Round-robin over accepted material so each supplier lot feeds lots made days apart,
    # which end up on different pallets and at different customers; components are used up
    # one lot after the other.
    lots = [
        _make_finished_lot(
            run,
            number,
            size,
            accepted[number % len(accepted)],
            component_lots[number * UNITS_PER_LOT // COMPONENT_LOT_UNITS],
        )
        for number, size in enumerate(sizes)
    ]
    stock = [sgtin_uri(lot.device.gtin, serial) for lot in lots for serial in lot.serials]
    per_pallet = UNITS_PER_CASE * CASES_PER_PALLET
    pallets: list[str] = []
    cases = 0
    for start in range(0, len(stock), per_pallet):
        pallet, packed = _pack_pallet(run, stock[start : start + per_pallet])
        pallets.append(pallet)
        cases += packed

    shipped = pallets[: max(2, round(len(pallets) * SHIPPED_SHARE))]
    customers: list[str] = []
    for index, pallet in enumerate(shipped):
        # The first pallets go to different customers so every demo spans several.
        customer = CUSTOMERS[index] if index < len(CUSTOMERS) else run.rng.choice(CUSTOMERS)
        customers.append(customer.code)
        _ship(run, catalogue.sales_order(customer.code), pallet)
        run.pause(600, 3600)

    returned = shipped[RETURN_EVERY - 1 :: RETURN_EVERY] or shipped[-1:]
    for index, pallet in enumerate(returned, start=1):
        _return(run, f"RMA-2026-{index:04d}", pallet)
        run.pause(3600, 86400)

    recalled = accepted[0]
    run.write(
        lambda c: place_hold(
            c,
            run.qa,  # a recall is QA's decision (recall.run)
            [recalled],
            reason="供应商通知：材料批次污染 Supplier notice: contaminated material lot",
            recall=True,
        )
    )
    return DemoSummary(
        units=sum(sizes),
        failed_units=sum(sizes) - len(stock),
        supplier_lots=supplier_lots + len(component_lots),
        rejected_supplier_lots=supplier_lots - len(accepted),
        finished_lots=len(lots),
        cases=cases,
        pallets=len(pallets),
        shipped_pallets=len(shipped),
        returned_pallets=len(returned),
        customers=len(set(customers)),
        recalled_lot=recalled,
        events_by_type=_event_counts(store),
        seconds=time.perf_counter() - started,
    )
