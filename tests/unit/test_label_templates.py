"""Label templates, label data and resolve: what is refused, and that the symbol and the text
carry exactly the data given (UDI-2, UDI-3)."""

from __future__ import annotations

import contextlib
import copy
import string
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.errors import BuildError
from station.labels.data import LabelData, LabelDataError
from station.labels.model import BarcodeItem, Symbology
from station.labels.resolve import resolve
from station.labels.stock import STOCK_NAMES, stock_template, stock_templates
from station.labels.template import HriElement, TemplateError, format_date, parse_template
from station.udi.hibc_build import hibc_code
from station.udi.reader import read_scan

TODAY = date(2026, 11, 24)
GTIN = "04012345000030"
SET82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"


def document(**top: Any) -> dict[str, Any]:
    """A small valid template: a DataMatrix, its HRI and a lot line."""
    doc: dict[str, Any] = {
        "name": "demo",
        "version": 1,
        "title_en": "Demo",
        "title_zh": "演示",
        "width": 50,
        "height": 30,
        "date_format": "DD.MM.YYYY",
        "optional": ["production_date", "serial"],
        "element": [
            {
                "type": "barcode",
                "id": "udi",
                "symbology": "gs1-datamatrix",
                "fields": ["gtin", "production_date", "expiry", "lot", "serial"],
                "x": 2,
                "y": 2,
                "module": 0.34,
            },
            {"type": "hri", "of": "udi", "x": 20, "y": 2, "size": 2.5, "per_line": True},
            {"type": "text", "text": "LOT {lot}", "x": 20, "y": 20, "size": 2.5},
            {"type": "text", "text": "EXP {expiry}", "x": 20, "y": 24, "size": 2.5},
            {"type": "text", "text": "MFG {production_date}", "x": 20, "y": 27, "size": 2.5},
        ],
    }
    doc.update(top)
    return doc


def with_element(index: int, **changes: Any) -> dict[str, Any]:
    doc = document()
    element = doc["element"][index]
    for key, value in changes.items():
        if value is ...:
            del element[key]
        else:
            element[key] = value
    return doc


def added(element: dict[str, Any]) -> dict[str, Any]:
    doc = document()
    doc["element"].append(element)
    return doc


def test_the_base_document_is_valid() -> None:
    template = parse_template(document())
    assert template.required == ("gtin", "expiry", "lot")


REFUSED = {
    "unknown top-level key": document(colour="red"),
    "missing name": {k: v for k, v in document().items() if k != "name"},
    "bad name": document(name="Demo Label"),
    "version as text": document(version="1"),
    "version as bool": document(version=True),
    "version zero": document(version=0),
    "width as text": document(width="50"),
    "width zero": document(width=0),
    "width infinite": document(width=float("inf")),
    "height nan": document(height=float("nan")),
    "bad date format": document(date_format="YYYY-Mon-DD"),
    "optional unknown key": document(optional=["expiry_date"]),
    "element not a table": document(element=["barcode"]),
    "unknown element key": with_element(0, colour="red"),
    "unknown element type": added({"type": "circle", "x": 1, "y": 1}),
    "module as text": with_element(0, module="0.3"),
    "module nan": with_element(0, module=float("nan")),
    "size nan": with_element(1, size=float("nan")),
    "bold as text": with_element(2, bold="yes"),
    "per_line as number": with_element(1, per_line=1),
    "bad align": with_element(2, align="justify"),
    "bad symbology": with_element(0, symbology="qr"),
    "fields not a list": with_element(0, fields="gtin"),
    "empty fields": with_element(0, fields=[]),
    "unknown field": with_element(0, fields=["gtin", "batch"]),
    "repeated field": with_element(0, fields=["gtin", "lot", "lot"]),
    "gtin in hibc": with_element(0, symbology="hibc-datamatrix", fields=["gtin", "lot"]),
    "linear without height": with_element(0, symbology="gs1-128"),
    "duplicate barcode id": added(
        {
            "type": "barcode",
            "id": "udi",
            "symbology": "gs1-qr",
            "fields": ["gtin"],
            "x": 30,
            "y": 10,
            "module": 0.3,
        }
    ),
    "hri of a missing barcode": with_element(1, of="nope"),
    "x off the label": with_element(2, x=50),
    "y off the label": with_element(2, y=31),
    "negative x": with_element(2, x=-1),
    "placeholder format spec": with_element(3, text="EXP {expiry:%Y}"),
    "placeholder conversion": with_element(2, text="LOT {lot!r}"),
    "placeholder unknown field": with_element(2, text="LOT {batch}"),
    "placeholder positional": with_element(2, text="LOT {}"),
    "placeholder index": with_element(2, text="LOT {0}"),
    "placeholder attribute": with_element(2, text="LOT {lot.upper}"),
    "unbalanced brace": with_element(2, text="LOT {lot"),
    "symbol name": added(
        {"type": "symbol", "name": "../x", "x": 1, "y": 1, "width": 2, "height": 2}
    ),
    "box without height": added({"type": "box", "x": 1, "y": 1, "width": 2}),
    # UDI-3: a production identifier printed as text but carried by no symbol
    "lot as text only": with_element(0, fields=["gtin", "expiry"]),
    "serial as text only": added({"type": "text", "text": "SN {serial}", "x": 1, "y": 1, "size": 2})
    | {"optional": ["production_date", "serial"]}
    | {
        "element": [
            with_element(0, fields=["gtin", "production_date", "expiry", "lot"])["element"][0],
            *document()["element"][1:],
            {"type": "text", "text": "SN {serial}", "x": 1, "y": 1, "size": 2},
        ]
    },
}


@pytest.mark.req("UDI-3")
@pytest.mark.parametrize("doc", REFUSED.values(), ids=REFUSED.keys())
def test_a_wrong_template_is_refused_with_a_template_error(doc: dict[str, Any]) -> None:
    with pytest.raises(TemplateError):
        parse_template(doc, "demo.toml")


@pytest.mark.req("UDI-3")
def test_udi3_refusal_names_the_field() -> None:
    with pytest.raises(TemplateError, match="lot printed as text but in no symbol"):
        parse_template(with_element(0, fields=["gtin", "expiry", "production_date"]))


def test_a_pi_in_hri_only_or_in_a_symbol_only_is_fine() -> None:
    doc = document()
    doc["element"] = doc["element"][:2]  # no free text at all
    assert parse_template(doc).fields == ("gtin", "production_date", "expiry", "lot", "serial")


def test_every_stock_template_loads_and_is_named_after_its_file() -> None:
    templates = stock_templates()
    assert sorted(templates) == sorted(STOCK_NAMES)
    for name in STOCK_NAMES:
        template = stock_template(name)
        assert template.name == name
        assert len(template.sha256) == 64
        # The stored (JSON) form parses to the same template and the same hash.
        again = parse_template(copy.deepcopy(dict(template.source)), name)
        assert again.sha256 == template.sha256
    with pytest.raises(TemplateError, match="udi-unit"):
        stock_template("no-such")


# ----------------------------------------------------------------------------- resolve

UNIT = {
    "gtin": GTIN,
    "lot": "D1",
    "expiry": "2029-11-23",
    "production_date": "2026-11-23",
    "serial": "00000042",
    "product_name_zh": "导管",
    "product_name_en": "Catheter",
}


def unit_label(**changes: str) -> Any:
    values = {k: v for k, v in (UNIT | changes).items() if v != "-"}
    return resolve(stock_template("udi-unit"), LabelData.from_mapping(values), today=TODAY)


@pytest.mark.req("UDI-2")
@pytest.mark.parametrize("name", STOCK_NAMES)
def test_hri_lines_are_exactly_the_symbols_pairs(name: str) -> None:
    data = {
        "udi-unit": UNIT,
        "udi-case": UNIT | {"quantity": "12", "serial": ""},
        "sscc-pallet": {
            "sscc": "340123450000000017",
            "content_gtin": GTIN,
            "count": "40",
            "lot": "D1",
            "expiry": "2029-11-23",
        },
        "goods-in": {
            "gtin": GTIN,
            "lot": "L(1)",
            "expiry": "2027-12-31",
            "product_name_zh": "原料",
        },
    }[name]
    template = stock_template(name)
    label = resolve(template, LabelData.from_mapping(data), today=TODAY)
    texts = [t.text for t in label.texts]
    with_hri = {e.of for e in template.elements if isinstance(e, HriElement)}
    assert with_hri
    for barcode in label.barcodes:
        assert barcode.pairs
        code = read_scan(barcode.expected.encode())
        assert code.valid, code.issues
        assert code.symbology == barcode.expected[:3]
        assert sorted((e.key, e.value) for e in code.elements) == sorted(barcode.pairs)
        if barcode.name not in with_hri:
            continue
        per_ai = [f"({ai}){value}" for ai, value in barcode.pairs]
        joined = "".join(per_ai)
        starts = [n for n, t in enumerate(texts) if t == per_ai[0]]
        consecutive = any(texts[n : n + len(per_ai)] == per_ai for n in starts)
        assert consecutive or joined in texts, (per_ai, texts)
    # no HRI-looking line that is not some symbol's pair
    every = {f"({ai}){v}" for b in label.barcodes for ai, v in b.pairs}
    every |= {"".join(f"({ai}){v}" for ai, v in b.pairs) for b in label.barcodes}
    assert all(t in every for t in texts if t.startswith("("))


@pytest.mark.req("UDI-2")
def test_unit_label_text_and_symbol() -> None:
    label = unit_label()
    (udi,) = label.barcodes
    assert udi.symbology is Symbology.GS1_DATAMATRIX
    assert udi.pairs == (
        ("01", GTIN),
        ("11", "261123"),
        ("17", "291123"),
        ("10", "D1"),
        ("21", "00000042"),
    )
    texts = [t.text for t in label.texts]
    assert texts == [
        "导管",
        "Catheter",
        "(01)04012345000030",
        "(11)261123",
        "(17)291123",
        "(10)D1",
        "(21)00000042",
        "2029-11-23",
        "2026-11-23",
        "D1",
        "00000042",
    ]


def test_required_field_missing_is_named() -> None:
    with pytest.raises(LabelDataError) as caught:
        unit_label(lot="-", product_name_en="-")
    assert caught.value.problems == (
        "template udi-unit needs lot",
        "template udi-unit needs product_name_en",
    )


def test_optional_field_absent_drops_its_line_and_its_ai() -> None:
    label = unit_label(production_date="-", serial="-")
    (udi,) = label.barcodes
    assert [ai for ai, _ in udi.pairs] == ["01", "17", "10"]
    code = read_scan(udi.expected.encode())
    assert (code.production_date, code.serial) == (None, None)
    texts = [t.text for t in label.texts]
    assert "2026-11-23" not in texts
    assert not any(t.startswith(("(11)", "(21)")) for t in texts)
    assert not any("Model" in t or "Reg. No." in t for t in texts)  # model, registration_no


def test_dates_in_free_text_follow_date_format() -> None:
    template = parse_template(document())
    data = LabelData.from_mapping(
        {"gtin": GTIN, "lot": "A1", "expiry": "2027-01-31", "production_date": "2026-02-03"}
    )
    texts = [t.text for t in resolve(template, data, today=TODAY).texts]
    assert "EXP 31.01.2027" in texts
    assert "MFG 03.02.2026" in texts
    assert "(17)270131" in texts  # the HRI keeps GS1's YYMMDD
    assert format_date("2027-01-31", "YY/MM/DD") == "27/01/31"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("lot", "A B"),
        ("lot", "批号"),
        ("serial", "x" * 21),
        ("lot", "A~1"),
        ("gtin", "04012345000031"),
    ],
)
def test_values_the_gs1_builder_refuses_are_label_data_errors(key: str, value: str) -> None:
    with pytest.raises(LabelDataError):
        unit_label(**{key: value})


# ----------------------------------------------------------------------------- label data


@pytest.mark.parametrize(
    ("mapping", "fragment"),
    [
        ({"expiry_date": "2027-01-01"}, "unknown key"),
        ({"gtin": 4012345000030}, "must be a string"),
        ({"lot": None}, "must be a string"),
        ({"lot": "A\x1d1"}, "control characters"),
        ({"product_name_en": "two\nlines"}, "control characters"),
        ({"product_name_en": "del\x7f"}, "control characters"),
        ({"product_name_en": "c1\x85"}, "control characters"),
        ({"product_name_en": "x" * 201}, "at most 200"),
        ({"expiry": "2027-02-30"}, "date"),
        ({"expiry": "20270131"}, "date"),
        ({"expiry": "2027-1-31"}, "date"),
        ({"expiry": "2027-W05-1"}, "date"),  # an ISO week date: 3.11 fromisoformat takes it
        ({"production_date": "2027-01-31T00:00"}, "date"),
        ({"quantity": "12.5"}, "digits only"),
        ({"gtin": "٠٤٠١"}, "digits only"),  # Arabic-Indic digits are not ASCII
    ],
)
def test_label_data_refusals(mapping: dict[str, object], fragment: str) -> None:
    with pytest.raises(LabelDataError, match=fragment):
        LabelData.from_mapping(mapping)


def test_label_data_lists_every_problem_and_blank_means_absent() -> None:
    with pytest.raises(LabelDataError) as caught:
        LabelData.from_mapping({"gtin": 1, "expiry": "x", "colour": "red"})
    assert len(caught.value.problems) == 3
    data = LabelData.from_mapping({"gtin": GTIN, "lot": ""})
    assert data.get("lot") is None
    assert data.with_values(lot="B2").get("lot") == "B2"
    with pytest.raises(LabelDataError):
        data.with_values(expiry="tomorrow")


# ----------------------------------------------------------------------------- properties

set82 = st.text(alphabet=SET82, min_size=1, max_size=20)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


@pytest.mark.req("UDI-2")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lot=set82, serial=set82, expiry=dates, production=dates, with_production=st.booleans())
def test_resolved_unit_symbol_reads_back_as_the_input(
    lot: str, serial: str, expiry: date, production: date, with_production: bool
) -> None:
    values = UNIT | {"lot": lot, "serial": serial, "expiry": expiry.isoformat()}
    values["production_date"] = production.isoformat() if with_production else ""
    label = resolve(stock_template("udi-unit"), LabelData.from_mapping(values), today=TODAY)
    (udi,) = label.barcodes
    assert isinstance(udi, BarcodeItem)
    code = read_scan(udi.expected.encode())
    assert code.valid, (udi.expected, code.issues)
    assert code.symbology == "]d2"
    assert (code.gtin, code.lot, code.serial, code.expiry, code.production_date) == (
        GTIN,
        lot,
        serial,
        expiry,
        production if with_production else None,
    )
    texts = [t.text for t in label.texts]
    assert lot in texts
    assert serial in texts
    assert f"(10){lot}" in texts
    assert f"(21){serial}" in texts


hibc_alnum = st.text(alphabet=string.digits + string.ascii_uppercase, min_size=1, max_size=18)
#: What the builder's own precheck lets through for a lot or serial (its docstring's set).
hibc_data = st.text(
    alphabet=string.digits + string.ascii_uppercase + "-. ", min_size=1, max_size=18
)
hibc_lic = st.tuples(
    st.sampled_from(string.ascii_uppercase),
    st.text(alphabet=string.digits + string.ascii_uppercase, min_size=3, max_size=3),
).map("".join)


def _hibc_round_trip(
    lic: str,
    pcn: str,
    uom: str,
    lot: str | None,
    serial: str | None,
    expiry: date | None,
    production: date | None,
) -> None:
    code_text = hibc_code(
        lic, pcn, uom, lot=lot, serial=serial, expiry=expiry, production_date=production
    )
    code = read_scan(code_text.encode())
    assert code.valid, (code_text, code.issues)
    assert (code.di, code.lot, code.serial, code.expiry, code.production_date) == (
        lic + pcn + uom,
        lot,
        serial,
        expiry,
        production,
    )


@settings(max_examples=150, deadline=None)
@given(
    lic=hibc_lic,
    pcn=hibc_alnum,
    uom=st.sampled_from(string.digits),
    lot=st.none() | hibc_alnum,  # the reader takes only A-Z 0-9 (see the test below)
    serial=st.none() | hibc_alnum,
    expiry=st.none() | dates,
    production=st.none() | dates,
)
def test_hibc_builder_round_trip(
    lic: str,
    pcn: str,
    uom: str,
    lot: str | None,
    serial: str | None,
    expiry: date | None,
    production: date | None,
) -> None:
    if production is not None and lot is None and serial is None:
        production = None  # HIBC cannot carry a production date alone (refused, tested below)
    _hibc_round_trip(lic, pcn, uom, lot, serial, expiry, production)


@settings(max_examples=100, deadline=None)
@given(
    lot=st.none() | hibc_data,
    serial=st.none() | hibc_data,
    expiry=st.none() | dates,
    production=st.none() | dates,
)
def test_hibc_builder_never_builds_a_code_that_reads_differently(
    lot: str | None, serial: str | None, expiry: date | None, production: date | None
) -> None:
    """Inputs the precheck lets through but the reader refuses (a '.' in a serial) must end
    in BuildError, never in a code that reads back as something else."""
    with contextlib.suppress(BuildError):
        _hibc_round_trip("A123", "BJC5D6E7", "1", lot, serial, expiry, production)


def test_hibc_production_date_alone_is_refused() -> None:
    with pytest.raises(BuildError, match="production date"):
        hibc_code("A123", "PCN1", "1", production_date=date(2026, 1, 1))
