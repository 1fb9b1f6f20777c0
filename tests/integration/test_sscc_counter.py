"""The durable SSCC allocator (station/services/sscc.py): never repeats, survives SIGKILL,
keeps each station in its block, refuses a used-up block, and is append-only and audited."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from station.access import NotPermittedError
from station.persistence import migrate
from station.persistence.db import close_engine, open_engine
from station.services.errors import Refused
from station.services.sscc import SsccBlock, allocate_sscc, sscc_block
from station.udi.checks import gs1_check_digit_ok
from tests.integration import sscc_crash_child
from tests.integration.test_services_setup import CTX

REPO = Path(__file__).resolve().parents[2]
PREFIX = "34012345"  # extension digit 3, company prefix 4012345: 9-digit serial references
KILLS = int(os.environ.get("STATION_SSCC_CRASH_KILLS", "8"))
POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL does not exist there")


def _allocate(engine: Engine, block: SsccBlock, count: int = 1) -> list[str]:
    made = []
    for _ in range(count):
        with engine.begin() as conn:  # each in its own transaction, as the screen does
            made.append(allocate_sscc(conn, CTX, block))
    return made


def _count(engine: Engine, sql: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.text(sql)).scalar_one())


def test_numbers_come_in_order_are_valid_and_audited(engine: Engine) -> None:
    block = sscc_block(PREFIX, "500-599")
    made = _allocate(engine, block, 3)
    assert made == [block.sscc(500), block.sscc(501), block.sscc(502)]
    assert all(len(s) == 18 and s.startswith(PREFIX) and gs1_check_digit_ok(s) for s in made)
    assert made[0][:17] == "34012345000000500"
    assert _count(engine, "SELECT count(*) FROM sscc_allocation") == 3
    assert _count(engine, "SELECT count(*) FROM audit WHERE action = 'sscc.allocate'") == 3
    with engine.connect() as conn:
        station, actor = conn.execute(
            sa.text("SELECT station, actor FROM sscc_allocation WHERE sscc = :s"), {"s": made[0]}
        ).one()
    assert (station, actor) == (CTX.station, CTX.actor)


def test_a_number_is_never_handed_out_twice(db_path: Path) -> None:
    block = sscc_block(PREFIX, "1-200")
    made: list[str] = []
    for _ in range(3):  # three runs of the station on the same file
        engine = open_engine(db_path)
        try:
            migrate.upgrade(engine)
            made += _allocate(engine, block, 50)
        finally:
            close_engine(engine)
    assert len(set(made)) == 150
    assert made[-1] == block.sscc(150)


def test_two_stations_sharing_a_prefix_with_their_own_blocks_never_collide(
    tmp_path: Path,
) -> None:
    made: dict[str, list[str]] = {}
    blocks = {"PK-01": sscc_block(PREFIX, "1-49999"), "PK-02": sscc_block(PREFIX, "50000-99999")}
    for station, block in blocks.items():
        engine = open_engine(tmp_path / f"{station}.sqlite")  # each station its own database
        try:
            migrate.upgrade(engine)
            ctx = replace(CTX, station=station)
            with engine.begin() as conn:
                made[station] = [allocate_sscc(conn, ctx, block) for _ in range(300)]
        finally:
            close_engine(engine)
    assert not set(made["PK-01"]) & set(made["PK-02"])
    for station, block in blocks.items():
        references = [int(s[len(PREFIX) : 17]) for s in made[station]]
        assert all(block.first <= r <= block.last for r in references)
    # Without blocks (both the whole range) the same two stations would collide at once:
    # the block is what keeps them apart.
    whole = sscc_block(PREFIX)
    assert (whole.first, whole.last) == (1, 999_999_999)


def test_a_used_up_block_is_refused_and_writes_nothing(engine: Engine) -> None:
    block = sscc_block(PREFIX, "7-8")
    assert len(_allocate(engine, block, 2)) == 2
    with pytest.raises(Refused) as refused, engine.begin() as conn:
        allocate_sscc(conn, CTX, block)
    assert refused.value.reason == "sscc_exhausted"
    assert "7-8" in str(refused.value)
    assert _count(engine, "SELECT count(*) FROM sscc_allocation") == 2
    assert _count(engine, "SELECT next_reference FROM sscc_counter") == 9


def test_a_number_taken_in_an_overlapping_block_is_skipped(engine: Engine) -> None:
    first = _allocate(engine, sscc_block(PREFIX, "10-19"), 2)
    # The station's block was changed to one overlapping the old: its numbers stay taken.
    assert _allocate(engine, sscc_block(PREFIX, "11-30")) == [sscc_block(PREFIX).sscc(12)]
    assert first == [sscc_block(PREFIX).sscc(10), sscc_block(PREFIX).sscc(11)]


@pytest.mark.parametrize(
    ("prefix", "block"),
    [
        ("12", ""),
        ("3401234x", ""),
        (PREFIX, "5"),
        (PREFIX, "9-3"),
        (PREFIX, "0-9"),
        (PREFIX, "1-1000000000"),
        (PREFIX, "a-b"),
    ],
)
def test_settings_that_cannot_be_used_are_refused(prefix: str, block: str) -> None:
    with pytest.raises(Refused) as refused:
        sscc_block(prefix, block)
    assert refused.value.reason == "sscc_not_configured"


def test_allocation_needs_the_packing_permission(engine: Engine) -> None:
    inspector = replace(CTX, roles=frozenset({"inspector"}))
    with pytest.raises(NotPermittedError), engine.begin() as conn:
        allocate_sscc(conn, inspector, sscc_block(PREFIX))
    assert _count(engine, "SELECT count(*) FROM sscc_allocation") == 0


@pytest.mark.req("P11-E2")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE sscc_allocation SET station = 'X'",
        "DELETE FROM sscc_allocation",
        "UPDATE sscc_counter SET next_reference = 1",
        "UPDATE sscc_counter SET block_last = 5000",
        "DELETE FROM sscc_counter",
    ],
)
def test_the_tables_only_grow(engine: Engine, sql: str) -> None:
    _allocate(engine, sscc_block(PREFIX, "100-999"), 2)
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(sa.text(sql))
    assert _count(engine, "SELECT next_reference FROM sscc_counter") == 102


# -- SIGKILL


def _run(db_path: Path, print_file: Path, rng: random.Random, *, too_early: bool) -> None:
    """One life of the child: started, allowed to allocate a while, SIGKILLed."""
    command = [sys.executable, "-m", "tests.integration.sscc_crash_child"]
    command += [str(db_path), str(print_file)] + (["--print-before-commit"] if too_early else [])
    child = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "READY"
        time.sleep(rng.uniform(0.05, 0.4))
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()


def _kill_repeatedly(tmp_path: Path, *, too_early: bool) -> tuple[Counter[str], set[str]]:
    db_path, print_file = tmp_path / "station.sqlite", tmp_path / "printed.txt"
    engine = open_engine(db_path)
    migrate.upgrade(engine)
    close_engine(engine)
    rng = random.Random(20261207)
    for _ in range(KILLS):
        _run(db_path, print_file, rng, too_early=too_early)
    printed = Counter(print_file.read_text().splitlines()) if print_file.exists() else Counter()
    engine = open_engine(db_path)
    try:
        with engine.connect() as conn:
            allocated = {s for (s,) in conn.execute(sa.text("SELECT sscc FROM sscc_allocation"))}
    finally:
        close_engine(engine)
    return printed, allocated


@pytest.mark.slow
@POSIX_ONLY
def test_no_sscc_is_printed_twice_across_sigkills(tmp_path: Path) -> None:
    printed, allocated = _kill_repeatedly(tmp_path, too_early=False)
    assert sum(printed.values()) > KILLS  # the kills landed while numbers were being made
    assert [s for s, n in printed.items() if n > 1] == []
    assert set(printed) <= allocated  # every printed number is on record
    block = sscc_block(sscc_crash_child.PREFIX, sscc_crash_child.BLOCK)
    assert sorted(allocated) == [block.sscc(block.first + n) for n in range(len(allocated))]


@pytest.mark.slow
@POSIX_ONLY
def test_the_harness_catches_printing_before_the_allocation_commits(tmp_path: Path) -> None:
    """Negative control: printed inside the allocating transaction, a kill before COMMIT rolls
    the number back and the next life prints it again."""
    printed, _ = _kill_repeatedly(tmp_path, too_early=True)
    assert [s for s, n in printed.items() if n > 1] != []
