"""A small store ready for label printing, for the demo's print dialog (no Qt, no devices).

:func:`seed_label_demo` fills an empty, migrated store through the real services only:

* the demo catalogue's master data and a station at the finished-goods warehouse;
* one supplier lot of tubing received (by the operator) and passed at incoming inspection (by
  a demo inspector);
* one lot of a serial-traced finished device (:data:`~station.demo.catalogue.DEVICES` ``[0]``)
  made from it and passed at final inspection, so the lot is ACCEPTED (P11-F1: only accepted
  lots get labels);
* the four stock templates, each drafted by one demo user (role ``admin``) and approved by
  another (role ``qa``), as governance requires.

:class:`LabelDemo` says what was made and holds sample data per template, so a print screen
can offer a label that prints at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from sqlalchemy import Connection, text

from station.context import WriteContext
from station.demo import catalogue
from station.demo.catalogue import DEVICES, MATERIALS
from station.events.ids import lgtin_uri
from station.labels.governance import approve_template, save_draft
from station.labels.stock import STOCK_NAMES, stock_template
from station.labels.template import LabelTemplate
from station.masterdata.csvio import import_csv
from station.masterdata.specs import SPECS
from station.persistence.store import Store
from station.services.inspection import CheckpointResult, Verdict, record_inspection
from station.services.receiving import receive
from station.services.transformation import transform
from station.udi import read_scan

__all__ = [
    "DEMO_OPERATOR",
    "LABEL_STATION",
    "LabelDemo",
    "demo_contexts",
    "label_samples",
    "seed_label_demo",
    "seed_label_extras",
]

LABEL_STATION = "DEMO-LBL"
#: The operator the demo prints as (role ``operator``: ``label.print``).
# The demo window's people (ui.demo_station.DEMO_USERS), each in their own role.
DEMO_OPERATOR = ("wang", "王芳 Wang Fang")
_AUTHOR = ("admin", "管理员 Admin")  # drafts templates (role admin)
_APPROVER = ("sun", "孙丽 Sun Li")  # approves them (role qa)
_INSPECTOR = ("li", "李强 Li Qiang")  # passes the lots at inspection (role inspector)
_MATERIAL = MATERIALS[0]
_DEVICE = DEVICES[0]
_MATERIAL_LOT = "PT260501"


@dataclass(frozen=True, slots=True)
class LabelDemo:
    """What :func:`seed_label_demo` recorded, and sample label data per template name."""

    gtin: str
    lot: str
    material_gtin: str
    material_lot: str
    templates: tuple[str, ...]
    samples: dict[str, dict[str, str]] = field(default_factory=dict)


def demo_contexts(
    clock: WriteContext | None = None,
) -> tuple[WriteContext, WriteContext, WriteContext]:
    """(author with role admin, approver with role qa, operator with role operator)."""
    base = clock or WriteContext(LABEL_STATION)
    return (
        _as(base, _AUTHOR, "admin"),
        _as(base, _APPROVER, "qa"),
        _as(base, DEMO_OPERATOR, "operator"),
    )


def _as(base: WriteContext, who: tuple[str, str], role: str) -> WriteContext:
    """``who`` at ``base``'s station and clock, with the one role ``role``."""
    return WriteContext(
        station=base.station,
        actor=who[0],
        actor_name=who[1],
        clock=base.clock,
        roles=frozenset({role}),
    )


def _master_data(conn: Connection, ctx: WriteContext) -> None:
    for name, csv_text in catalogue.master_data_csv(100).items():
        import_csv(conn, SPECS[name], csv_text, ctx, "label demo data")
    location = conn.execute(text("SELECT id FROM location WHERE code = 'WH-SZ'")).scalar()
    conn.execute(
        text("INSERT INTO station_info (code, name, location_id) VALUES (:c, :n, :l)"),
        {"c": ctx.station, "n": "苏州工厂 标签打印站 Label printing", "l": location},
    )


def _accepted_device_lot(
    conn: Connection, ctx: WriteContext, inspector: WriteContext, today: date
) -> str:
    """Tubing received and accepted, made into a device lot that passes final inspection."""
    material_expiry = today + timedelta(days=730)
    scan = f"]d201{_MATERIAL.gtin}17{material_expiry:%y%m%d}10{_MATERIAL_LOT}"
    code = read_scan(scan.encode())
    if not code.valid:  # the catalogue's codes are valid; this guards the demo itself
        msg = f"label demo: the material scan does not parse: {code.issues}"
        raise AssertionError(msg)
    receive(
        conn,
        ctx,
        po_number=catalogue.purchase_order(_MATERIAL.supplier),
        line_no=1,
        code=code,
        quantity=200,
        temperature_c=5.0,
    )
    material = lgtin_uri(_MATERIAL.gtin, _MATERIAL_LOT)
    record_inspection(
        conn,
        inspector,
        uris=[material],
        plan_code=catalogue.IQC_PLAN[0],
        plan_version=catalogue.IQC_PLAN[1],
        results=[CheckpointResult("Diameter", 5.0), CheckpointResult("Visual", value=True)],
        verdict=Verdict.PASS,
    )
    lot = f"D{today:%y%m%d}01"
    transform(
        conn,
        ctx,
        inputs=[(material, 120.0, "EA")],
        output_gtin=_DEVICE.gtin,
        output_lot=lot,
        output_quantity=100,
        production_date=today,
        expiry=today + timedelta(days=1095),
    )
    record_inspection(
        conn,
        inspector,
        uris=[lgtin_uri(_DEVICE.gtin, lot)],
        plan_code=catalogue.FQC_PLAN[0],
        plan_version=catalogue.FQC_PLAN[1],
        results=[CheckpointResult("Leak test", value=True), CheckpointResult("Flow rate", 100.0)],
        verdict=Verdict.PASS,
    )
    return lot


def _samples(lot: str, today: date) -> dict[str, dict[str, str]]:
    expiry = (today + timedelta(days=1095)).isoformat()
    device = {
        "gtin": _DEVICE.gtin,
        "lot": lot,
        "expiry": expiry,
        "production_date": today.isoformat(),
        "product_name_zh": _DEVICE.name_zh,
        "product_name_en": _DEVICE.name_en,
    }
    return {
        "udi-unit": device | {"registration_no": _DEVICE.registration_no},
        "udi-case": device | {"quantity": "10"},
        "sscc-pallet": {
            "sscc": catalogue.sscc(9001),
            "content_gtin": _DEVICE.gtin,
            "count": "40",
            "lot": lot,
            "expiry": expiry,
            "product_name_zh": _DEVICE.name_zh,
            "product_name_en": _DEVICE.name_en,
        },
        "goods-in": {
            "gtin": _MATERIAL.gtin,
            "lot": _MATERIAL_LOT,
            "expiry": (today + timedelta(days=730)).isoformat(),
            "product_name_zh": _MATERIAL.name_zh,
            "product_name_en": _MATERIAL.name_en,
            "po_number": catalogue.purchase_order(_MATERIAL.supplier),
        },
    }


def _draft(conn: Connection, *, ctx: WriteContext, template: LabelTemplate) -> None:
    save_draft(conn, ctx, template)


def _approve(conn: Connection, *, ctx: WriteContext, template: LabelTemplate) -> None:
    approve_template(
        conn, ctx, template.name, template.version, "demo: checked against the artwork"
    )


def seed_label_demo(store: Store, ctx: WriteContext | None = None) -> LabelDemo:
    """Fill an empty store (see the module text); ``ctx`` gives the station and the clock.

    Each step is one writer transaction, as the station's own screens would record it.
    """
    author = demo_contexts(ctx)[0]
    store.writer.submit(lambda c: _master_data(c, author)).result()  # masterdata.edit
    return seed_label_extras(store, ctx)


def seed_label_extras(store: Store, ctx: WriteContext | None = None) -> LabelDemo:
    """For a store that already holds the demo catalogue and ``ctx``'s station (the factory
    demo, :func:`station.demo.factory.build_demo`): one device lot accepted today and the four
    stock templates approved, so labels print at once."""
    author, approver, operator = demo_contexts(ctx)
    today = operator.now().date()
    inspector = _as(operator, _INSPECTOR, "inspector")
    lot = store.writer.submit(
        lambda c: _accepted_device_lot(c, operator, inspector, today)
    ).result()
    for name in sorted(STOCK_NAMES):
        template = stock_template(name)
        store.writer.submit(partial(_draft, ctx=author, template=template)).result()
        store.writer.submit(partial(_approve, ctx=approver, template=template)).result()
    return LabelDemo(
        gtin=_DEVICE.gtin,
        lot=lot,
        material_gtin=_MATERIAL.gtin,
        material_lot=_MATERIAL_LOT,
        templates=tuple(sorted(STOCK_NAMES)),
        samples=_samples(lot, today),
    )


def label_samples(conn: Connection) -> dict[str, dict[str, str]]:
    """Sample label data for the newest accepted lot :func:`seed_label_extras` made (the
    demo's print dialog offers it); empty if there is none."""
    prefix = lgtin_uri(_DEVICE.gtin, "X")[:-1]  # the URI up to the lot
    lots = conn.execute(
        text(
            "SELECT lot_uri FROM lot_state WHERE state = 'ACCEPTED' AND lot_uri LIKE :p"
            " ORDER BY lot_uri DESC"
        ),
        {"p": prefix + "D%"},
    ).scalars()
    for uri in lots:
        lot = uri[len(prefix) :]
        try:
            made = date(2000 + int(lot[1:3]), int(lot[3:5]), int(lot[5:7]))
        except ValueError:
            continue  # not one of the demo's own lot names
        return _samples(lot, made)
    return {}
