"""The parse benchmark keeps working: valid, distinct inputs and a well-formed report."""

from __future__ import annotations

from benchmarks.bench_parse import make_inputs, measure, report


def test_benchmark_inputs_are_distinct_valid_udis_with_aim_ids() -> None:
    scans = make_inputs(60)
    assert len(set(scans)) == 60
    assert all(scan[:3] in ("]d2", "]Q3", "]C1") for scan in scans)
    assert any(scan[3:5] == "00" for scan in scans)  # SSCC labels are in the mix
    assert any("240REF-" in scan for scan in scans)  # REF/count labels too
    assert make_inputs(60) == scans  # seeded: every run measures the same inputs


def test_benchmark_report_compares_both_parsers() -> None:
    results = measure(make_inputs(20), repeats=2)
    assert set(results) == {"station", "biip"}
    assert all(len(times) == 2 and min(times) > 0 for times in results.values())
    table = report(results, 20)
    assert "station `read_scan`" in table
    assert "biip `parse`" in table
    assert "Ratio station/biip" in table
