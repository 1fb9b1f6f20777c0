"""The pure serial framer: terminators, timeouts, stripping, bounded buffer, chunking invariance."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.serial.framing import Event, Framer, Framing, FramingError

GS1 = b"]d20104012345123456112501151726123110LOT-A1\x1d21SN0001"
PPN = b"[)>\x1e06\x1d9N110375286414\x1d1TLOT\x1e\x04"


def feed_all(framer: Framer, chunks: list[bytes], now: float = 0.0) -> list[Event]:
    out: list[Event] = []
    for chunk in chunks:
        out += framer.feed(chunk, now)
    return out


@pytest.mark.parametrize(
    ("terminator", "sep"),
    [
        ("auto", b"\r"),
        ("auto", b"\n"),
        ("auto", b"\r\n"),
        ("cr", b"\r"),
        ("lf", b"\n"),
        ("crlf", b"\r\n"),
    ],
)
def test_terminators_split_scans_and_keep_bytes(terminator: str, sep: bytes) -> None:
    framer = Framer(Framing(terminator=terminator))  # type: ignore[arg-type]
    assert framer.feed(GS1 + sep + PPN + sep, 0.0) == [GS1, PPN]
    assert framer.pending == 0


def test_crlf_split_across_chunks_is_one_terminator() -> None:
    framer = Framer(Framing(terminator="crlf"))
    assert feed_all(framer, [b"ABC\r", b"\nDEF\r", b"\n"]) == [b"ABC", b"DEF"]
    # a lone CR is data in crlf mode
    assert framer.feed(b"A\rB\r\n", 0.0) == [b"A\rB"]


def test_auto_mode_drops_the_empty_line_of_a_split_crlf() -> None:
    framer = Framer(Framing(terminator="auto"))
    assert feed_all(framer, [b"ABC\r", b"\n", b"\r\n\n", b"DEF\n"]) == [b"ABC", b"DEF"]


def test_single_terminator_modes_keep_the_other_byte_as_data() -> None:
    assert Framer(Framing(terminator="cr")).feed(b"A\nB\r", 0.0) == [b"A\nB"]
    assert Framer(Framing(terminator="lf")).feed(b"A\rB\n", 0.0) == [b"A\rB"]


def test_no_terminator_uses_the_inter_character_timeout() -> None:
    framer = Framer(Framing(terminator="none", timeout=0.05))
    assert framer.feed(b"+A999", 0.00) == []
    assert framer.feed(b"12345", 0.04) == []  # gap 0.04 < 0.05: same scan
    assert framer.poll(0.08) == []  # 0.04 since the last byte
    assert framer.poll(0.1) == [b"+A99912345"]
    # a late byte after a gap ends the previous scan first
    assert framer.feed(b"ONE", 1.0) == []
    assert framer.feed(b"TWO", 2.0) == [b"ONE"]
    assert framer.poll(2.1) == [b"TWO"]


def test_timeout_also_ends_an_unterminated_scan_in_terminated_modes() -> None:
    framer = Framer(Framing(terminator="auto", timeout=0.1))
    assert framer.feed(b"ABC", 0.0) == []
    assert framer.poll(0.2) == [b"ABC"]
    assert Framer(Framing(terminator="auto")).feed(b"ABC", 0.0) == []  # no timeout: waits


def test_prefix_and_suffix_are_stripped_when_present() -> None:
    framer = Framer(Framing(terminator="cr", prefix=b"\x02", suffix=b"\x03"))
    assert framer.feed(b"\x02" + GS1 + b"\x03\r", 0.0) == [GS1]
    assert framer.feed(b"NOPREFIX\r", 0.0) == [b"NOPREFIX"]
    assert framer.feed(b"\x02\x03\r", 0.0) == []  # nothing left: no empty scan


def test_garbage_and_control_bytes_pass_through_untouched() -> None:
    junk = bytes(b for b in range(256) if b not in (0x0A, 0x0D))
    assert Framer().feed(junk + b"\n", 0.0) == [junk]


def test_over_long_line_is_reported_once_and_the_framer_resynchronises() -> None:
    framer = Framer(Framing(terminator="lf", max_line=16))
    out = feed_all(framer, [b"x" * 10, b"x" * 10, b"x" * 1000])
    assert out == []
    assert framer.pending == 0  # nothing buffered while discarding
    out = framer.feed(b"yy\nGOOD\n", 0.0)
    assert out == [FramingError("line too long, discarded 1022 bytes", 1022), b"GOOD"]


def test_over_long_line_in_timeout_mode_ends_at_the_pause() -> None:
    framer = Framer(Framing(terminator="none", timeout=0.05, max_line=8))
    assert framer.feed(b"z" * 100, 0.0) == []
    assert framer.poll(0.1) == [FramingError("line too long, discarded 100 bytes", 100)]
    assert framer.feed(b"OK", 0.2) == []
    assert framer.poll(0.3) == [b"OK"]


def test_over_long_line_without_timeout_resyncs_after_a_long_silence() -> None:
    framer = Framer(Framing(terminator="lf", max_line=8))
    assert framer.feed(b"z" * 100, 0.0) == []
    [err] = framer.poll(10.0)
    assert isinstance(err, FramingError)
    assert err.discarded == 100
    assert framer.feed(b"OK\n", 10.1) == [b"OK"]


def test_a_line_of_exactly_max_line_is_kept() -> None:
    framer = Framer(Framing(terminator="crlf", max_line=4))
    assert feed_all(framer, [b"ABCD\r", b"\n"]) == [b"ABCD"]


def test_flush_ends_the_pending_scan() -> None:
    framer = Framer()
    framer.feed(b"PART", 0.0)
    assert framer.flush() == [b"PART"]
    assert framer.flush() == []


def test_invalid_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="timeout"):
        Framing(terminator="none")
    with pytest.raises(ValueError, match="unknown"):
        Framing(terminator="tab")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_line"):
        Framing(max_line=0)


_alphabet = st.sampled_from([b"A", b"0", b"\r", b"\n", b"\x1d", b"\x1e", b"\x04", b"]", b"\xff"])


@settings(max_examples=300, deadline=None)
@given(
    terminator=st.sampled_from(["auto", "cr", "lf", "crlf"]),
    stream=st.lists(_alphabet, max_size=120).map(b"".join),
    cuts=st.lists(st.integers(min_value=0, max_value=120), max_size=12),
    max_line=st.integers(min_value=1, max_value=20),
)
def test_any_chunking_yields_the_same_events(
    terminator: str, stream: bytes, cuts: list[int], max_line: int
) -> None:
    framing = Framing(terminator=terminator, max_line=max_line)  # type: ignore[arg-type]
    whole = Framer(framing).feed(stream, 0.0)
    bounds = sorted({0, len(stream), *(c for c in cuts if c <= len(stream))})
    chunks = [stream[a:b] for a, b in itertools.pairwise(bounds)]
    chunked = Framer(framing)
    assert feed_all(chunked, chunks) == whole
    assert chunked.pending <= max_line + 1
    # every delivered scan is a contiguous slice of the stream, never decoded or altered
    for event in whole:
        if isinstance(event, bytes):
            assert event in stream
