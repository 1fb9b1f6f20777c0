"""CBV 2.0 vocabulary checks, taken from the enumerations of the shipped EPCIS schema.

The schema lets any URI stand in for a CBV value, and with format checks missing it lets any
string through, so a typo such as ``"recieving"`` would be recorded forever. Here a value must be
a CBV bare word the schema enumerates, or a full URI outside the CBV namespaces.

>>> check_vocab("bizStep", "receiving")
'receiving'
>>> check_vocab("bizStep", "recieving")
Traceback (most recent call last):
...
ValueError: bizStep 'recieving' is not a CBV 2.0 value nor a URI outside the CBV namespaces
>>> check_vocab("bizTransaction type", SALES_ORDER)
'urn:udi-station:btt:so'
"""

from __future__ import annotations

import re
from functools import cache

from station.epcis.schema import is_uri, load_schema

__all__ = ["SALES_ORDER", "VOCABULARIES", "cbv_values", "check_uri", "check_vocab"]

#: CBV has no sales-order bizTransaction type, so the station names its own.
SALES_ORDER = "urn:udi-station:btt:so"

#: Our name for each vocabulary → its definition in the EPCIS schema.
VOCABULARIES = {
    "bizStep": "bizStep",
    "disposition": "disposition",
    "bizTransaction type": "bizTransaction-type",
    "source/destination type": "source-dest-type",
    "error reason": "error-reason",
    "measurement type": "measurementType",
}
# The schema's own exclusion, plus the CBV 2.0 web vocabulary: bare words are the one spelling.
_CBV_NAMESPACES = re.compile(r"(urn:epcglobal:cbv|https?://(ns|ref)\.gs1\.org/cbv/)", re.I)


@cache
def cbv_values(vocabulary: str) -> frozenset[str]:
    """The bare words the schema enumerates for one of :data:`VOCABULARIES`."""
    definition = load_schema()["definitions"][VOCABULARIES[vocabulary]]
    return frozenset(value for branch in definition["anyOf"] for value in branch.get("enum", ()))


def check_uri(what: str, value: str) -> str:
    """``value`` if it is an absolute URI by the schema's own check, else ValueError."""
    if not is_uri(value):
        msg = f"{what} {value!r} is not an absolute URI"
        raise ValueError(msg)
    return value


def check_vocab(vocabulary: str, value: str) -> str:
    """``value`` if it is a CBV word of ``vocabulary`` or a URI outside CBV, else ValueError."""
    if value in cbv_values(vocabulary):
        return value
    if is_uri(value) and not _CBV_NAMESPACES.match(value):
        return value
    msg = f"{vocabulary} {value!r} is not a CBV 2.0 value nor a URI outside the CBV namespaces"
    raise ValueError(msg)
