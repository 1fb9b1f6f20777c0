"""Event IDs (UUIDv7) and identifier URIs: bit layout, ordering, canonical forms, round trips."""

from __future__ import annotations

import threading
import uuid
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from station.errors import BuildError
from station.events.ids import (
    IdentParts,
    gln_location_uri,
    gln_party_uri,
    gtin_uri,
    identifiers_of,
    lgtin_uri,
    location_urn,
    parse_uri,
    party_urn,
    sgtin_uri,
    sscc_uri,
    transaction_urn,
    udi_urn,
)
from station.events.uuid7 import UuidV7Generator, new_event_id
from station.udi import ReaderConfig, read_scan
from station.udi.checks import gs1_check_digit
from station.udi.gs1_spec import CSET82

CONFIG = ReaderConfig(today=date(2026, 11, 24))

# --------------------------------------------------------------------------- UUIDv7


def test_event_id_bit_layout_follows_rfc_9562():
    before = 1_764_000_000_000
    gen = UuidV7Generator(clock_ms=lambda: before, randbits=lambda n: (1 << n) - 1)
    value = gen.next()
    assert value.version == 7
    assert value.variant == uuid.RFC_4122  # the 0b10 variant
    assert value.int >> 80 == before  # 48-bit unix milliseconds
    # All-ones seed with the top counter bit held clear: room to count within the millisecond.
    counter = ((value.int >> 64) & 0xFFF) << 62 | (value.int & ((1 << 62) - 1))
    assert counter == (1 << 73) - 1


def test_real_event_ids_carry_the_current_time():
    import time  # noqa: PLC0415 - only this test reads the real clock

    before = time.time_ns() // 1_000_000
    value = uuid.UUID(new_event_id().removeprefix("urn:uuid:"))
    after = time.time_ns() // 1_000_000
    assert before <= value.int >> 80 <= after
    assert value.version == 7


def test_ids_increase_within_one_millisecond_and_when_the_clock_steps_back():
    clock = iter([5, 5, 5, 4, 3, 6, 6])
    gen = UuidV7Generator(clock_ms=lambda: next(clock))
    ids = [gen.next() for _ in range(7)]
    assert ids == sorted(ids)
    assert len(set(ids)) == 7
    assert [i.int >> 80 for i in ids] == [5, 5, 5, 5, 5, 6, 6]  # never goes back


def test_counter_overflow_moves_to_the_next_millisecond():
    seeds = iter([(1 << 73) - 1, 0])
    gen = UuidV7Generator(clock_ms=lambda: 9, randbits=lambda n: next(seeds))
    first = gen.next()
    # Drive the counter to its maximum, as 2**73 calls in one millisecond would.
    gen._counter = (1 << 74) - 1
    second = gen.next()
    assert second.int >> 80 == 10
    assert first < second


def test_after_fork_the_counter_is_reseeded_not_continued():
    seeds = iter([100, 5_000])
    gen = UuidV7Generator(clock_ms=lambda: 7, randbits=lambda n: next(seeds))
    gen.next()
    gen.after_fork()
    child = gen.next()
    assert child.int & ((1 << 62) - 1) == 5_000  # a new random seed, not 101


def test_burst_of_ids_is_strictly_increasing_and_unique():
    ids = [new_event_id() for _ in range(20_000)]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_burst_from_threads_yields_no_duplicate():
    out: list[list[str]] = [[] for _ in range(8)]

    def work(bucket: list[str]) -> None:
        bucket.extend(new_event_id() for _ in range(2_000))

    threads = [threading.Thread(target=work, args=(bucket,)) for bucket in out]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    everything = [i for bucket in out for i in bucket]
    assert len(set(everything)) == len(everything)
    for bucket in out:  # each thread sees its own IDs in order
        assert bucket == sorted(bucket)


# --------------------------------------------------------------------------- URIs


def test_gs1_uris_are_canonical_digital_links():
    assert sgtin_uri("4012345123456", "SN?1") == "https://id.gs1.org/01/04012345123456/21/SN%3F1"
    assert lgtin_uri("04012345123456", "L%1") == "https://id.gs1.org/01/04012345123456/10/L%251"
    assert gtin_uri("04012345123456") == "https://id.gs1.org/01/04012345123456"
    assert sscc_uri("340123450000000017") == "https://id.gs1.org/00/340123450000000017"
    assert gln_location_uri("4012345000009") == "https://id.gs1.org/414/4012345000009"
    assert gln_location_uri("4012345000009", "DOCK-1").endswith("/414/4012345000009/254/DOCK-1")
    assert gln_party_uri("4012345000009") == "https://id.gs1.org/417/4012345000009"


@pytest.mark.parametrize(
    "build",
    [
        lambda: sgtin_uri("04012345123457", "S1"),  # wrong check digit
        lambda: sgtin_uri("04012345123456", "S 1"),  # space is not in GS1 set 82
        lambda: lgtin_uri("04012345123456", "L" * 21),  # lot longer than 20
        lambda: sscc_uri("340123450000000018"),
    ],
)
def test_invalid_gs1_data_never_becomes_a_uri(build):
    with pytest.raises(BuildError):
        build()


def test_station_urns_encode_colon_and_percent():
    assert udi_urn("ppn", "110375286414", lot="A:1", serial="5%") == (
        "urn:udi-station:ppn:110375286414:lot:A%3A1:serial:5%25"
    )
    assert party_urn("客户 1") == "urn:udi-station:party:%E5%AE%A2%E6%88%B7%201"
    assert location_urn("QC/1") == "urn:udi-station:loc:QC%2F1"
    assert transaction_urn("so", "SO:9") == "urn:udi-station:bt:so:SO%3A9"
    with pytest.raises(ValueError, match="GS1 keys use Digital Link"):
        udi_urn("gs1", "04012345123456")
    with pytest.raises(ValueError, match="empty"):
        udi_urn("hibc", "")


gtins = st.from_regex(r"[0-9]{13}", fullmatch=True).map(lambda b: b + str(gs1_check_digit(b)))
set82 = st.text(alphabet=CSET82, min_size=1, max_size=20)


@settings(max_examples=300, deadline=None)
@given(gtin=gtins, serial=set82, lot=set82)
def test_gs1_uris_round_trip(gtin, serial, lot):
    assert parse_uri(sgtin_uri(gtin, serial)) == IdentParts("sgtin", gtin=gtin, serial=serial)
    assert parse_uri(lgtin_uri(gtin, lot)) == IdentParts("lgtin", gtin=gtin, lot=lot)
    assert parse_uri(gtin_uri(gtin)) == IdentParts("gtin", gtin=gtin)


@settings(max_examples=300, deadline=None)
@given(
    scheme=st.sampled_from(["hibc", "isbt128", "ppn", "ma"]),
    di=st.text(min_size=1, max_size=30),
    lot=st.none() | st.text(min_size=1, max_size=20),
    serial=st.none() | st.text(min_size=1, max_size=20),
)
def test_station_urns_round_trip_any_text(scheme, di, lot, serial):
    di = di.encode("utf-8", "replace").decode("utf-8")
    uri = udi_urn(scheme, di, lot, serial)
    assert parse_uri(uri) == IdentParts("other", lot=lot, serial=serial, scheme=scheme, di=di)


def test_parse_uri_kinds_and_refusals():
    assert parse_uri(sscc_uri("340123450000000017")) == IdentParts(
        "sscc", sscc="340123450000000017"
    )
    assert parse_uri(party_urn("C1")).kind == "party"
    assert parse_uri(gln_party_uri("4012345000009")).kind == "party"
    assert parse_uri(location_urn("L1")).kind == "location"
    assert parse_uri(gln_location_uri("4012345000009")).kind == "location"
    assert parse_uri("urn:epc:id:sgtin:0614141.107346.2017") == IdentParts("other")
    assert parse_uri("http://transaction.acme.com/po/12345678") == IdentParts("other")
    for bad in (
        "https://id.gs1.org/01/04012345123457/21/S1",  # check digit
        "urn:udi-station:hibc:A1:lot:x:y",  # no such label
        "urn:udi-station:hibc:A%3a1",  # lower-case escape: not canonical
        "urn:udi-station:loc:a:b",
        "urn:udi-station:ppn:%FF",  # not UTF-8
        "urn:udi-station:",
    ):
        with pytest.raises(ValueError):  # noqa: PT011 - each names its own reason
            parse_uri(bad)


# --------------------------------------------------------------------------- from scans


@pytest.mark.parametrize(
    ("scan", "instance", "klass"),
    [
        (
            "(01)04012345123456(10)A1(21)S/1",
            "https://id.gs1.org/01/04012345123456/21/S%2F1",
            "https://id.gs1.org/01/04012345123456/10/A1",
        ),
        ("(01)04012345123456(17)271231", None, "https://id.gs1.org/01/04012345123456"),
        ("(00)340123450000000017", "https://id.gs1.org/00/340123450000000017", None),
        (
            "+J123AQ3451/25330BC34567/S4012X",
            "urn:udi-station:hibc:J123AQ3451:serial:4012",
            "urn:udi-station:hibc:J123AQ3451:lot:BC34567",
        ),
        (
            "+A123BJC5D6E71G+2001510X3GG",
            None,
            "urn:udi-station:hibc:A123BJC5D6E71:lot:10X3",
        ),
    ],
)
def test_identifiers_of_a_scan(scan, instance, klass):
    ids = identifiers_of(read_scan(scan, CONFIG))
    assert (ids.instance_uri, ids.class_uri) == (instance, klass)


def test_an_invalid_scan_has_no_identifiers():
    with pytest.raises(ValueError, match="invalid"):
        identifiers_of(read_scan("(01)04012345123457(21)S1", CONFIG))
