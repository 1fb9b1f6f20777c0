"""Stand-in data to preview a label template version on screen: every field the template uses,
filled with values that are obviously samples (GS1's demonstration GTIN, ``SAMPLE`` lots).

A station that has real sample data (the demo's, per template name) passes it in ``known``;
its values win. Nothing here is recorded or printed for production.

>>> from station.labels.stock import stock_template
>>> data = sample_data(stock_template("sscc-pallet"), today=date(2026, 3, 2))
>>> data["sscc"], data["expiry"]
('395212345000000019', '2029-03-01')
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from station.labels.template import LabelTemplate
from station.udi.checks import gs1_check_digit

__all__ = ["SAMPLE_GTIN", "sample_data"]

#: GS1's demonstration GTIN: never a real product.
SAMPLE_GTIN = "09521234543213"


def _with_check(digits: str) -> str:
    return digits + str(gs1_check_digit(digits))


def _values(today: date) -> dict[str, str]:
    return {
        "gtin": SAMPLE_GTIN,
        "content_gtin": SAMPLE_GTIN,
        "lot": "SAMPLE-LOT",
        "serial": "00000001",
        "expiry": (today + timedelta(days=1095)).isoformat(),
        "production_date": today.isoformat(),
        "quantity": "10",
        "count": "40",
        "sscc": _with_check("39521234500000001"),
        "product_name_zh": "样品 示例器械",
        "product_name_en": "Sample device",
        "model": "SAMPLE-1",
        "registration_no": "SAMPLE-REG-0001",
        "supplier_name": "Sample supplier",
        "po_number": "PO-SAMPLE-1",
        "hibc_lic": "A999",
        "hibc_pcn": "SAMPLE1",
        "hibc_uom": "0",
    }


def sample_data(
    template: LabelTemplate,
    *,
    today: date,
    known: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Values for every field ``template`` uses (``known`` first, then stand-ins)."""
    stand_ins = _values(today)
    data: dict[str, str] = {}
    for key in template.fields:
        if known is not None and key in known:
            data[key] = known[key]
        elif key in stand_ins:
            data[key] = stand_ins[key]
    return data
