"""RepeatFilter: a code held in view is one read; it counts again only after leaving the view."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.scanning.dedupe import RepeatFilter

CODE = b"0104012345123456\x1d21SN1"


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_first_sighting_is_delivered_repeats_are_not(clock: FakeClock) -> None:
    repeats = RepeatFilter(1.5, clock)
    assert repeats.admit(CODE, "]d2")
    clock.now = 0.5
    assert not repeats.admit(CODE, "]d2")
    assert (repeats.admitted, repeats.suppressed) == (1, 1)


def test_a_code_held_in_view_for_long_is_one_read(clock: FakeClock) -> None:
    repeats = RepeatFilter(1.5, clock)
    delivered = []
    for frame in range(300):  # 10 s at 30 fps: far longer than the window
        clock.now = frame / 30
        delivered.append(repeats.admit(CODE, "]d2"))
    assert delivered.count(True) == 1
    assert delivered[0]


def test_short_decode_misses_do_not_count_as_leaving(clock: FakeClock) -> None:
    repeats = RepeatFilter(1.5, clock)
    assert repeats.admit(CODE)
    clock.now = 1.4  # 1.4 s without a read (blurred frames), then seen again
    assert not repeats.admit(CODE)
    clock.now = 2.8  # measured from the last sighting, not the first: still a repeat
    assert not repeats.admit(CODE)


def test_delivered_again_after_absent_longer_than_the_window(clock: FakeClock) -> None:
    repeats = RepeatFilter(1.5, clock)
    assert repeats.admit(CODE)
    clock.now = 1.5  # exactly the window: still the same read
    assert not repeats.admit(CODE)
    clock.now = 3.0001  # just over the window since the last sighting
    assert repeats.admit(CODE)


def test_symbology_is_part_of_the_code(clock: FakeClock) -> None:
    repeats = RepeatFilter(1.5, clock)
    assert repeats.admit(b"ABC", "]d1")
    assert repeats.admit(b"ABC", "]Q1")
    assert repeats.admit(b"ABD", "]d1")
    assert not repeats.admit(b"ABC", "]d1")


def test_interleaved_codes_are_tracked_separately(clock: FakeClock) -> None:
    repeats = RepeatFilter(1.0, clock)
    seen = []
    for step in range(40):  # two labels side by side, both in view for 4 s
        clock.now = step * 0.1
        seen.append((repeats.admit(b"A"), repeats.admit(b"B")))
    assert seen[0] == (True, True)
    assert all(pair == (False, False) for pair in seen[1:])


def test_zero_window_disables_the_filter(clock: FakeClock) -> None:
    repeats = RepeatFilter(0, clock)
    assert not repeats.enabled
    assert all(repeats.admit(CODE) for _ in range(5))
    assert repeats.in_view() == []  # nothing is remembered


def test_negative_window_is_refused() -> None:
    with pytest.raises(ValueError, match="repeat window"):
        RepeatFilter(-1)


def test_memory_holds_only_codes_in_view(clock: FakeClock) -> None:
    repeats = RepeatFilter(1.0, clock)
    for index in range(1000):
        clock.now = index * 0.01
        repeats.admit(str(index).encode())
    assert len(repeats.in_view()) <= 101  # the last second's worth, not all 1000


def test_reset_forgets_everything(clock: FakeClock) -> None:
    repeats = RepeatFilter(1.5, clock)
    repeats.admit(CODE)
    repeats.reset()
    assert repeats.admit(CODE)


@given(
    window=st.integers(1, 30),
    gaps=st.lists(st.integers(0, 50), min_size=1, max_size=40),
)
def test_rule_matches_the_documentation(window: int, gaps: list[int]) -> None:
    """Delivered iff first sighting or the gap since the previous sighting exceeds the window.

    Whole-number clock ticks keep the boundary exact (no float rounding in the oracle).
    """
    clock = FakeClock()
    repeats = RepeatFilter(window, clock)
    assert repeats.admit(CODE)
    for gap in gaps:
        clock.now += gap
        assert repeats.admit(CODE) == (gap > window)
