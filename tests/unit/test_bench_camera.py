"""The camera benchmark runs and reports every decoder (speed targets live in the benchmark)."""

from __future__ import annotations

import pytest

from benchmarks.bench_camera import main
from drivers.camera.zbar import zbar_available


def test_quick_benchmark_reports_every_decoder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--quick", "--no-pin"]) == 0
    out = capsys.readouterr().out
    for label in ("station `StationDecoder()`", "zxing-cpp defaults", "zxing-cpp recommended"):
        assert label in out
    if zbar_available():
        assert "pyzbar (content only, no AIM id)" in out
    assert "720p clean" in out
    assert "720p distorted" in out
    assert "points over zxing-cpp defaults" in out
