"""`station decode IMAGE...`: codes in image files, read like `station parse` reads scans."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from drivers.camera.synth import Distortion, empty_frame, label_frame, standard_specs
from ui.cli import main

SIZE = (640, 480)
SPECS = {s.name: s for s in standard_specs()}


@pytest.fixture(scope="module")
def images(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("images")
    made: dict[str, Path] = {}
    for i, spec in enumerate(standard_specs()):
        module_px = 2.0 if spec.format == "Code128" else 4.0
        path = folder / f"label-{i}.png"
        cv2.imwrite(str(path), label_frame(spec, Distortion(module_px=module_px), SIZE, seed=i))
        made[spec.name] = path
    made["empty"] = folder / "empty.png"
    cv2.imwrite(str(made["empty"]), empty_frame(SIZE, 3))
    return made


def decode_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, Any]]]:
    code = main(["decode", "--json", *args])
    out = capsys.readouterr().out
    return code, [json.loads(line) for line in out.splitlines()]


def test_json_output_schema_and_parsed_result(
    images: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, rows = decode_json(capsys, str(images["GS1 DataMatrix"]))
    assert code == 0
    [row] = rows
    assert set(row) == {"image", "ok", "error", "codes"}
    assert row["image"] == str(images["GS1 DataMatrix"])
    assert row["ok"] is True
    assert row["error"] is None
    [found] = row["codes"]
    assert set(found) == {"text", "symbology", "format", "corners", "found_by", "decoder", "parsed"}
    assert found["symbology"] == "]d2"
    assert found["format"] == "DataMatrix"
    assert found["found_by"] == "full"
    assert len(found["corners"]) == 4
    assert all(len(p) == 2 and all(isinstance(v, int) for v in p) for p in found["corners"])
    # GS survives: a real control character after json.loads.
    assert found["text"] == "01040123451234561726123110LOT-A1\x1d21SN0001"
    parsed = found["parsed"]  # exactly what `station parse --json` prints for the scan
    assert parsed["scheme"] == "gs1"
    assert parsed["valid"] is True
    assert parsed["lot"] == "LOT-A1"
    assert parsed["serial"] == "SN0001"
    assert parsed["fields"]["17"] == "261231"
    assert parsed["symbology"] == "]d2"


def test_every_label_kind_decodes_and_parses(
    images: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    names = list(SPECS)
    code, rows = decode_json(capsys, *(str(images[n]) for n in names))
    assert code == 0
    for name, row in zip(names, rows, strict=True):
        [found] = row["codes"]
        spec = SPECS[name]
        assert (found["symbology"] + found["text"]).encode() == spec.expected
        assert found["parsed"]["errors"] == [], name


def test_json_escapes_gs_on_the_wire(images: dict[str, Path]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ui.cli", "decode", "--json", str(images["GS1 QR"])],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    line = result.stdout.decode("utf-8")
    assert "\\u001d" in line
    assert "\x1d" not in line


def test_human_output_shows_gs_as_a_marker(
    images: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["decode", str(images["GS1 DataMatrix"]), str(images["empty"])]) == 0
    out = capsys.readouterr().out
    assert "10LOT-A1⟨GS⟩21SN0001" in out
    assert "\x1d" not in out
    assert "DataMatrix ]d2" in out
    assert "gs1" in out
    assert f"{images['empty']}: no code found" in out


def test_empty_frame_has_no_codes_and_is_not_an_error(
    images: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, rows = decode_json(capsys, str(images["empty"]))
    assert code == 0
    assert rows == [{"image": str(images["empty"]), "ok": True, "error": None, "codes": []}]


def _png_header_only(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def test_bad_files_fail_alone_and_exit_1(
    images: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / "notes.png"
    text.write_text("not an image", encoding="utf-8")
    huge = tmp_path / "huge.png"
    huge.write_bytes(_png_header_only(100_000, 100_000))
    truncated = tmp_path / "cut.png"
    truncated.write_bytes(images["GS1 QR"].read_bytes()[:300])
    missing = tmp_path / "missing.png"
    args = [
        str(text),
        str(images["GS1 QR"]),
        str(huge),
        str(truncated),
        str(missing),
        str(tmp_path),
    ]
    code, rows = decode_json(capsys, *args)
    assert code == 1
    assert [r["ok"] for r in rows] == [False, True, False, False, False, False]
    assert "not an image" in rows[0]["error"]
    assert rows[1]["codes"][0]["symbology"] == "]Q3"  # the good image is still reported
    assert "too large" in rows[2]["error"]
    assert rows[3]["error"]
    assert "No such file" in rows[4]["error"]
    assert rows[5]["error"]
    assert all(r["codes"] == [] for r in rows if not r["ok"])


def test_odd_pixel_formats_are_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = SPECS["GS1 DataMatrix"]
    frame = label_frame(spec, Distortion(module_px=4), SIZE, seed=0)
    bgra = tmp_path / "bgra.png"
    cv2.imwrite(str(bgra), cv2.cvtColor(frame, cv2.COLOR_BGR2BGRA))
    deep = tmp_path / "deep.png"
    cv2.imwrite(str(deep), frame.astype(np.uint16) * 257)
    tiny = tmp_path / "tiny.png"
    cv2.imwrite(str(tiny), np.zeros((1, 1), np.uint8))
    code, rows = decode_json(capsys, str(bgra), str(deep), str(tiny))
    assert code == 0
    assert [len(r["codes"]) for r in rows] == [1, 1, 0]


def test_unknown_format_is_misuse(
    images: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["decode", "--formats", "Aztec,Nope", str(images["empty"])]) == 2
    assert "unknown barcode format 'Nope'" in capsys.readouterr().err


def test_formats_restrict_what_is_found(
    images: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, rows = decode_json(capsys, "--formats", "QRCode", str(images["GS1 DataMatrix"]))
    assert code == 0
    assert rows[0]["codes"] == []


def test_decode_never_loads_qt(images: dict[str, Path]) -> None:
    probe = (
        "import sys; from ui.cli import main; "
        f"code = main(['decode', {str(images['empty'])!r}]); "
        "assert 'PySide6' not in sys.modules, 'Qt loaded'; sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr.decode()
