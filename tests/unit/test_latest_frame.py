"""LatestFrame: newest item wins, drops are counted, takers wake on put and on close."""

from __future__ import annotations

import threading
import time

from drivers.camera.latest import LatestFrame


def test_newest_wins_and_overwrites_are_counted() -> None:
    slot: LatestFrame[int] = LatestFrame()
    assert slot.put(1) is False
    assert slot.put(2) is True
    assert slot.put(3) is True
    assert slot.take(0) == 3
    assert (slot.put_count, slot.taken, slot.dropped) == (3, 1, 2)
    assert slot.take(0) is None  # taking empties the slot


def test_take_times_out_when_nothing_arrives() -> None:
    slot: LatestFrame[int] = LatestFrame()
    started = time.monotonic()
    assert slot.take(0.05) is None
    assert 0.04 <= time.monotonic() - started < 1.0


def test_take_wakes_as_soon_as_an_item_is_put() -> None:
    slot: LatestFrame[str] = LatestFrame()
    got: list[tuple[str | None, float]] = []

    def taker() -> None:
        item = slot.take(5)
        got.append((item, time.monotonic()))

    thread = threading.Thread(target=taker)
    thread.start()
    time.sleep(0.05)
    put_at = time.monotonic()
    slot.put("frame")
    thread.join(2)
    assert [item for item, _ in got] == ["frame"]
    assert got[0][1] - put_at < 0.5


def test_close_wakes_a_waiting_taker_and_ignores_later_puts() -> None:
    slot: LatestFrame[int] = LatestFrame()
    results: list[int | None] = []
    thread = threading.Thread(target=lambda: results.append(slot.take(10)))
    thread.start()
    time.sleep(0.05)
    started = time.monotonic()
    slot.close()
    thread.join(2)
    assert not thread.is_alive()
    assert time.monotonic() - started < 0.5
    assert results == [None]
    assert slot.closed
    assert slot.put(7) is False
    assert slot.take(0) is None


def test_close_discards_the_waiting_item() -> None:
    slot: LatestFrame[int] = LatestFrame()
    slot.put(1)
    slot.close()
    assert slot.take(0) is None


def test_fast_producer_slow_consumer_sees_only_fresh_items() -> None:
    slot: LatestFrame[int] = LatestFrame()
    produced = 2000
    taken: list[int] = []
    done = threading.Event()

    def producer() -> None:
        for index in range(produced):
            slot.put(index)
            if index % 100 == 0:
                time.sleep(0.001)
        done.set()

    def consumer() -> None:
        while True:
            item = slot.take(0.01)
            if item is None:
                if done.is_set():
                    return
                continue
            taken.append(item)
            time.sleep(0.002)  # a slow decoder

    threads = [threading.Thread(target=producer), threading.Thread(target=consumer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert taken == sorted(taken)  # never an older item after a newer one
    assert len(set(taken)) == len(taken)
    assert slot.dropped > 0
    left = 0 if slot.take(0) is None else 1
    # every item was taken, overwritten, or is still waiting: nothing is lost unaccounted
    assert slot.put_count == produced
    assert len(taken) + slot.dropped + left == produced
