"""Packing, unpacking, shipping and returns: every refusal with its reason, nothing written."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from station.events.ids import sgtin_uri
from station.services.holds import place_hold, release_hold
from station.services.packing import pack, unpack
from station.services.projection import current_state
from station.services.returns import receive_return
from station.services.shipping import ship
from tests.integration.test_services_flow import (
    CASE,
    DEVICE_LOT,
    MATERIAL_LOT,
    UNITS,
    build_to_pack,
)
from tests.integration.test_services_setup import (
    CTX,
    DEVICE,
    RELEASER,
    SSCC_1,
    SSCC_2,
    payloads,
    refused,
    run,
    station,
)

__all__ = ["station"]


@pytest.fixture
def labelled(station: sa.Engine) -> sa.Engine:
    build_to_pack(station)
    return station


def test_pack_rules(labelled: sa.Engine) -> None:
    e = labelled
    assert (
        refused(e, lambda c: pack(c, CTX, sscc="340123450000000018", children=UNITS)).reason
        == "invalid_sscc"
    )
    assert refused(e, lambda c: pack(c, CTX, sscc=SSCC_1, children=[])).reason == "no_items"
    unknown = sgtin_uri(DEVICE, "S9")
    got = refused(e, lambda c: pack(c, CTX, sscc=SSCC_1, children=[UNITS[0], unknown]))
    assert (got.reason, got.subject) == ("unknown_item", unknown)
    got = refused(e, lambda c: pack(c, CTX, sscc=SSCC_1, children=[MATERIAL_LOT]))
    assert got.reason == "not_commissioned"
    run(e, lambda c: place_hold(c, CTX, [UNITS[1]], reason="scratch"))
    got = refused(e, lambda c: pack(c, CTX, sscc=SSCC_1, children=UNITS))
    assert (got.reason, got.subject) == ("on_hold", UNITS[1])
    run(e, lambda c: pack(c, CTX, sscc=SSCC_1, children=UNITS[:1]))
    assert refused(e, lambda c: pack(c, CTX, sscc=SSCC_1, children=UNITS[1:])).reason == "duplicate"
    got = refused(e, lambda c: pack(c, CTX, sscc=SSCC_2, children=UNITS[:1]))
    assert got.reason == "already_packed"


def test_unpack_rules_and_a_pallet_of_cases(labelled: sa.Engine) -> None:
    e = labelled
    run(e, lambda c: pack(c, CTX, sscc=SSCC_1, children=UNITS))
    assert (
        refused(e, lambda c: unpack(c, CTX, sscc=SSCC_2, children=UNITS, reason="x")).reason
        == "unknown_item"
    )
    assert (
        refused(e, lambda c: unpack(c, CTX, sscc=SSCC_1, children=UNITS, reason="")).reason
        == "reason_required"
    )
    got = refused(e, lambda c: unpack(c, CTX, sscc=SSCC_1, children=[CASE], reason="x"))
    assert got.reason == "not_in_container"
    run(e, lambda c: unpack(c, CTX, sscc=SSCC_1, children=UNITS[1:], reason="short order"))
    event = payloads(e)[-1]
    assert (event["type"], event["action"], event["bizStep"], event["childEPCs"]) == (
        "AggregationEvent",
        "DELETE",
        "unpacking",
        [UNITS[1]],
    )
    with e.connect() as conn:
        assert current_state(conn, UNITS[1]).parent_uri is None  # type: ignore[union-attr]
        assert current_state(conn, UNITS[0]).parent_uri == CASE  # type: ignore[union-attr]
    run(e, lambda c: pack(c, CTX, sscc=SSCC_2, children=[CASE, UNITS[1]]))  # a pallet
    with e.connect() as conn:
        assert current_state(conn, CASE).parent_uri is not None  # type: ignore[union-attr]


@pytest.mark.req("P11-F1")
def test_ship_rules_name_the_first_offending_item(labelled: sa.Engine) -> None:
    e = labelled
    assert (
        refused(e, lambda c: ship(c, CTX, so_number="SO-9", uris=UNITS)).reason == "unknown_order"
    )
    assert (
        refused(e, lambda c: ship(c, CTX, so_number="SO-CLOSED", uris=UNITS)).reason
        == "order_closed"
    )
    got = refused(e, lambda c: ship(c, CTX, so_number="SO-2", uris=UNITS))
    assert (got.reason, got.subject) == ("not_on_order", UNITS[0])
    got = refused(e, lambda c: ship(c, CTX, so_number="SO-1", uris=[MATERIAL_LOT]))
    assert got.reason == "not_commissioned"
    run(e, lambda c: pack(c, CTX, sscc=SSCC_1, children=UNITS))
    got = refused(e, lambda c: ship(c, CTX, so_number="SO-1", uris=UNITS[:1]))
    assert (got.reason, got.subject) == ("in_container", UNITS[0])
    run(e, lambda c: place_hold(c, CTX, [UNITS[1]], reason="dent"))
    got = refused(e, lambda c: ship(c, CTX, so_number="SO-1", uris=[CASE]))
    assert (got.reason, got.subject) == ("on_hold", UNITS[1])  # held inside the case
    run(e, lambda c: release_hold(c, RELEASER, [UNITS[1]], reason="cosmetic only"))
    run(e, lambda c: place_hold(c, CTX, [DEVICE_LOT], reason="recall", recall=True))
    got = refused(e, lambda c: ship(c, CTX, so_number="SO-1", uris=[CASE]))
    assert (got.reason, got.subject) == ("on_hold", UNITS[0])  # the lot holds its units
    run(e, lambda c: release_hold(c, RELEASER, [DEVICE_LOT], reason="recall closed"))
    run(e, lambda c: ship(c, CTX, so_number="SO-1", uris=[CASE]))
    got = refused(e, lambda c: ship(c, CTX, so_number="SO-1", uris=[CASE]))
    assert (got.reason, got.subject) == ("not_released", CASE)  # in transit already


def test_return_rules(labelled: sa.Engine) -> None:
    e = labelled
    got = refused(e, lambda c: receive_return(c, CTX, uris=UNITS[:1], rma="R1", reason="x"))
    assert got.reason == "not_shipped"
    assert (
        refused(e, lambda c: receive_return(c, CTX, uris=UNITS[:1], rma="R1", reason=" ")).reason
        == "reason_required"
    )
    run(e, lambda c: ship(c, CTX, so_number="SO-1", uris=UNITS[:1]))
    run(e, lambda c: receive_return(c, CTX, uris=UNITS[:1], rma="R1", reason="wrong size"))
    with e.connect() as conn:
        state = current_state(conn, UNITS[0])
    assert state is not None
    assert (state.disposition, state.holder) == ("returned", None)
    got = refused(e, lambda c: ship(c, CTX, so_number="SO-1", uris=UNITS[:1]))
    assert got.reason == "not_released"  # returned goods wait for their own workflow


def test_a_recalled_unit_ships_again_only_after_release_and_a_new_pass(labelled: sa.Engine) -> None:
    from station.services.inspection import CheckpointResult, Verdict, record_inspection  # noqa: PLC0415

    e = labelled
    run(e, lambda c: place_hold(c, CTX, UNITS[:1], reason="FSCA 3", recall=True))
    run(e, lambda c: release_hold(c, RELEASER, UNITS[:1], reason="not affected"))
    got = refused(e, lambda c: ship(c, CTX, so_number="SO-1", uris=UNITS[:1]))
    assert got.reason == "not_released"  # still 'recalled' until inspected again
    run(
        e,
        lambda c: record_inspection(
            c,
            CTX,
            uris=UNITS[:1],
            plan_code="FQC",
            plan_version=1,
            results=[CheckpointResult("Leak test", True)],
            verdict=Verdict.PASS,
        ),
    )
    run(e, lambda c: ship(c, CTX, so_number="SO-1", uris=UNITS[:1]))


def test_a_return_comes_from_one_customer(labelled: sa.Engine) -> None:
    e = labelled
    run(e, lambda c: ship(c, CTX, so_number="SO-1", uris=UNITS[:1]))
    got = refused(e, lambda c: receive_return(c, CTX, uris=list(UNITS), rma="R1", reason="x"))
    assert (got.reason, got.subject) == ("not_shipped", UNITS[1])
    run(e, lambda c: ship(c, CTX, so_number="SO-3", uris=UNITS[1:]))  # to CUST-2
    got = refused(e, lambda c: receive_return(c, CTX, uris=list(UNITS), rma="R1", reason="x"))
    assert got.reason == "mixed_customers"
    run(e, lambda c: receive_return(c, CTX, uris=UNITS[1:], rma="R2", reason="x"))
    assert payloads(e)[-1]["sourceList"] == [
        {"type": "owning_party", "source": "urn:udi-station:party:CUST-2"}
    ]


def test_a_station_without_a_location_is_refused(labelled: sa.Engine) -> None:
    from dataclasses import replace  # noqa: PLC0415

    elsewhere = replace(CTX, station="ST-99")
    got = refused(labelled, lambda c: pack(c, elsewhere, sscc=SSCC_1, children=UNITS))
    assert (got.reason, got.subject) == ("station_not_configured", "ST-99")
