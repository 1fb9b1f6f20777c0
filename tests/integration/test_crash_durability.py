"""SIGKILL at random moments never loses an acknowledged event or leaves half of one (DUR-2)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

KILLS = int(os.environ.get("STATION_CRASH_KILLS", "250"))
POSIX_ONLY = pytest.mark.skipif(
    sys.platform == "win32", reason="SIGKILL and fork() do not exist on Windows"
)


@pytest.mark.req("DUR-2")
@pytest.mark.slow
@POSIX_ONLY
def test_every_acknowledged_event_survives_sigkill(tmp_path: Path) -> None:
    from tests.integration.crash_harness import run  # noqa: PLC0415 - POSIX only

    report = run(tmp_path / "station.sqlite", KILLS, seed=20261125, max_delay=0.03)

    print(
        f"\ncrash test: {report.kills} kills, {len(report.acked)} acks verified, "
        f"{report.committed} events committed, {report.seconds:.1f} s"
    )
    assert report.failures == []
    assert report.kills == KILLS
    # The kills must land while work is going on, or the test proves nothing.
    assert len(report.acked) >= KILLS // 2
    assert report.committed >= len(report.acked)


@POSIX_ONLY
def test_the_harness_catches_an_ack_sent_before_commit(tmp_path: Path) -> None:
    """Negative control: with the forbidden ordering, some acked event must go missing."""
    from tests.integration.crash_harness import run  # noqa: PLC0415 - POSIX only

    report = run(tmp_path / "station.sqlite", 40, seed=7, ack_before_commit=True)

    assert any("acked but missing" in failure for failure in report.failures)
