"""Label templates: declarative, versioned, checked when loaded.

A template is a TOML document (stock ones in ``resources/labels/templates/``)::

    name = "udi-unit"
    version = 1
    title_en = "Unit UDI label"
    title_zh = "单品 UDI 标签"
    width = 70                       # mm
    height = 40
    date_format = "YYYY-MM-DD"       # how dates are printed as text (YYYY, YY, MM, DD)
    optional = ["production_date"]   # fields the label may go without

    [[element]]
    id = "udi"
    type = "barcode"
    symbology = "gs1-datamatrix"     # see Symbology
    fields = ["gtin", "production_date", "expiry", "lot", "serial"]
    x = 3
    y = 3
    module = 0.34

    [[element]]
    type = "hri"                     # the human-readable text of a barcode
    of = "udi"
    x = 26
    y = 3
    size = 2.4
    per_line = true                  # one AI per line

    [[element]]
    type = "text"
    text = "{product_name_zh}"       # {field} placeholders; {{ and }} for braces
    ...

Element types: ``barcode``, ``hri``, ``text``, ``line``, ``box``, ``symbol`` (an ISO 15223-1
symbol from ``resources/labels/symbols``). A text or HRI element whose optional field is absent
is left out; a required field that is absent refuses the whole label.

Checks at load time: known keys and types only, positions inside the label, unique barcode ids,
``hri`` naming a barcode, placeholders naming known fields, and UDI-3: every production
identifier printed as text (lot, serial, expiry, production date) is also in a symbol.
"""

from __future__ import annotations

import hashlib
import math
import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station.errors import StationError
from station.labels.data import FIELD_AI, KNOWN_KEYS
from station.labels.model import Align, Symbology
from station.ledger.canonical import canonical_json

__all__ = [
    "BarcodeElement",
    "Element",
    "HriElement",
    "LabelTemplate",
    "ShapeElement",
    "SymbolElement",
    "TemplateError",
    "TextElement",
    "load_template",
    "parse_template",
]

#: Production identifiers: UDI-3 wants each one printed as text to be in a symbol too.
PI_KEYS = frozenset({"lot", "serial", "expiry", "production_date"})
_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
_DATE_FORMAT = re.compile(r"(YYYY|YY|MM|DD|[^A-Za-z])+")
#: Fields each symbology can carry.
_SYMBOLOGY_FIELDS: dict[Symbology, frozenset[str]] = {
    **dict.fromkeys(
        (Symbology.GS1_DATAMATRIX, Symbology.GS1_128, Symbology.GS1_QR, Symbology.DL_QR),
        frozenset(FIELD_AI),
    ),
    **dict.fromkeys(
        (Symbology.HIBC_128, Symbology.HIBC_DATAMATRIX),
        frozenset({"hibc_lic", "hibc_pcn", "hibc_uom", "lot", "serial", "expiry"})
        | {"production_date"},
    ),
}


class TemplateError(StationError):
    """A template file is not a valid template; the message names the file and the element."""


@dataclass(frozen=True, slots=True)
class BarcodeElement:
    id: str
    symbology: Symbology
    fields: tuple[str, ...]
    x: float
    y: float
    module: float
    height: float | None = None


@dataclass(frozen=True, slots=True)
class HriElement:
    of: str
    x: float
    y: float
    size: float
    per_line: bool = False
    bold: bool = False
    align: Align = Align.LEFT
    max_width: float | None = None


@dataclass(frozen=True, slots=True)
class TextElement:
    text: str
    x: float
    y: float
    size: float
    bold: bool = False
    align: Align = Align.LEFT
    max_width: float | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(name for _, name, _, _ in string.Formatter().parse(self.text) if name)


@dataclass(frozen=True, slots=True)
class ShapeElement:
    """A line (``x``, ``y`` to ``x2``, ``y2``) or a box (``x``, ``y``, ``width``, ``height``)."""

    kind: str  # "line" | "box"
    x: float
    y: float
    x2: float = 0
    y2: float = 0
    width: float = 0
    height: float = 0
    thickness: float = 0.25
    filled: bool = False


@dataclass(frozen=True, slots=True)
class SymbolElement:
    name: str
    x: float
    y: float
    width: float
    height: float


Element = BarcodeElement | HriElement | TextElement | ShapeElement | SymbolElement


@dataclass(frozen=True, slots=True)
class LabelTemplate:
    name: str
    version: int
    title_en: str
    title_zh: str
    width: float
    height: float
    date_format: str
    optional: frozenset[str]
    elements: tuple[Element, ...]
    source: Mapping[str, Any]  # the parsed document, for the canonical hash and storage

    @property
    def sha256(self) -> str:
        """SHA-256 of the template's canonical JSON: what a print record names."""
        return hashlib.sha256(canonical_json(dict(self.source)).encode()).hexdigest()

    @property
    def fields(self) -> tuple[str, ...]:
        """Every data key the template uses, in first-use order."""
        seen: dict[str, None] = {}
        for element in self.elements:
            if isinstance(element, (BarcodeElement, TextElement)):
                seen.update(dict.fromkeys(element.fields))
        return tuple(seen)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(key for key in self.fields if key not in self.optional)

    def barcode(self, element_id: str) -> BarcodeElement:
        for element in self.elements:
            if isinstance(element, BarcodeElement) and element.id == element_id:
                return element
        msg = f"template {self.name}: no barcode {element_id!r}"
        raise TemplateError(msg)


# ----------------------------------------------------------------------------- parsing


class _Reader:
    """Typed access to one TOML table, naming where a problem is."""

    def __init__(self, table: Mapping[str, Any], where: str) -> None:
        self.table, self.where, self.used = table, where, set[str]()

    def fail(self, problem: str) -> TemplateError:
        return TemplateError(f"{self.where}: {problem}")

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        self.used.add(key)
        if key not in self.table:
            if default is ...:
                raise self.fail(f"{key!r} is missing")
            return default
        value = self.table[key]
        if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise self.fail(f"{key!r} must be {_kind_name(kind)}, not a true/false value")
        if not isinstance(value, kind):
            raise self.fail(f"{key!r} must be {_kind_name(kind)}, not {value!r}")
        return value

    def number(self, key: str, default: float | Any | None = ..., *, positive: bool = False) -> Any:
        value = self.get(key, (int, float), default)
        if value is not None and not math.isfinite(value):
            raise self.fail(f"{key!r} must be a finite number, not {value!r}")
        if value is not None and (value < 0 or (positive and value == 0)):
            raise self.fail(f"{key!r} must be {'more than' if positive else 'at least'} 0")
        return float(value) if value is not None else None

    def finish(self) -> None:
        unknown = sorted(set(self.table) - self.used)
        if unknown:
            raise self.fail(f"unknown key(s) {', '.join(map(repr, unknown))}")


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {int: "a number", float: "a number", str: "text", bool: "true or false", list: "a list"}
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))


def _align(reader: _Reader) -> Align:
    value = reader.get("align", str, "left")
    try:
        return Align(value)
    except ValueError:
        raise reader.fail(f"align must be left, center or right, not {value!r}") from None


def _barcode(reader: _Reader) -> BarcodeElement:
    element_id = reader.get("id", str)
    try:
        symbology = Symbology(reader.get("symbology", str))
    except ValueError:
        names = ", ".join(s.value for s in Symbology)
        raise reader.fail(f"symbology must be one of {names}") from None
    fields = reader.get("fields", list)
    allowed = _SYMBOLOGY_FIELDS[symbology]
    if not fields or not all(isinstance(f, str) for f in fields):
        raise reader.fail("fields must be a non-empty list of field names")
    wrong = [f for f in fields if f not in allowed]
    if wrong or len(set(fields)) != len(fields):
        problem = f"{', '.join(wrong)} cannot go in {symbology.value}" if wrong else "repeated"
        raise reader.fail(f"fields: {problem}")
    height = reader.number("height", None, positive=True)
    if symbology.is_linear and height is None:
        raise reader.fail(f"a {symbology.value} symbol needs a bar height")
    return BarcodeElement(
        element_id,
        symbology,
        tuple(fields),
        reader.number("x"),
        reader.number("y"),
        reader.number("module", positive=True),
        height,
    )


def _hri(reader: _Reader) -> HriElement:
    return HriElement(
        reader.get("of", str),
        reader.number("x"),
        reader.number("y"),
        reader.number("size", positive=True),
        reader.get("per_line", bool, False),
        reader.get("bold", bool, False),
        _align(reader),
        reader.number("max_width", None, positive=True),
    )


def _text(reader: _Reader) -> TextElement:
    text = reader.get("text", str)
    try:
        names = [name for _, name, spec, conv in string.Formatter().parse(text) if name]
        specs = [(spec, conv) for _, name, spec, conv in string.Formatter().parse(text) if name]
    except ValueError as error:
        raise reader.fail(f"text {text!r}: {error}") from None
    if any(name == "" for _, name, _, _ in string.Formatter().parse(text)):
        raise reader.fail(f"text {text!r}: a placeholder must name a field, not {{}}")
    unknown = [n for n in names if n not in KNOWN_KEYS]
    if unknown:
        raise reader.fail(f"text names unknown field(s) {', '.join(unknown)}")
    if any(spec or conv for spec, conv in specs):
        raise reader.fail("placeholders take no format spec: write {expiry}, not {expiry:%Y}")
    return TextElement(
        text,
        reader.number("x"),
        reader.number("y"),
        reader.number("size", positive=True),
        reader.get("bold", bool, False),
        _align(reader),
        reader.number("max_width", None, positive=True),
    )


def _shape(reader: _Reader, kind: str) -> ShapeElement:
    thickness = reader.number("thickness", 0.25, positive=True)
    if kind == "line":
        return ShapeElement(
            kind,
            reader.number("x"),
            reader.number("y"),
            x2=reader.number("x2"),
            y2=reader.number("y2"),
            thickness=thickness,
        )
    return ShapeElement(
        kind,
        reader.number("x"),
        reader.number("y"),
        width=reader.number("width", positive=True),
        height=reader.number("height", positive=True),
        thickness=thickness,
        filled=reader.get("filled", bool, False),
    )


def _symbol(reader: _Reader) -> SymbolElement:
    name = reader.get("name", str)
    if not _NAME.fullmatch(name):
        raise reader.fail(f"symbol name {name!r}: lower-case letters, digits and '-'")
    return SymbolElement(
        name,
        reader.number("x"),
        reader.number("y"),
        reader.number("width", positive=True),
        reader.number("height", positive=True),
    )


def _element(table: Any, where: str) -> Element:
    if not isinstance(table, Mapping):
        msg = f"{where}: must be a table"
        raise TemplateError(msg)
    reader = _Reader(table, where)
    kind = reader.get("type", str)
    element: Element
    if kind == "barcode":
        element = _barcode(reader)
    elif kind == "hri":
        element = _hri(reader)
    elif kind == "text":
        element = _text(reader)
    elif kind in ("line", "box"):
        element = _shape(reader, kind)
    elif kind == "symbol":
        element = _symbol(reader)
    else:
        msg = "type must be barcode, hri, text, line, box or symbol"
        raise reader.fail(f"{msg}, not {kind!r}")
    reader.finish()
    return element


def parse_template(document: Mapping[str, Any], origin: str = "template") -> LabelTemplate:
    """Check a parsed TOML document and return the template; raise :class:`TemplateError`."""
    reader = _Reader(document, origin)
    name = reader.get("name", str)
    if not _NAME.fullmatch(name):
        raise reader.fail(f"name {name!r}: lower-case letters, digits and '-'")
    version = reader.get("version", int)
    if version < 1:
        raise reader.fail("version must be 1 or more")
    date_format = reader.get("date_format", str, "YYYY-MM-DD")
    if not _DATE_FORMAT.fullmatch(date_format):
        raise reader.fail(f"date_format {date_format!r}: use YYYY, YY, MM, DD and separators")
    optional = reader.get("optional", list, [])
    if not all(isinstance(key, str) and key in KNOWN_KEYS for key in optional):
        raise reader.fail("optional must list known field names")
    tables = reader.get("element", list)
    template = LabelTemplate(
        name=name,
        version=version,
        title_en=reader.get("title_en", str),
        title_zh=reader.get("title_zh", str),
        width=reader.number("width", positive=True),
        height=reader.number("height", positive=True),
        date_format=date_format,
        optional=frozenset(optional),
        elements=tuple(
            _element(table, f"{origin} element {n + 1}") for n, table in enumerate(tables)
        ),
        source=document,
    )
    reader.finish()
    _check(template, origin)
    return template


def _check(template: LabelTemplate, origin: str) -> None:
    """Whole-template rules: ids, references, bounds, and UDI-3 (text PIs are in a symbol)."""
    ids = [e.id for e in template.elements if isinstance(e, BarcodeElement)]
    if len(set(ids)) != len(ids):
        msg = f"{origin}: barcode ids must be unique ({', '.join(ids)})"
        raise TemplateError(msg)
    for n, element in enumerate(template.elements, 1):
        if isinstance(element, HriElement) and element.of not in ids:
            msg = f"{origin} element {n}: hri of {element.of!r}, which is no barcode here"
            raise TemplateError(msg)
        if not (0 <= element.x < template.width and 0 <= element.y < template.height):
            msg = f"{origin} element {n}: position ({element.x}, {element.y}) is off the label"
            raise TemplateError(msg)
        far = _far_corner(element)
        if far is not None and not (far[0] <= template.width and far[1] <= template.height):
            msg = f"{origin} element {n}: it reaches ({far[0]:g}, {far[1]:g}), off the label"
            raise TemplateError(msg)
    in_symbols = {f for e in template.elements if isinstance(e, BarcodeElement) for f in e.fields}
    as_text = {f for e in template.elements if isinstance(e, TextElement) for f in e.fields}
    missing = sorted((as_text & PI_KEYS) - in_symbols)
    if missing:
        msg = (
            f"{origin}: {', '.join(missing)} printed as text but in no symbol"
            " (UDI-3: every production identifier in the text is also in the AIDC)"
        )
        raise TemplateError(msg)


def _far_corner(element: Element) -> tuple[float, float] | None:
    """Where a shape or symbol ends; None for text and barcodes, whose size the renderer
    knows (it refuses what does not fit)."""
    if isinstance(element, ShapeElement):
        if element.kind == "line":
            return max(element.x, element.x2), max(element.y, element.y2)
        return element.x + element.width, element.y + element.height
    if isinstance(element, SymbolElement):
        return element.x + element.width, element.y + element.height
    return None


def load_template(path: Path) -> LabelTemplate:
    """Read and check a template file."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        msg = f"{path.name}: cannot read the template: {error}"
        raise TemplateError(msg) from None
    return parse_template(document, path.name)


def format_date(value: str, date_format: str) -> str:
    """An ISO date in a template's format.

    >>> format_date("2027-01-31", "YYYY-MM-DD"), format_date("2027-01-31", "DD.MM.YY")
    ('2027-01-31', '31.01.27')
    """
    year, month, day = value.split("-")
    return re.sub(
        "YYYY|YY|MM|DD",
        lambda m: {"YYYY": year, "YY": year[2:], "MM": month, "DD": day}[m.group()],
        date_format,
    )
