"""The hash chains: golden vectors, an independent re-implementation that must agree (TAM-1),
and appending on a real SQLite file."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text

from station.ledger.canonical import canonical_json
from station.ledger.chain import (
    AUDIT_CHAIN,
    AUDIT_TAG,
    EVENT_CHAIN,
    EVENT_TAG,
    GENESIS,
    Chain,
    ChainLink,
    LedgerError,
    append_audit,
    append_event,
    record_hash,
    type_errors,
)
from station.persistence import tables

# ----------------------------------------------------------------------------- reference


def reference_jcs(value: Any) -> str:
    """RFC 8785 written a second way, to catch a mistake the main implementation would share.

    Numbers: the shortest ``%e`` precision that round-trips (not ``repr``), laid out with
    ``Decimal`` and the ECMAScript range rule 1e-6 ≤ |x| < 1e21. Strings: escaped character
    by character from the RFC's list. Keys: sorted on UTF-16 code units computed by hand.
    """
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        assert abs(value) <= 2**53
        return str(value)
    if isinstance(value, float):
        return _reference_number(value)
    if isinstance(value, str):
        value.encode("utf-8")  # raises on a lone surrogate
        return '"' + "".join(map(_reference_escape, value)) + '"'
    if isinstance(value, list | tuple):
        return "[" + ",".join(reference_jcs(v) for v in value) + "]"
    assert isinstance(value, dict)
    keys = sorted(value, key=_utf16_units)
    return "{" + ",".join(f"{reference_jcs(k)}:{reference_jcs(value[k])}" for k in keys) + "}"


def _reference_escape(char: str) -> str:
    short = {
        '"': '\\"',
        "\\": "\\\\",
        "\b": "\\b",
        "\f": "\\f",
        "\n": "\\n",
        "\r": "\\r",
        "\t": "\\t",
    }
    if char in short:
        return short[char]
    return f"\\u{ord(char):04x}" if ord(char) < 0x20 else char


def _utf16_units(key: str) -> list[int]:
    units: list[int] = []
    for char in key:
        point = ord(char)
        if point < 0x10000:
            units.append(point)
        else:
            point -= 0x10000
            units += [0xD800 + (point >> 10), 0xDC00 + (point & 0x3FF)]
    return units


def _reference_number(x: float) -> str:
    if x == 0:
        return "0"
    if x < 0:
        return "-" + _reference_number(-x)
    d = _shortest_decimal(x)
    if Decimal("1e-6") <= d < Decimal("1e21"):
        return format(d, "f")
    _, digits, exponent = d.as_tuple()
    assert isinstance(exponent, int)
    mantissa = "".join(map(str, digits))
    power = exponent + len(mantissa) - 1
    mantissa = mantissa[0] + ("." + mantissa[1:] if len(mantissa) > 1 else "")
    return f"{mantissa}e{'+' if power > 0 else '-'}{abs(power)}"


def _shortest_decimal(x: float) -> Decimal:
    """ECMA-262 §7.1.12.1 by search: fewest digits that read back as ``x``, then the closest.

    The nearest p-digit decimal need not read back when a neighbour does (at powers of two
    the gap below is half the gap above), so the neighbours are tried too.
    """
    exact = Fraction(x)
    for p in range(1, 18):
        mantissa, exponent = f"{x:.{p - 1}e}".split("e")
        nearest, scale = int(mantissa.replace(".", "")), int(exponent) - (p - 1)
        candidates = [
            (digits, Fraction(digits) * Fraction(10) ** scale)
            for digits in (nearest - 1, nearest, nearest + 1)
            if len(str(digits)) == p
        ]
        exact_ones = [
            (abs(v - exact), digits % 2, digits) for digits, v in candidates if _reads_back(v, x)
        ]
        if exact_ones:
            digits = min(exact_ones)[2]
            return Decimal(digits).scaleb(scale).normalize()
    raise AssertionError(f"no decimal reads back as {x!r}")


def _reads_back(value: Fraction, x: float) -> bool:
    try:
        return float(value) == x  # int / int is correctly rounded in CPython
    except OverflowError:
        return False


def reference_hash(tag: bytes, row: Mapping[str, Any]) -> str:
    fields = {k: (v.hex() if isinstance(v, bytes) else v) for k, v in row.items()}
    prev = fields.pop("prev_hash")
    fields.pop("hash", None)
    message = tag + reference_jcs(fields).encode("utf-8") + prev.encode("ascii")
    return hashlib.sha256(message).hexdigest()


# ----------------------------------------------------------------------------- fixtures


def sample_event(i: int) -> dict[str, Any]:
    """A plausible event; ``i`` varies every field that varies in real life."""
    event_id = f"urn:uuid:01937f5e-0000-7000-8000-{i:012x}"
    epc = f"https://id.gs1.org/01/04012345678901/21/SN{i:05d}"
    payload = {
        "type": "ObjectEvent",
        "eventID": event_id,
        "action": "OBSERVE",
        "epcList": [epc],
        "eventTime": f"2026-11-24T08:{i // 60 % 60:02d}:{i % 60:02d}.123+08:00",
        "st:actor": "u-7",
        "st:reason": "收货 réception" if i % 3 == 0 else None,
    }
    return {
        "event_id": event_id,
        "event_type": "ObjectEvent",
        "action": "OBSERVE",
        "biz_step": "receiving",
        "disposition": "in_progress" if i % 2 else None,
        "event_time": f"2026-11-24T00:{i // 60 % 60:02d}:{i % 60:02d}.123Z",
        "event_tz_offset": "+08:00",
        "record_time": f"2026-11-24T00:{i // 60 % 60:02d}:{i % 60:02d}.456Z",
        "actor": "u-7",
        "payload": canonical_json(payload),
        "raw_scan": b"]d2" + f"0104012345678901\x1d21SN{i:05d}".encode(),
        "app_version": "0.1.0",
        "schema_version": "0002",
    }


def sample_audit(i: int) -> dict[str, Any]:
    return {
        "at": f"2026-11-24T01:00:{i % 60:02d}.000Z",
        "at_offset": "+08:00",
        "actor": "admin" if i % 2 else None,
        "actor_name": "王 Wang" if i % 2 else None,
        "action": "masterdata.update",
        "entity": "product",
        "entity_id": str(i),
        "old_value": canonical_json({"name_en": f"Old {i}"}),
        "new_value": canonical_json({"name_en": f"New {i}"}),
        "reason": "typo",
        "station": "ST01",
        "app_version": "0.1.0",
    }


def as_stored(chain: Chain, seq: int, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The row the ledger stores for ``fields``: every column, omitted ones as NULL."""
    columns = [c for c in chain.column_types if c not in ("seq", "prev_hash", "hash")]
    return {"seq": seq, **dict.fromkeys(columns), **fields}


def new_database(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    tables.metadata.create_all(engine)
    return engine


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = new_database(tmp_path / "station.db")
    yield engine
    engine.dispose()


def stored_rows(engine: Engine, table: str) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        result = conn.execute(text(f"SELECT * FROM {table} ORDER BY seq"))
        return [dict(row) for row in result.mappings()]


# ----------------------------------------------------------------------------- golden vectors

# Fixed inputs → fixed hashes. If one changes, every ledger ever written stops verifying.
GOLDEN_EVENT_1 = "19cbedfe7703666c40ed9c1b1ee5270be2a2ff7c0fface01c93999c1da248e81"
GOLDEN_EVENT_2 = "5667da122d4c0229e1fa207cc616e85dbb808d5ae27a3eadeba15f9aeda6c12b"
GOLDEN_AUDIT_1 = "bf4b85e05d90524bc75b08b0230e44616552fff9417655e117774bb87ce0b40d"


@pytest.mark.req("TAM-1")
def test_golden_vectors() -> None:
    first = record_hash(EVENT_TAG, as_stored(EVENT_CHAIN, 1, sample_event(1)), GENESIS)
    second = record_hash(EVENT_TAG, as_stored(EVENT_CHAIN, 2, sample_event(2)), first)
    audit = record_hash(AUDIT_TAG, as_stored(AUDIT_CHAIN, 1, sample_audit(1)), GENESIS)
    assert (first, second, audit) == (GOLDEN_EVENT_1, GOLDEN_EVENT_2, GOLDEN_AUDIT_1)


@pytest.mark.req("TAM-1")
def test_hand_written_vector() -> None:
    # Spelled out byte by byte, so the rule itself is visible in the test.
    message = b'station-audit-v1\x00{"action":"login","raw":"1d00ff","seq":1,"x":null}' + b"0" * 64
    fields = {"seq": 1, "action": "login", "x": None, "raw": b"\x1d\x00\xff"}
    assert record_hash(AUDIT_TAG, fields, GENESIS) == hashlib.sha256(message).hexdigest()


@pytest.mark.req("TAM-1")
def test_tags_separate_the_chains() -> None:
    fields = {"seq": 1, "a": "b"}
    assert record_hash(EVENT_TAG, fields, GENESIS) != record_hash(AUDIT_TAG, fields, GENESIS)


@pytest.mark.parametrize("bad", ["0" * 63, "0" * 65, "A" * 64, "g" * 64, ""])
def test_prev_hash_must_be_64_lowercase_hex(bad: str) -> None:
    with pytest.raises(ValueError, match="prev_hash"):
        record_hash(EVENT_TAG, {"seq": 1}, bad)


def test_hash_columns_are_never_hashed() -> None:
    with pytest.raises(ValueError, match="must not contain"):
        record_hash(EVENT_TAG, {"seq": 1, "hash": "x"}, GENESIS)


# ----------------------------------------------------------------------------- appending


@pytest.mark.req("TAM-1")
def test_append_chains_records_and_the_reference_agrees(engine: Engine) -> None:
    links = []
    with engine.begin() as conn:
        for i in range(1, 6):
            links.append(append_event(conn, sample_event(i)))
            append_audit(conn, sample_audit(i))
    assert [link.seq for link in links] == [1, 2, 3, 4, 5]
    prev = GENESIS
    for row, link in zip(stored_rows(engine, "event"), links, strict=True):
        assert row["prev_hash"] == prev
        assert row["hash"] == link.hash == reference_hash(EVENT_TAG, row)
        prev = row["hash"]
    first_audit = stored_rows(engine, "audit")[0]
    assert first_audit["hash"] == reference_hash(AUDIT_TAG, first_audit)
    assert links[0] == ChainLink(1, GOLDEN_EVENT_1)
    assert links[1] == ChainLink(2, GOLDEN_EVENT_2)
    assert first_audit["hash"] == GOLDEN_AUDIT_1


def test_omitted_optional_columns_are_stored_and_hashed_as_null(engine: Engine) -> None:
    fields = sample_event(1)
    for name in ("action", "biz_step", "disposition", "read_point", "raw_scan", "actor"):
        fields.pop(name, None)
    with engine.begin() as conn:
        link = append_event(conn, fields)
    (row,) = stored_rows(engine, "event")
    assert row["action"] is None
    assert row["raw_scan"] is None
    assert link.hash == reference_hash(EVENT_TAG, row)
    assert link.hash == record_hash(EVENT_TAG, as_stored(EVENT_CHAIN, 1, fields), GENESIS)


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"seq": 7}, ValueError, "ledger assigns"),
        ({"hash": "0" * 64}, ValueError, "ledger assigns"),
        ({"colour": "red"}, ValueError, "no columns"),
        ({"event_id": None}, ValueError, "required"),
        ({"event_type": 5}, TypeError, "must be str"),  # SQLite would store TEXT '5'
        ({"raw_scan": "5d6432"}, TypeError, "must be bytes"),  # hex text ≠ the bytes
        ({"raw_scan": bytearray(b"x")}, TypeError, "must be bytes"),
    ],
)
def test_fields_of_the_wrong_shape_are_refused(
    engine: Engine, change: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match), engine.begin() as conn:
        append_event(conn, sample_event(1) | change)
    assert stored_rows(engine, "event") == []


def test_a_row_altered_on_insert_is_refused(engine: Engine) -> None:
    # Whatever changes a row between hashing and storage (here a trigger) must not leave a
    # record whose hash never matched: the append fails and the transaction rolls back.
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TRIGGER sneaky AFTER INSERT ON audit BEGIN "
                "UPDATE audit SET reason = 'changed' WHERE seq = NEW.seq; END"
            )
        )
    with pytest.raises(LedgerError, match="audit seq 1: stored row differs"), engine.begin() as c:
        append_audit(c, sample_audit(1))
    assert stored_rows(engine, "audit") == []


def test_type_errors_tell_blob_from_hex_text() -> None:
    row = {"seq": 1, **sample_event(1), "prev_hash": GENESIS, "hash": "0" * 64}
    assert type_errors(EVENT_CHAIN, row) == []
    assert type_errors(EVENT_CHAIN, row | {"raw_scan": row["raw_scan"].hex()}) == [
        "raw_scan is str, expected bytes"
    ]
    assert type_errors(AUDIT_CHAIN, {"seq": True}) != []
