"""Identifier URIs for EPCIS events, and their inverse for the ``event_ident`` table.

GS1 keys are written as canonical GS1 Digital Link URIs on ``https://id.gs1.org`` through the
code reader's own builder (:func:`station.udi.build.digital_link`), so check digits, character
sets and percent-encoding are exactly those of a label. Codes of other schemes, and parties or
locations without a GLN, get a station URN (docs/event-store.md, "Identifiers").

>>> sgtin_uri("04012345123456", "SN/1")
'https://id.gs1.org/01/04012345123456/21/SN%2F1'
>>> lgtin_uri("4012345123456", "L 1")  # GTIN-13 padded: one item, one URI
Traceback (most recent call last):
...
station.errors.BuildError: Cannot build a valid GS1 code: ...
>>> lgtin_uri("4012345123456", "L-1")
'https://id.gs1.org/01/04012345123456/10/L-1'
>>> udi_urn("hibc", "A99912345", lot="3C:001")
'urn:udi-station:hibc:A99912345:lot:3C%3A001'
>>> parts = parse_uri("urn:udi-station:hibc:A99912345:lot:3C%3A001")
>>> parts.kind, parts.scheme, parts.di, parts.lot, parts.serial
('other', 'hibc', 'A99912345', '3C:001', None)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from station.events.uuid7 import new_event_id
from station.udi.build import digital_link
from station.udi.digital_link import looks_like_digital_link, parse_digital_link
from station.udi.model import ParsedCode, Scheme
from station.udi.normalize import ReaderConfig, ScanInput

__all__ = [
    "STATION_URN",
    "UDI_SCHEMES",
    "IdentParts",
    "ScanIdentifiers",
    "gln_location_uri",
    "gln_party_uri",
    "gtin_uri",
    "identifiers_of",
    "lgtin_uri",
    "location_urn",
    "new_event_id",
    "parse_uri",
    "party_urn",
    "sgtin_uri",
    "sscc_uri",
    "transaction_urn",
    "udi_urn",
]

STATION_URN = "urn:udi-station:"
#: Schemes whose codes have no GS1 key and are written as station URNs.
UDI_SCHEMES = frozenset({"hibc", "isbt128", "ppn", "ma"})
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
_URN = re.compile(r"urn:udi-station:(?P<scheme>[a-z0-9-]+):(?P<rest>.+)\Z")
# A fixed reference date: dates never occur in these URIs, but the reader wants one.
_CONFIG = ReaderConfig()


def _gtin14(gtin: str) -> str:
    return gtin.rjust(14, "0") if gtin.isdigit() and len(gtin) in (8, 12, 13) else gtin


@lru_cache(maxsize=65536)  # built for every event naming the item; each build parses back
def sgtin_uri(gtin: str, serial: str) -> str:
    """A serialised trade item: ``https://id.gs1.org/01/{gtin14}/21/{serial}``."""
    return digital_link((("01", _gtin14(gtin)), ("21", serial)))


@lru_cache(maxsize=65536)  # built for every event naming the item; each build parses back
def lgtin_uri(gtin: str, lot: str) -> str:
    """A lot of a trade item (an EPCIS quantity class): ``…/01/{gtin14}/10/{lot}``."""
    return digital_link((("01", _gtin14(gtin)), ("10", lot)))


@lru_cache(maxsize=65536)  # built for every event naming the item; each build parses back
def gtin_uri(gtin: str) -> str:
    """A trade item class without lot: ``https://id.gs1.org/01/{gtin14}``."""
    return digital_link((("01", _gtin14(gtin)),))


@lru_cache(maxsize=65536)  # built for every event naming the item; each build parses back
def sscc_uri(sscc: str) -> str:
    """A logistic unit: ``https://id.gs1.org/00/{sscc}``."""
    return digital_link((("00", sscc),))


def gln_location_uri(gln: str, extension: str | None = None) -> str:
    """A physical location with a GLN (AI 414, optional extension AI 254)."""
    pairs = [("414", gln)] + ([("254", extension)] if extension is not None else [])
    return digital_link(pairs)


def gln_party_uri(gln: str) -> str:
    """A party with a GLN (AI 417)."""
    return digital_link((("417", gln),))


def _encode(value: str) -> str:
    """Digital Link percent-encoding of UTF-8; in a URN ``:`` and ``%`` are encoded too."""
    if not value:
        msg = "an identifier part cannot be empty"
        raise ValueError(msg)
    return "".join(
        char if char in _UNRESERVED else "".join(f"%{b:02X}" for b in char.encode("utf-8"))
        for char in value
    )


def udi_urn(scheme: str, di: str, lot: str | None = None, serial: str | None = None) -> str:
    """A HIBC, ISBT 128, PPN or MA code: ``urn:udi-station:{scheme}:{di}[:lot:…][:serial:…]``."""
    if scheme not in UDI_SCHEMES:
        msg = f"{scheme!r} is not one of {sorted(UDI_SCHEMES)}; GS1 keys use Digital Link"
        raise ValueError(msg)
    uri = f"{STATION_URN}{scheme}:{_encode(di)}"
    if lot is not None:
        uri += f":lot:{_encode(lot)}"
    if serial is not None:
        uri += f":serial:{_encode(serial)}"
    return uri


def party_urn(code: str) -> str:
    """A party without a GLN, by its master-data code."""
    return f"{STATION_URN}party:{_encode(code)}"


def location_urn(code: str) -> str:
    """A location without a GLN, by its master-data code."""
    return f"{STATION_URN}loc:{_encode(code)}"


def transaction_urn(kind: str, number: str) -> str:
    """A business document by its ERP number, e.g. ``transaction_urn("po", "PO-7")``.

    >>> transaction_urn("po", "PO 7")
    'urn:udi-station:bt:po:PO%207'
    """
    return f"{STATION_URN}bt:{_encode(kind)}:{_encode(number)}"


# --------------------------------------------------------------------------- from a scan


@dataclass(frozen=True, slots=True)
class ScanIdentifiers:
    """What one scan names: the unit itself (if serialised or an SSCC) and its class.

    ``class_uri`` is the lot when there is one (the EPCIS quantity class), else the product.
    """

    instance_uri: str | None
    class_uri: str | None


def identifiers_of(code: ParsedCode) -> ScanIdentifiers:
    """The URIs of a valid reading; ValueError for an invalid one (it names nothing reliably)."""
    if not code.valid:
        msg = f"an invalid {code.scheme.value} code has no identifiers"
        raise ValueError(msg)
    if code.scheme in (Scheme.GS1, Scheme.GS1_DIGITAL_LINK):
        if code.gtin is not None:
            instance = sgtin_uri(code.gtin, code.serial) if code.serial is not None else None
            klass = lgtin_uri(code.gtin, code.lot) if code.lot is not None else gtin_uri(code.gtin)
            return ScanIdentifiers(instance, klass)
        if code.sscc is not None:
            return ScanIdentifiers(sscc_uri(code.sscc), None)
    elif code.scheme.value in UDI_SCHEMES and code.di:
        scheme = code.scheme.value
        instance = udi_urn(scheme, code.di, serial=code.serial) if code.serial else None
        return ScanIdentifiers(instance, udi_urn(scheme, code.di, lot=code.lot))
    msg = f"this {code.scheme.value} code carries no trade item or logistic unit key"
    raise ValueError(msg)


# --------------------------------------------------------------------------- the inverse


@dataclass(frozen=True, slots=True)
class IdentParts:
    """An identifier URI split into the ``event_ident`` columns.

    ``kind``: sgtin | lgtin | gtin | sscc | party | location | other (a station URN of a
    HIBC/ISBT 128/PPN/MA code is ``other`` with ``scheme`` and ``di`` set).
    """

    kind: str
    gtin: str | None = None
    lot: str | None = None
    serial: str | None = None
    sscc: str | None = None
    scheme: str | None = None
    di: str | None = None


def _gs1_parts(uri: str) -> IdentParts:
    code = parse_digital_link(ScanInput(uri.encode("utf-8"), None, uri, config=_CONFIG))
    if not code.valid:
        first = code.errors[0].message if code.errors else "not a GS1 Digital Link"
        msg = f"{uri!r} is not a valid GS1 Digital Link: {first}"
        raise ValueError(msg)
    fields = code.fields
    if "01" in fields:
        gtin, lot, serial = _gtin14(fields["01"]), fields.get("10"), fields.get("21")
        kind = "sgtin" if serial is not None else "lgtin" if lot is not None else "gtin"
        return IdentParts(kind, gtin=gtin, lot=lot, serial=serial)
    if "00" in fields:
        return IdentParts("sscc", sscc=fields["00"])
    if "414" in fields:
        return IdentParts("location")
    if "417" in fields:
        return IdentParts("party")
    return IdentParts("other")


def _decode(text: str, uri: str) -> str:
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError as error:
        msg = f"{uri!r}: percent-encoding is not UTF-8"
        raise ValueError(msg) from error


def _urn_parts(uri: str, scheme: str, rest: str) -> IdentParts:
    values = [_decode(part, uri) for part in rest.split(":")]
    if scheme in ("party", "loc", "bt"):
        if scheme == "party" and len(values) == 1:
            kind, canonical = "party", party_urn(values[0])
        elif scheme == "loc" and len(values) == 1:
            kind, canonical = "location", location_urn(values[0])
        elif scheme == "bt" and len(values) == 2:
            kind, canonical = "other", transaction_urn(values[0], values[1])
        else:
            canonical = ""
        if canonical != uri:
            msg = f"{uri!r} is not a canonical station {scheme} URN"
            raise ValueError(msg)
        return IdentParts(kind)
    labels = dict(zip(values[1::2], values[2::2], strict=False))
    lot, serial = labels.get("lot"), labels.get("serial")
    if scheme not in UDI_SCHEMES or udi_urn(scheme, values[0], lot, serial) != uri:
        msg = f"{uri!r} is not a canonical station UDI URN"
        raise ValueError(msg)
    return IdentParts("other", lot=lot, serial=serial, scheme=scheme, di=values[0])


@lru_cache(maxsize=65536)  # a unit's URI is parsed for its index rows and again by the projection
def parse_uri(uri: str) -> IdentParts:
    """Split an identifier URI this module writes; anything else is ``other``.

    Station URNs and Digital Links must be canonical and valid (ValueError otherwise): a
    malformed one in the ledger is a defect, not data to guess at.

    >>> parts = parse_uri("https://id.gs1.org/01/04012345123456/21/SN%2F1")
    >>> parts.kind, parts.gtin, parts.lot, parts.serial
    ('sgtin', '04012345123456', None, 'SN/1')
    >>> parse_uri("urn:epc:id:sgtin:0614141.107346.2017").kind
    'other'
    """
    if looks_like_digital_link(uri):
        return _gs1_parts(uri)
    match = _URN.match(uri)
    if match:
        return _urn_parts(uri, match["scheme"], match["rest"])
    if uri.startswith(STATION_URN):
        msg = f"{uri!r} is not a station URN"
        raise ValueError(msg)
    return IdentParts("other")
