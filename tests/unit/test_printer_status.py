"""Parsing the ZPL ``~HS`` host status reply.

Replies are built here from the field layout in the Zebra ZPL II Programming Guide ("~HS Host
Status Return"), independently of the parser: string 1 is
``aaa,b,c,dddd,eee,f,g,h,iii,j,k,l``, string 2 ``mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www``, string 3
``xxxx,y``, each framed ``<STX>…<ETX><CR><LF>``.
"""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from drivers.printers.errors import PrinterStatusError
from drivers.printers.status import (
    PrinterStatus,
    format_host_status,
    parse_host_status,
    reply_complete,
)

LINE1 = ["030", "0", "0", "1225", "000", "0", "0", "0", "000", "0", "0", "0"]
LINE2 = ["001", "0", "0", "0", "0", "2", "6", "0", "00000000", "1", "000"]
LINE3 = ["4321", "0"]

# (line, index) of each flag in the guide's layout -> the PrinterStatus field it sets
FLAGS = {
    (1, 1): "paper_out",
    (1, 2): "paused",
    (1, 5): "buffer_full",
    (1, 6): "diagnostic_mode",
    (1, 7): "partial_format",
    (1, 9): "corrupt_ram",
    (1, 10): "under_temperature",
    (1, 11): "over_temperature",
    (2, 2): "head_open",
    (2, 3): "ribbon_out",
    (2, 4): "thermal_transfer",
    (2, 7): "label_waiting",
}
NOT_FAULTS = {"partial_format", "thermal_transfer", "label_waiting", "ribbon_out"}


def reply(
    changes: dict[tuple[int, int], str] | None = None,
    lines: tuple[list[str], ...] = (LINE1, LINE2, LINE3),
    end: bytes = b"\x03\r\n",
) -> bytes:
    fields = [list(line) for line in lines]
    for (line, index), value in (changes or {}).items():
        fields[line - 1][index] = value
    return b"".join(b"\x02" + ",".join(f).encode() + end for f in fields)


def test_an_idle_printer_is_ready() -> None:
    status = parse_host_status(reply())
    assert status.ready
    assert status.problems == ()
    assert status == PrinterStatus(label_length_dots=1225, print_mode="tear-off")


@pytest.mark.parametrize(("position", "field"), sorted(FLAGS.items()))
def test_each_flag_is_read_from_its_place(position: tuple[int, int], field: str) -> None:
    status = parse_host_status(reply({position: "1"}))
    set_flags = [f.name for f in dataclasses.fields(status) if getattr(status, f.name) is True]
    assert set_flags == [field]
    assert status.ready == (field in NOT_FAULTS)
    assert len(status.problems) == (0 if field in NOT_FAULTS else 1)


def test_ribbon_out_matters_only_in_thermal_transfer_mode() -> None:
    direct = parse_host_status(reply({(2, 3): "1"}))
    transfer = parse_host_status(reply({(2, 3): "1", (2, 4): "1"}))
    assert direct.ribbon_out
    assert direct.ready
    assert transfer.problems == ("out of ribbon: load a new ribbon",)


def test_all_faults_at_once_are_all_listed_in_plain_words() -> None:
    everything = dict.fromkeys(FLAGS, "1")
    status = parse_host_status(reply(everything))
    assert not status.ready
    assert status.problems == (
        "out of labels: load labels and close the printer",
        "paused: press PAUSE on the printer to resume",
        "the print head is open: close it",
        "out of ribbon: load a new ribbon",
        "the printer's job memory is full: wait, then print again",
        "the print head is too cold: wait for it to warm up",
        "the print head is too hot: let it cool down",
        "diagnostic mode is on (it prints what it receives, not labels): turn it off",
        "the printer lost its settings: have its configuration checked before printing",
    )


def test_counts_and_print_mode() -> None:
    status = parse_host_status(
        reply({(1, 3): "0812", (1, 4): "002", (2, 5): "1", (2, 8): "00000042", (2, 10): "007"})
    )
    assert status.label_length_dots == 812
    assert status.formats_in_buffer == 2
    assert status.print_mode == "peel-off"
    assert status.labels_remaining == 42
    assert status.graphics_stored == 7
    assert parse_host_status(reply({(2, 5): "7"})).print_mode == "mode 7"


@pytest.mark.parametrize("end", [b"\x03\r\n", b"\x03\n", b"\x03"])
def test_line_endings_between_strings_may_vary(end: bytes) -> None:
    assert parse_host_status(reply(end=end)).ready


def test_fields_appended_by_newer_firmware_are_ignored() -> None:
    longer = ([*LINE1, "9"], [*LINE2, "0", "0"], [*LINE3, "1"])
    assert parse_host_status(reply(lines=longer)).ready


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (b"", "empty status reply"),
        (reply()[:30], "cut short: 0 of 3 lines"),
        (reply()[:60], "cut short: 1 of 3 lines"),
        (reply()[:-9], "cut short: 2 of 3 lines"),
        (reply().replace(b"\x02", b"", 1), "not a ~HS status reply"),
        (b"HTTP/1.1 400 Bad Request\r\n\r\n", "not a ~HS status reply"),
        (reply() + b"garbage", "not a ~HS status reply"),
        (reply() + reply(), "not a ~HS status reply"),
        (reply().replace(b"1225", b"12\xe925"), "not a ~HS status reply"),
        (reply().replace(b"1225", b"12\x0025"), "not a ~HS status reply"),
        (b"\x02" + b"1" * 2000 + b"\x03", "2002 bytes long"),
        (reply(lines=(LINE1[:11], LINE2, LINE3)), "line 1 has 11 fields, expected 12"),
        (reply(lines=(LINE1, LINE2[:10], LINE3)), "line 2 has 10 fields, expected 11"),
        (reply(lines=(LINE1, LINE2, LINE3[:1])), "line 3 has 1 fields, expected 2"),
        (reply({(1, 1): "2"}), "paper out flag is '2', not 0 or 1"),
        (reply({(1, 2): ""}), "pause flag is '', not 0 or 1"),
        (reply({(2, 2): "Y"}), "head up flag is 'Y'"),
        (reply({(1, 3): "-12"}), "label length field is '-12', not a number"),
        (reply({(2, 8): "1e3"}), "labels remaining field is '1e3'"),
        (reply({(2, 8): "123456789"}), "labels remaining field"),
        (reply({(1, 0): "abc"}), "interface settings field"),
        (reply({(2, 5): "10"}), "print mode '10'"),
        (reply({(3, 1): "x"}), "static RAM installed flag"),
    ],
)
def test_garbage_and_truncated_replies_are_refused(bad: bytes, message: str) -> None:
    with pytest.raises(PrinterStatusError, match=message):
        parse_host_status(bad)


@pytest.mark.parametrize("bad", [reply({(3, 0): "12a4"}), reply(lines=(LINE1, LINE2, ["4321"]))])
def test_the_printers_password_never_appears_in_an_error(bad: bytes) -> None:
    with pytest.raises(PrinterStatusError) as caught:
        parse_host_status(bad)
    assert "4321" not in str(caught.value)
    assert "12a4" not in str(caught.value)


def test_reply_complete_needs_all_three_strings() -> None:
    whole = reply()
    assert reply_complete(whole)
    assert not any(reply_complete(whole[:n]) for n in range(len(whole.rstrip(b"\r\n"))))


FORMATTED_FIELDS = [
    "paper_out",
    "paused",
    "head_open",
    "ribbon_out",
    "buffer_full",
    "under_temperature",
    "over_temperature",
    "diagnostic_mode",
    "corrupt_ram",
    "partial_format",
    "thermal_transfer",
    "label_waiting",
]


@pytest.mark.parametrize("on", list(itertools.combinations(FORMATTED_FIELDS, 2)))
def test_the_simulators_replies_follow_the_layout(on: tuple[str, str]) -> None:
    base = PrinterStatus(labels_remaining=5, label_length_dots=1225)
    flags: dict[str, object] = dict.fromkeys(on, True)
    status = dataclasses.replace(base, **flags)  # type: ignore[arg-type]
    formatted = format_host_status(status)
    assert parse_host_status(formatted) == status
    # ...and agree with the layout as written here
    expected = {
        position: "1" for position, field in FLAGS.items() if getattr(status, field) is True
    }
    expected[(2, 8)] = "00000005"
    assert formatted == reply(expected, lines=(LINE1, LINE2, ["1234", "0"]))
