"""A record copy as the text a printed copy shows: every field, signature, key and audit entry.

Made from the JSON-ready copy (:func:`station.records.copy.record_copy`), never from the
database, so the PDF and the JSON are the same data. Labels are bilingual ("中文 / English")
like the trace reports; values are shown as stored (times with their UTC offset), the EPCIS
payload as one row per leaf value.

>>> flat_json({"a": [1, {"b": None}], "c": "x", "d": {}})
[('a[0]', '1'), ('a[1].b', 'null'), ('c', 'x'), ('d', '{}')]
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from station.context import offset_text
from station.ledger.audit_query import local_time
from station.ledger.canonical import canonical_json
from station.signatures.manifest import meaning_word, signed_time_text
from station.signatures.meaning import STATUS_WORDS

__all__ = ["CopySheet", "Section", "copy_sheet", "flat_json"]

NO_VALUE = "—"


@dataclass(frozen=True, slots=True)
class Section:
    """One titled table; ``key`` tells a renderer which layout it has (``fields``, ``audit`` …).
    A cell may hold several lines, separated by ``\\n``."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class CopySheet:
    """Everything the printed copy shows, already as text; renderers only lay it out."""

    title: str
    code: str  # the record's id, on every page
    station: str
    generated_at: str  # the export time, local with its UTC offset
    summary: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]


def _text(value: object) -> str:
    if value is None:
        return NO_VALUE
    return value if isinstance(value, str) else canonical_json(value)


def flat_json(value: object, path: str = "") -> list[tuple[str, str]]:
    """Every leaf of a JSON value with its path (``quantityList[0].epcClass``), in key order."""
    if isinstance(value, Mapping) and value:
        return [
            leaf
            for key in sorted(value)
            for leaf in flat_json(value[key], f"{path}.{key}" if path else str(key))
        ]
    if isinstance(value, list) and value:
        return [leaf for i, item in enumerate(value) for leaf in flat_json(item, f"{path}[{i}]")]
    return [(path, "null" if value is None else _text(value))]


def _stamp(iso: str) -> str:
    moment = datetime.fromisoformat(iso)
    return moment.strftime("%Y-%m-%d %H:%M:%S ") + offset_text(moment)


def _both(words: Mapping[str, Mapping[str, str]], value: str) -> str:
    return f"{words['zh_CN'].get(value, value)} / {words['en'].get(value, value)}"


def _summary(copy: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    record, by = copy["record"], copy["exported_by"]
    rows = [
        ("记录类型 / Record kind", record["kind"]),
        ("记录 / Record", record["id"]),
        ("版本 / Version", _text(record["version"])),
        ("记录哈希 / Record hash (SHA-256)", _text(record["hash"])),
    ]
    if record.get("declared_in_error_by"):
        rows.append(("已声明错误 / Declared in error by", record["declared_in_error_by"]))
    if record.get("corrected_by"):
        rows.append(("已更正 / Corrected by", ", ".join(record["corrected_by"])))
    rows += [
        ("电子签名 / Signatures", str(len(copy["signatures"]))),
        ("审计条目 / Audit entries", str(len(copy["audit"]))),
        ("导出时间 / Exported at", copy["exported_at"]),
        ("导出人 / Exported by", f"{_text(by['name'])} ({_text(by['actor'])})"),
        ("站点 / Station", copy["station"]),
        ("软件版本 / Station version", copy["app_version"]),
        ("格式 / Format", f"{copy['format']} (JSON copy verifies offline: station verify-record)"),
    ]
    return tuple(rows)


def _fields(record: Mapping[str, Any]) -> Section:
    fields = record["fields"]
    shown = [(name, _text(value)) for name, value in fields.items() if name != "payload"]
    if "prev_hash" in record:
        shown.append(("prev_hash", record["prev_hash"]))
    return Section(
        "fields", "记录字段 / Record fields", ("字段 / Field", "值 / Value"), tuple(shown)
    )


def _payload(record: Mapping[str, Any]) -> Section | None:
    payload = record["fields"].get("payload")
    if payload is None:
        return None
    try:
        leaves = flat_json(json.loads(payload))
    except ValueError:  # shown as stored; the record hash still covers it
        leaves = [("payload", str(payload))]
    columns = ("EPCIS 字段 / EPCIS field", "值 / Value")
    return Section("payload", "EPCIS 事件 / EPCIS event (payload)", columns, tuple(leaves))


def _signature_row(signature: Mapping[str, Any]) -> tuple[str, ...]:
    row, shown = signature["row"], signature["manifestation"]
    meaning = shown["meaning"]
    who = f"{shown['printed_name']} ({shown['signer_id']})"
    when = signed_time_text(shown["signed_at"])
    return (
        str(row["seq"]),
        who,
        f"{meaning_word(meaning, 'zh_CN')} / {meaning_word(meaning)}",
        f"{shown['signed_at']}\n{when}" + (f"\n{shown['tz_name']}" if shown["tz_name"] else ""),
        f"{who} — {meaning_word(meaning)} — {when}\n{who} — {meaning_word(meaning, 'zh_CN')}",
        f"{_both(STATUS_WORDS, signature['status'])}\n{signature['status_detail']}",
        f"key {row['key_id']}\nhash {row['hash']}",
    )


def _signatures(copy: Mapping[str, Any]) -> Section:
    columns = (
        "序号 / Seq",
        "签名人 / Signed by",
        "含义 / Meaning",
        "签名时间 / Signed at",
        "签名表示 / Manifestation",
        "验证 / Verification",
        "密钥与哈希 / Key and hash",
    )
    rows = tuple(_signature_row(signature) for signature in copy["signatures"])
    return Section("signatures", "电子签名 / Electronic signatures", columns, rows)


def _audit_row(entry: Mapping[str, Any]) -> tuple[str, ...]:
    entity = " ".join(_text(entry[name]) for name in ("entity", "entity_id"))
    return (
        str(entry["seq"]),
        f"{local_time(entry['at'], entry['at_offset'])}\n{entry['at']}",
        f"{_text(entry['actor_name'])}\n({_text(entry['actor'])})",
        entry["action"],
        entity,
        _text(entry["old_value"]),
        _text(entry["new_value"]),
        _text(entry["reason"]),
        f"{entry['station']}\n{entry['app_version']}",
        f"{entry['hash']}\nprev {entry['prev_hash']}",
    )


def _audit(copy: Mapping[str, Any]) -> Section:
    columns = (
        "序号 / Seq",
        "时间 / Time",
        "用户 / User",
        "操作 / Action",
        "对象 / Entity",
        "旧值 / Old value",
        "新值 / New value",
        "原因 / Reason",
        "站点 · 版本 / Station · version",
        "哈希 / Hash",
    )
    rows = tuple(_audit_row(entry) for entry in copy["audit"])
    return Section("audit", "审计追踪 / Audit trail", columns, rows)


def _keys(copy: Mapping[str, Any]) -> Section:
    columns = ("密钥 ID / Key id", "用户 / User", "公钥 / Public key (Ed25519)")
    rows = tuple(
        (key_id, key["username"], key["public_key"]) for key_id, key in copy["keys"].items()
    )
    return Section("keys", "签名公钥 / Signing keys", columns, rows)


def copy_sheet(copy: Mapping[str, Any]) -> CopySheet:
    """The printed form of a record copy (its JSON form, as :func:`record_copy` returns it)."""
    record = copy["record"]
    sections: Sequence[Section | None] = (
        _fields(record),
        _payload(record),
        _signatures(copy),
        _audit(copy),
        _keys(copy),
    )
    return CopySheet(
        title="记录副本 / Record copy",
        code=record["id"],
        station=copy["station"],
        generated_at=_stamp(copy["exported_at"]),
        summary=_summary(copy),
        sections=tuple(section for section in sections if section is not None),
    )
