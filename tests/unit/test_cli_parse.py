"""The `station parse` contract, through real processes (other tools rely on it)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

STATION = [sys.executable, "-m", "ui.cli"]
CONTRACT_KEYS = {
    "scheme",
    "valid",
    "di",
    "gtin",
    "lot",
    "serial",
    "expiry",
    "production_date",
    "quantity",
    "fields",
    "errors",
    "symbology",
}


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*STATION, *args], input=stdin, capture_output=True, timeout=60, check=False
    )


def json_lines(result: subprocess.CompletedProcess[bytes]) -> list[dict[str, Any]]:
    assert result.returncode == 0, result.stderr.decode()
    return [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]


def test_json_contract_for_a_gs1_udi() -> None:
    (out,) = json_lines(
        run("parse", "--json", "]d20104012345123456112501151726123110LOT-A1{GS}21SN0001")
    )
    assert out.keys() >= CONTRACT_KEYS
    assert out["scheme"] == "gs1"
    assert out["valid"] is True
    assert out["gtin"] == out["di"] == "04012345123456"
    assert (out["lot"], out["serial"]) == ("LOT-A1", "SN0001")
    assert (out["expiry"], out["production_date"]) == ("2026-12-31", "2025-01-15")
    assert out["quantity"] is None
    assert out["symbology"] == "]d2"
    assert out["fields"] == {
        "01": "04012345123456",
        "11": "250115",
        "17": "261231",
        "10": "LOT-A1",
        "21": "SN0001",
    }
    assert out["errors"] == []


def test_stdin_one_raw_scan_per_line_with_real_control_characters() -> None:
    stdin = (
        b"]d20104012345123456112501151726123110LOT-A1\x1d21SN0001\r\n"
        b"+A123BJC5D6E71G\n"
        b"10D9T\n"
        b"\n"
        b"+$$52001510X3+ \n"  # trailing space is the HIBC check character: kept
    )
    outs = json_lines(run("parse", "--json", stdin=stdin))
    assert [o["scheme"] for o in outs] == ["gs1", "hibc", "unknown", "unknown", "hibc"]
    assert outs[0]["serial"] == "SN0001"  # the CR of CRLF was removed, the GS kept
    assert [e["code"] for e in outs[3]["errors"]] == ["scan.empty"]  # line kept in step
    assert outs[4]["valid"] is True


def test_invalid_codes_exit_zero_and_report_errors() -> None:
    (out,) = json_lines(run("parse", "--json", "(01)00208851107345(17)150331"))
    assert out["valid"] is False
    assert out["errors"], "a wrong check digit must be reported"
    assert all({"code", "message"} <= e.keys() for e in out["errors"])


def test_custom_gs_token() -> None:
    (out,) = json_lines(run("parse", "--json", "--gs", "|", "]d2010401234512345610LOT|21SN"))
    assert (out["lot"], out["serial"]) == ("LOT", "SN")


@pytest.mark.parametrize("args", [["parse", "--gs", ""], ["parse", "--nope"], ["frobnicate"]])
def test_usage_errors_exit_non_zero(args: list[str]) -> None:
    result = run(*args, "x")
    assert result.returncode != 0
    assert result.stderr


def test_human_output_shows_controls_visibly() -> None:
    result = run("parse", "]d20104012345123456112501151726123110LOT-A1{GS}21SN0001")
    assert result.returncode == 0
    text = result.stdout.decode("utf-8")
    assert "⟨GS⟩" in text
    assert "\x1d" not in text


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / ("station.exe" if sys.platform == "win32" else "station")
    assert script.exists()
    result = subprocess.run(
        [str(script), "parse", "--json", "+A123BJC5D6E71G"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert json.loads(result.stdout)["scheme"] == "hibc"


def test_diagnostics_reports_zbar_state_plainly() -> None:
    result = run("diagnostics", "--json")
    report = json.loads(result.stdout)
    pyzbar = next(lib for lib in report["libraries"] if lib["name"] == "pyzbar")
    if not pyzbar["available"]:
        assert "works without it" in pyzbar["detail"]
    assert result.returncode in (0, 1)
