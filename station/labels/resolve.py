"""Fill a template with data: the one place where a label's content is decided.

Each symbol's content is built once, by the code reader's own builders (which parse their output
back and refuse anything invalid), and its HRI text is made from the same (AI, value) pairs, so
the text and the symbol cannot disagree (UDI-2). Dates in free text follow the template's
``date_format``; in symbols and HRI they are GS1's YYMMDD.

>>> from station.labels.template import parse_template
>>> template = parse_template({
...     "name": "demo", "version": 1, "title_en": "Demo", "title_zh": "演示",
...     "width": 50, "height": 30,
...     "element": [
...         {"type": "barcode", "id": "udi", "symbology": "gs1-datamatrix",
...          "fields": ["gtin", "expiry", "lot"], "x": 2, "y": 2, "module": 0.34},
...         {"type": "hri", "of": "udi", "x": 20, "y": 2, "size": 2.5},
...         {"type": "text", "text": "Use by {expiry}", "x": 20, "y": 8, "size": 2.5},
...     ],
... })
>>> data = LabelData.from_mapping({"gtin": "04012345123456", "lot": "A1", "expiry": "2027-01-31"})
>>> label = resolve(template, data, today=date(2026, 12, 7))
>>> label.barcodes[0].expected.replace("\\x1d", "<GS>")
']d201040123451234561727013110A1'
>>> [t.text for t in label.texts]
['(01)04012345123456(17)270131(10)A1', 'Use by 2027-01-31']
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import date

from station.errors import BuildError
from station.labels.data import DATE_KEYS, FIELD_AI, LabelData, LabelDataError
from station.labels.model import (
    BarcodeItem,
    BoxItem,
    ImageItem,
    Item,
    LineItem,
    ResolvedLabel,
    Symbology,
    TextItem,
)
from station.labels.template import (
    BarcodeElement,
    Element,
    HriElement,
    LabelTemplate,
    ShapeElement,
    TemplateError,
    TextElement,
    format_date,
)
from station.resources import resource_path
from station.udi.build import digital_link, element_string, hri, pairs_of
from station.udi.hibc_build import hibc_code
from station.udi.reader import read_scan

__all__ = ["LINE_SPACING", "load_symbol", "resolve"]

#: Line pitch of multi-line HRI, in em.
LINE_SPACING = 1.25
_MAX_SYMBOL = 512


def _gs1_value(key: str, value: str) -> str:
    if key in DATE_KEYS:
        return date.fromisoformat(value).strftime("%y%m%d")
    if key == "gtin" and len(value) in (8, 12, 13):
        return value.rjust(14, "0")
    return value


def _pairs(element: BarcodeElement, data: LabelData) -> tuple[tuple[str, str], ...]:
    values = data.as_dict()
    return tuple(
        (FIELD_AI[key], _gs1_value(key, values[key])) for key in element.fields if key in values
    )


def _barcode(element: BarcodeElement, data: LabelData, today: date | None) -> BarcodeItem:
    symbology = element.symbology
    pairs: tuple[tuple[str, str], ...] = ()
    if symbology.is_gs1:
        # The element string puts fixed-length AIs first; the symbol, its HRI and the record
        # all take the pairs in that one order, read back from the string itself.
        expected = element_string(_pairs(element, data), today=today)
        pairs = pairs_of(read_scan(symbology.aim + expected))
        content = hri(pairs, today=today)
    elif symbology is Symbology.DL_QR:
        pairs = _pairs(element, data)
        content = expected = digital_link(pairs, today=today)
    else:
        values = data.as_dict()
        content = expected = hibc_code(
            values.get("hibc_lic", ""),
            values.get("hibc_pcn", ""),
            values.get("hibc_uom", ""),
            lot=values.get("lot") if "lot" in element.fields else None,
            serial=values.get("serial") if "serial" in element.fields else None,
            expiry=data.date("expiry") if "expiry" in element.fields else None,
            production_date=(
                data.date("production_date") if "production_date" in element.fields else None
            ),
        )
    return BarcodeItem(
        x=element.x,
        y=element.y,
        symbology=symbology,
        module=element.module,
        data=content,
        expected=symbology.aim + expected,
        pairs=pairs,
        height=element.height,
        name=element.id,
    )


def _hri_lines(item: BarcodeItem, per_line: bool) -> list[str]:
    """The human-readable text of a symbol, from the same checked pairs it encodes.

    Printed for people, so values appear as they are (a lot ``A(1)`` shows as ``A(1)``, not
    with the backslash escape the bracketed machine syntax needs).
    """
    if item.symbology.is_gs1 or item.symbology is Symbology.DL_QR:
        lines = [f"({ai}){value}" for ai, value in item.pairs]
        return lines if per_line else ["".join(lines)]
    return [f"*{item.data}*"]  # HIBC: between asterisks


def _text(element: TextElement, data: LabelData, date_format: str) -> TextItem | None:
    values = data.as_dict()
    if any(name not in values for name in element.fields):
        return None  # an optional field is absent: the line goes with it
    shown = {
        name: format_date(values[name], date_format) if name in DATE_KEYS else values[name]
        for name in element.fields
    }
    return TextItem(
        element.x,
        element.y,
        element.text.format_map(shown),
        element.size,
        element.bold,
        element.align,
        element.max_width,
    )


@functools.lru_cache(maxsize=64)
def load_symbol(name: str) -> tuple[str, ...]:
    """The bitmap of a shipped ISO 15223-1 symbol: rows of ``#`` (dark) and ``.`` (light)."""
    path = resource_path("labels", "symbols", f"{name}.txt")
    try:
        rows = tuple(path.read_text(encoding="ascii").splitlines())
    except (OSError, UnicodeDecodeError):
        msg = f"no label symbol {name!r} ({path})"
        raise TemplateError(msg) from None
    width = len(rows[0]) if rows else 0
    good = (
        0 < len(rows) <= _MAX_SYMBOL
        and 0 < width <= _MAX_SYMBOL
        and all(len(row) == width and set(row) <= {"#", "."} for row in rows)
    )
    if not good:
        msg = f"label symbol {name!r} is not a bitmap of '#' and '.' rows of one length"
        raise TemplateError(msg)
    return rows


def _items(
    elements: Sequence[Element], data: LabelData, template: LabelTemplate, today: date | None
) -> list[Item]:
    barcodes: dict[str, BarcodeItem] = {}
    items: list[Item] = []
    for element in elements:
        if isinstance(element, BarcodeElement):
            barcodes[element.id] = item = _barcode(element, data, today)
            items.append(item)
        elif isinstance(element, HriElement):
            lines = _hri_lines(barcodes[element.of], element.per_line)
            items.extend(
                TextItem(
                    element.x,
                    element.y + n * element.size * LINE_SPACING,
                    line,
                    element.size,
                    element.bold,
                    element.align,
                    element.max_width,
                )
                for n, line in enumerate(lines)
            )
        elif isinstance(element, TextElement):
            text = _text(element, data, template.date_format)
            if text is not None:
                items.append(text)
        elif isinstance(element, ShapeElement):
            items.append(_shape(element))
        else:
            pixels = load_symbol(element.name)
            items.append(ImageItem(element.x, element.y, element.width, element.height, pixels))
    return items


def _shape(element: ShapeElement) -> LineItem | BoxItem:
    if element.kind == "line":
        return LineItem(element.x, element.y, element.x2, element.y2, element.thickness)
    return BoxItem(
        element.x, element.y, element.width, element.height, element.thickness, element.filled
    )


def resolve(
    template: LabelTemplate, data: LabelData, *, today: date | None = None
) -> ResolvedLabel:
    """The label ``template`` makes of ``data``.

    Raises :class:`LabelDataError` naming every required field that is missing, or every
    value the code builders refuse (a lot outside GS1 set 82, an impossible date …).
    """
    values = data.as_dict()
    missing = [key for key in template.required if key not in values]
    if missing:
        raise LabelDataError(
            [f"template {template.name} needs {key}" for key in missing],
        )
    try:
        items = _items(template.elements, data, template, today)
    except BuildError as error:
        raise LabelDataError(error.problems) from None
    return ResolvedLabel(
        template=template.name,
        version=template.version,
        template_sha256=template.sha256,
        width=template.width,
        height=template.height,
        items=tuple(items),
        data=tuple((key, values[key]) for key in template.fields if key in values),
    )
