"""GS1 Barcode Syntax Tests ("linters"): the content rules the Syntax Dictionary names per AI.

Each linter checks one component value and returns None when it passes, or a :class:`LintFault`
that says why and where. The behaviour follows GS1's reference implementation
(gs1/gs1-syntax-engine, ``src/c-lib/syntax/lint_*.c``, Apache-2.0); the code lists (ISO 3166,
ISO 4217, package types, media types) are data tables transcribed from it.

Linters that read a two-digit year need the reference date of the GS1 century window; all
linters in :data:`LINTERS` therefore take ``(value, reference)``.

>>> lint_csum("04012345123456") is None
True
>>> lint_csum("04012345123457").reason
'the check digit should be 6, not 7'
>>> lint_yymmd0("261200", date(2026, 11, 24)) is None  # day 00: last day of the month
True
>>> lint_yymmdd("261200", date(2026, 11, 24)).rule
'illegal_day'
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from station.udi.dates import century_year
from station.udi.gs1_spec import CSET39, CSET64, CSET82

__all__ = [
    "CSET_LINTERS",
    "CsetLinter",
    "LintFault",
    "Linter",
    "check_pair",
    "non_digit_fault",
]


@dataclass(frozen=True, slots=True)
class LintFault:
    """Why a value failed a linter.

    ``rule`` is a stable short name (``"incorrect_check_digit"``); ``offset``/``length`` locate
    the offending characters inside the value; ``reason`` is an English phrase for the message;
    ``expected``/``found`` are set for check characters.
    """

    rule: str
    offset: int
    length: int
    reason: str
    expected: str | None = None
    found: str | None = None


Linter = Callable[[str, date], "LintFault | None"]
CsetLinter = Callable[[str], "LintFault | None"]

_DIGITS = frozenset("0123456789")


def non_digit_fault(value: str) -> LintFault | None:
    for index, char in enumerate(value):
        if char not in _DIGITS:
            return LintFault("non_digit_character", index, 1, f"{char!r} is not a digit")
    return None


# --------------------------------------------------------------------------- character sets


def _first_outside(value: str, allowed: frozenset[str]) -> int:
    for index, char in enumerate(value):
        if char not in allowed:
            return index
    return -1


_CSET82 = frozenset(CSET82)
_CSET39 = frozenset(CSET39)
_CSET64 = frozenset(CSET64)


def lint_csetnumeric(value: str) -> LintFault | None:
    """``N``: digits only."""
    return non_digit_fault(value)


def lint_cset82(value: str) -> LintFault | None:
    """``X``: GS1 character set 82 (no space, ``#``, ``$``, ``@``, ``^``, ``~`` …)."""
    index = _first_outside(value, _CSET82)
    if index < 0:
        return None
    char = value[index]
    return LintFault("invalid_cset82_character", index, 1, f"{char!r} is not allowed here")


def lint_cset39(value: str) -> LintFault | None:
    """``Y``: GS1 character set 39 (capitals, digits, ``#-/``)."""
    index = _first_outside(value, _CSET39)
    if index < 0:
        return None
    char = value[index]
    return LintFault("invalid_cset39_character", index, 1, f"{char!r} is not allowed here")


def lint_cset64(value: str) -> LintFault | None:
    """``Z``: URL-safe base64, optionally padded with one or two ``=`` to a multiple of 3."""
    length = len(value.rstrip("="))
    pads = len(value) - length
    if pads > 2 or (pads and len(value) % 3):
        return LintFault("invalid_cset64_padding", length, pads, "the '=' padding is wrong")
    index = _first_outside(value[:length], _CSET64)
    if index < 0:
        return None
    char = value[index]
    return LintFault("invalid_cset64_character", index, 1, f"{char!r} is not allowed here")


#: Character set letter of a component → its linter.
CSET_LINTERS: Mapping[str, CsetLinter] = {
    "N": lint_csetnumeric,
    "X": lint_cset82,
    "Y": lint_cset39,
    "Z": lint_cset64,
}


# --------------------------------------------------------------------------- check characters


def lint_csum(value: str) -> LintFault | None:
    """GS1 mod-10 check digit (weights 3,1,3,… from the right, check digit excluded)."""
    if not value:
        return LintFault("too_short_for_check_digit", 0, 0, "it is too short for a check digit")
    fault = non_digit_fault(value)
    if fault:
        return fault
    body = value[:-1]
    total = 3 * sum(map(int, body[::-2])) + sum(map(int, body[-2::-2]))
    expected = str((10 - total % 10) % 10)
    if value[-1] != expected:
        return LintFault(
            "incorrect_check_digit",
            len(value) - 1,
            1,
            f"the check digit should be {expected}, not {value[-1]}",
            expected,
            value[-1],
        )
    return None


_CSUMALPHA_WEIGHTS = (
    2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89,
    97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167, 173, 179, 181, 191,
    193, 197, 199, 211, 223, 227, 229, 233, 239, 241, 251, 257, 263, 269, 271, 277, 281, 283,
    293, 307, 311, 313, 317, 331, 337, 347, 349, 353, 359, 367, 373, 379, 383, 389, 397, 401,
    409, 419, 421, 431, 433, 439, 443, 449, 457, 461, 463, 467, 479, 487, 491, 499, 503, 509,
)  # fmt: skip
_CSET82_VALUE = {char: index for index, char in enumerate(CSET82)}
_CSET32 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def check_pair(data: str) -> str:
    """The two GS1 alphanumeric check characters for ``data`` (CSET 82, at most 97 long).

    >>> check_pair("1987654Ad4X4bL5ttr2310c")
    '2K'
    """
    total = 0
    for char, weight in zip(reversed(data), _CSUMALPHA_WEIGHTS, strict=False):
        total += _CSET82_VALUE[char] * weight
    total %= 1021
    return _CSET32[total >> 5] + _CSET32[total & 31]


def lint_csumalpha(value: str) -> LintFault | None:
    """GS1 alphanumeric check character pair (AIs 8013, 8014): primes-weighted sum mod 1021."""
    if len(value) < 2:
        return LintFault("too_short_for_check_pair", 0, len(value), "it is too short")
    if len(value) - 2 > len(_CSUMALPHA_WEIGHTS):
        return LintFault("too_long_for_check_pair_implementation", 0, len(value), "it is too long")
    index = _first_outside(value[:-2], _CSET82)
    if index >= 0:
        return LintFault("invalid_cset82_character", index, 1, f"{value[index]!r} is not allowed")
    for index in (len(value) - 2, len(value) - 1):
        if value[index] not in _CSET32:
            return LintFault(
                "invalid_cset32_character",
                index,
                1,
                f"{value[index]!r} cannot be a check character",
            )
    expected = check_pair(value[:-2])
    if value[-2:] != expected:
        return LintFault(
            "incorrect_check_pair",
            len(value) - 2,
            2,
            f"the check characters should be {expected}, not {value[-2:]}",
            expected,
            value[-2:],
        )
    return None


# --------------------------------------------------------------------------- company prefix

_GCP_MIN_LENGTH = 4  # the shortest GS1 Company Prefix has four digits


def lint_key(value: str) -> LintFault | None:
    """Starts with (at least the minimum length of) a GS1 Company Prefix: four digits."""
    if len(value) < _GCP_MIN_LENGTH:
        return LintFault("too_short_for_key", 0, len(value), "it is too short for a GS1 key")
    for index in range(_GCP_MIN_LENGTH):
        if value[index] not in _DIGITS:
            return LintFault(
                "invalid_gcp_prefix", index, 1, "it does not start with a GS1 Company Prefix"
            )
    return None


def lint_gcppos1(value: str) -> LintFault | None:
    """Starts with a GS1 Company Prefix.

    Like the reference without a custom lookup, only the shape is checked (four leading digits):
    the station has no register of allocated prefixes. The reader separately looks the GS1
    prefix up in biip's bundled table and warns when it is unknown.
    """
    if len(value) < _GCP_MIN_LENGTH:
        return LintFault("too_short_for_gcp", 0, len(value), "it is too short for a GS1 key")
    return lint_key(value)


def lint_gcppos2(value: str) -> LintFault | None:
    """Has a GS1 Company Prefix from its second character (after an indicator digit)."""
    if len(value) < 2:
        return LintFault("too_short_for_gcp", 0, len(value), "it is too short for a GS1 key")
    fault = lint_gcppos1(value[1:])
    if fault is None:
        return None
    return LintFault(fault.rule, fault.offset + 1, fault.length, fault.reason)


# --------------------------------------------------------------------------- dates and times


def _date_digits(value: str, length: int) -> LintFault | None:
    if len(value) != length:
        rule = "date_too_short" if len(value) < length else "date_too_long"
        return LintFault(rule, 0, len(value), f"a date needs {length} digits")
    return non_digit_fault(value)


def _check_month_day(
    year: int, month_digits: str, day_digits: str, offset: int, *, day_zero: bool
) -> LintFault | None:
    month = int(month_digits)
    if not 1 <= month <= 12:
        return LintFault("illegal_month", offset, 2, f"month {month_digits} does not exist")
    day = int(day_digits)
    if day == 0 and day_zero:
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return LintFault(
            "illegal_day", offset + 2, 2, f"day {day_digits} does not exist in {year}-{month:02d}"
        )
    return None


def lint_yymmd0(value: str, reference: date) -> LintFault | None:
    """YYMMDD where day 00 means "end of the month" (AIs 11–17, 4324, 4325)."""
    fault = _date_digits(value, 6)
    if fault:
        return fault
    year = century_year(int(value[:2]), reference)
    return _check_month_day(year, value[2:4], value[4:6], 2, day_zero=True)


def lint_yymmdd(value: str, reference: date) -> LintFault | None:
    """YYMMDD with a real day: day 00 is illegal (AIs 7003, 7006, 7007, 8008 …)."""
    fault = _date_digits(value, 6)
    if fault:
        return fault
    year = century_year(int(value[:2]), reference)
    return _check_month_day(year, value[2:4], value[4:6], 2, day_zero=False)


def lint_yyyymmdd(value: str) -> LintFault | None:
    """YYYYMMDD with a real day (AIs 7250, 7251)."""
    fault = _date_digits(value, 8)
    if fault:
        return fault
    return _check_month_day(int(value[:4]), value[4:6], value[6:8], 4, day_zero=False)


def _two_digits_at_most(value: str, limit: int, unit: str) -> LintFault | None:
    if len(value) != 2:
        return LintFault(f"{unit}_invalid_length", 0, len(value), f"the {unit} needs 2 digits")
    fault = non_digit_fault(value)
    if fault:
        return fault
    if int(value) > limit:
        return LintFault(f"illegal_{unit}", 0, 2, f"{unit} {value} does not exist")
    return None


def lint_hh(value: str) -> LintFault | None:
    """Hour 00–23."""
    return _two_digits_at_most(value, 23, "hour")


def lint_mi(value: str) -> LintFault | None:
    """Minute 00–59."""
    return _two_digits_at_most(value, 59, "minute")


def lint_ss(value: str) -> LintFault | None:
    """Second 00–59."""
    return _two_digits_at_most(value, 59, "second")


def lint_hhmi(value: str) -> LintFault | None:
    """Time of day HHMI, 0000–2359."""
    if len(value) != 4:
        rule = "hour_with_minute_too_short" if len(value) < 4 else "hour_with_minute_too_long"
        return LintFault(rule, 0, len(value), "a time needs 4 digits")
    fault = lint_hh(value[:2])
    if fault:
        return fault
    fault = lint_mi(value[2:])
    if fault:
        return LintFault(fault.rule, fault.offset + 2, fault.length, fault.reason)
    return None


# --------------------------------------------------------------------------- code lists


def _code_list(codes: str) -> frozenset[str]:
    """A code table written as whitespace-separated codes (compact, easy to diff)."""
    return frozenset(codes.split())


# ISO 3166-1 numeric ("num-3") country codes, as in lint_iso3166.c.
_ISO3166 = _code_list(
    "004 008 010 012 016 020 024 028 031 032 036 040 044 048 050 051 052 056 060 064 068 "
    "070 072 074 076 084 086 090 092 096 100 104 108 112 116 120 124 132 136 140 144 148 "
    "152 156 158 162 166 170 174 175 178 180 184 188 191 192 196 203 204 208 212 214 218 "
    "222 226 231 232 233 234 238 239 242 246 248 250 254 258 260 262 266 268 270 275 276 "
    "288 292 296 300 304 308 312 316 320 324 328 332 334 336 340 344 348 352 356 360 364 "
    "368 372 376 380 384 388 392 398 400 404 408 410 414 417 418 422 426 428 430 434 438 "
    "440 442 446 450 454 458 462 466 470 474 478 480 484 492 496 498 499 500 504 508 512 "
    "516 520 524 528 531 533 534 535 540 548 554 558 562 566 570 574 578 580 581 583 584 "
    "585 586 591 598 600 604 608 612 616 620 624 626 630 634 638 642 643 646 652 654 659 "
    "660 662 663 666 670 674 678 682 686 688 690 694 702 703 704 705 706 710 716 724 728 "
    "729 732 740 744 748 752 756 760 762 764 768 772 776 780 784 788 792 795 796 798 800 "
    "804 807 818 826 831 832 833 834 840 850 854 858 860 862 876 882 887 894"
)
# ISO 3166-1 alpha-2 country codes, as in lint_iso3166alpha2.c.
_ISO3166_ALPHA2 = _code_list(
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO "
    "BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ "
    "DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP "
    "GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG "
    "KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML "
    "MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE "
    "PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL "
    "SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM "
    "US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
)
# ISO 4217 numeric currency codes, as in lint_iso4217.c.
_ISO4217 = _code_list(
    "008 012 032 036 044 048 050 051 052 060 064 068 072 084 090 096 104 108 116 124 132 "
    "136 144 152 156 170 174 188 192 203 208 214 222 230 232 238 242 262 270 292 320 324 "
    "328 332 340 344 348 352 356 360 364 368 376 388 392 396 398 400 404 408 410 414 417 "
    "418 422 426 430 434 446 454 458 462 480 484 496 498 504 512 516 524 532 533 548 554 "
    "558 566 578 586 590 598 600 604 608 634 643 646 654 682 690 702 704 706 710 728 748 "
    "752 756 760 764 776 780 784 788 800 807 818 826 834 840 858 860 882 886 901 924 925 "
    "926 927 928 929 930 933 934 936 938 940 941 943 944 946 947 948 949 950 951 952 953 "
    "955 956 957 958 959 960 961 962 963 964 965 967 968 969 970 971 972 973 975 976 977 "
    "978 979 980 981 984 985 986 990 994 997 999"
)
# UN/ECE Recommendation 21 package type codes with GS1 additions (PackageTypeCode code list),
# as in lint_packagetype.c.
_PACKAGE_TYPES = _code_list(
    "1A 1B 1D 1F 1G 1W 200 201 202 203 204 205 206 210 211 212 2C 3A 3H 43 44 4A 4B 4C 4D "
    "4F 4G 4H 5H 5L 5M 6H 6P 7A 7B 8 8A 8B 8C 9 AA AB AC AD AF AG AH AI AJ AL AM AP APE AT "
    "AV B4 BB BC BD BE BF BG BGE BH BI BJ BK BL BM BME BN BO BP BQ BR BRI BS BT BU BV BW BX "
    "BY BZ CA CB CBL CC CCE CD CE CF CG CH CI CJ CK CL CM CN CO CP CQ CR CS CT CU CV CW CX "
    "CY CZ DA DB DC DG DH DI DJ DK DL DM DN DP DPE DR DS DT DU DV DW DX DY E1 E2 E3 EC ED "
    "EE EF EG EH EI EN FB FC FD FE FI FL FO FOB FP FPE FR FT FW FX GB GI GL GR GU GY GZ HA "
    "HB HC HG HN HR IA IB IC ID IE IF IG IH IK IL IN IZ JB JC JG JR JT JY KG KI LAB LE LG "
    "LT LU LV LZ MA MB MC ME MPE MR MS MT MW MX NA NE NF NG NS NT NU NV OA OB OC OD OE OF "
    "OK OPE OT OU P2 PA PAE PB PC PD PE PF PG PH PI PJ PK PL PLP PN PO POP PP PPE PR PT PU "
    "PUE PV PX PY PZ QA QB QC QD QF QG QH QJ QK QL QM QN QP QQ QR QS RB1 RB2 RB3 RCB RD RG "
    "RJ RK RL RO RT RZ S1 SA SB SC SD SE SEC SH SI SK SL SM SO SP SS ST STL SU SV SW SX SY "
    "SZ T1 TB TC TD TE TEV TG THE TI TK TL TN TO TR TRE TS TT TTE TU TV TW TWE TY TZ UC UN "
    "UUE VA VG VI VK VL VN VO VP VQ VR VS VY WA WB WC WD WF WG WH WJ WK WL WM WN WP WQ WR "
    "WRP WS WT WU WV WW WX WY WZ X11 X12 X15 X16 X17 X18 X19 X20 X3 XA XB XC XD XF XG XH XJ "
    "XK YA YB YC YD YF YG YH YJ YK YL YM YN YP YQ YR YS YT YV YW YX YY YZ ZA ZB ZC ZD ZF ZG "
    "ZH ZJ ZK ZL ZM ZN ZP ZQ ZR ZS ZT ZU ZV ZW ZX ZY ZZ"
)
# AIDC media types: 01–10 ICCBBA assignments, 80–99 local/national use (lint_mediatype.c).
_MEDIA_TYPES = frozenset(f"{n:02d}" for n in (*range(1, 11), *range(80, 100)))


def lint_iso3166(value: str) -> LintFault | None:
    """An ISO 3166 numeric country code such as ``276`` (Germany)."""
    if value in _ISO3166:
        return None
    return LintFault("not_iso3166", 0, len(value), f"{value!r} is not an ISO 3166 country code")


def lint_iso3166999(value: str) -> LintFault | None:
    """An ISO 3166 numeric country code, or ``999`` (several countries)."""
    if value == "999" or value in _ISO3166:
        return None
    return LintFault(
        "not_iso3166_or_999", 0, len(value), f"{value!r} is not an ISO 3166 country code or 999"
    )


def lint_iso3166alpha2(value: str) -> LintFault | None:
    """An ISO 3166 two-letter country code such as ``DE``."""
    if value in _ISO3166_ALPHA2:
        return None
    return LintFault(
        "not_iso3166_alpha2", 0, len(value), f"{value!r} is not a two-letter country code"
    )


def lint_iso4217(value: str) -> LintFault | None:
    """An ISO 4217 numeric currency code such as ``978`` (euro)."""
    if value in _ISO4217:
        return None
    return LintFault("not_iso4217", 0, len(value), f"{value!r} is not an ISO 4217 currency code")


def lint_packagetype(value: str) -> LintFault | None:
    """A PackageTypeCode (UN/ECE Rec. 21 plus GS1 codes) such as ``BX``."""
    if value in _PACKAGE_TYPES:
        return None
    return LintFault("invalid_package_type", 0, len(value), f"{value!r} is not a package type")


def lint_mediatype(value: str) -> LintFault | None:
    """An AIDC media type (01–10, 80–99)."""
    if value in _MEDIA_TYPES:
        return None
    return LintFault("invalid_media_type", 0, len(value), f"{value!r} is not an AIDC media type")


def lint_iso5218(value: str) -> LintFault | None:
    """ISO/IEC 5218 biological sex: 0 not known, 1 male, 2 female, 9 not applicable."""
    if value in ("0", "1", "2", "9"):
        return None
    return LintFault("invalid_biological_sex_code", 0, len(value), "it must be 0, 1, 2 or 9")


# --------------------------------------------------------------------------- small value rules


def lint_yesno(value: str) -> LintFault | None:
    """A flag: ``0`` (no) or ``1`` (yes)."""
    if value in ("0", "1"):
        return None
    return LintFault("not_zero_or_one", 0, len(value), "it must be 0 or 1")


def lint_zero(value: str) -> LintFault | None:
    """Exactly ``0`` (the GRAI filler digit of AI 8003)."""
    if value == "0":
        return None
    return LintFault("not_zero", 0, len(value), "it must be 0")


def lint_nonzero(value: str) -> LintFault | None:
    """Digits whose value is not zero."""
    fault = non_digit_fault(value)
    if fault:
        return fault
    if value.strip("0"):
        return None
    return LintFault("illegal_zero_value", 0, len(value), "it must not be zero")


def lint_nozeroprefix(value: str) -> LintFault | None:
    """Digits that do not start with 0 (CPID serial, AI 8011)."""
    if value.startswith("0"):
        return LintFault("illegal_zero_prefix", 0, 1, "it must not start with 0")
    return non_digit_fault(value)


def lint_hasnondigit(value: str) -> LintFault | None:
    """Contains at least one character that is not a digit."""
    if any(char not in _DIGITS for char in value):
        return None
    return LintFault("requires_non_digit_character", 0, len(value), "it must contain a letter")


def lint_hyphen(value: str) -> LintFault | None:
    """Only hyphens (the negative-temperature flag of AIs 4330–4333)."""
    if value and not value.strip("-"):
        return None
    return LintFault("not_hyphen", 0, len(value), "it may only be '-'")


def lint_winding(value: str) -> LintFault | None:
    """Roll winding direction: 0 face out, 1 face in, 9 undefined."""
    if value in ("0", "1", "9"):
        return None
    return LintFault("invalid_winding_direction", 0, len(value), "it must be 0, 1 or 9")


def lint_pcenc(value: str) -> LintFault | None:
    """Valid percent-encoding: every ``%`` is followed by two hexadecimal digits."""
    index = value.find("%")
    while index >= 0:
        if index + 2 >= len(value):
            return LintFault(
                "invalid_percent_sequence", index, len(value) - index, "a '%' escape is cut short"
            )
        pair = value[index + 1 : index + 3]
        if any(char not in "0123456789abcdefABCDEF" for char in pair):
            return LintFault(
                "invalid_percent_sequence", index, 3, f"'%{pair}' is not a valid '%' escape"
            )
        index = value.find("%", index + 3)
    return None


def lint_latitude(value: str) -> LintFault | None:
    """Latitude as 10 digits, 0000000000–1800000000 (offset by 90°)."""
    if len(value) != 10:
        return LintFault("latitude_invalid_length", 0, len(value), "a latitude needs 10 digits")
    fault = non_digit_fault(value)
    if fault:
        return fault
    if int(value) > 1800000000:
        return LintFault("invalid_latitude", 0, 10, "the latitude is out of range")
    return None


def lint_longitude(value: str) -> LintFault | None:
    """Longitude as 10 digits, 0000000000–3600000000 (offset by 180°)."""
    if len(value) != 10:
        return LintFault("longitude_invalid_length", 0, len(value), "a longitude needs 10 digits")
    fault = non_digit_fault(value)
    if fault:
        return fault
    if int(value) > 3600000000:
        return LintFault("invalid_longitude", 0, 10, "the longitude is out of range")
    return None


def lint_pieceoftotal(value: str) -> LintFault | None:
    """Piece number then total, equal widths, neither zero, piece ≤ total (``0103``)."""
    fault = non_digit_fault(value)
    if fault:
        return fault
    if not value or len(value) % 2:
        return LintFault(
            "invalid_length_for_piece_of_total", 0, len(value), "it needs an even number of digits"
        )
    half = len(value) // 2
    piece, total = value[:half], value[half:]
    if not piece.strip("0"):
        return LintFault("zero_piece_number", 0, half, "the piece number is zero")
    if not total.strip("0"):
        return LintFault("zero_total_pieces", half, half, "the total number of pieces is zero")
    if piece > total:
        return LintFault(
            "piece_number_exceeds_total", 0, len(value), "the piece number exceeds the total"
        )
    return None


def lint_posinseqslash(value: str) -> LintFault | None:
    """Position in a sequence, ``<pos>/<end>`` without leading zeros, pos ≤ end (``2/3``)."""
    position, slash, end = value.partition("/")
    if not (
        slash and position.isdigit() and end.isdigit() and position.isascii() and end.isascii()
    ):
        return LintFault("position_in_sequence_malformed", 0, len(value), "it must read like 2/3")
    if position.startswith("0"):
        return LintFault("illegal_zero_prefix", 0, len(position), "the position starts with 0")
    if end.startswith("0"):
        return LintFault(
            "illegal_zero_prefix", len(position) + 1, len(end), "the end number starts with 0"
        )
    if (len(position), position) > (len(end), end):
        return LintFault("position_exceeds_end", 0, len(value), "the position exceeds the end")
    return None


_IMPORTER_INDEX = frozenset("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")


def lint_importeridx(value: str) -> LintFault | None:
    """EU 2018/574 importer index: one character from ``-0-9A-Z_a-z``."""
    if len(value) != 1:
        return LintFault(
            "importer_idx_must_be_one_character", 0, len(value), "it must be one character"
        )
    if value in _IMPORTER_INDEX:
        return None
    return LintFault(
        "invalid_import_idx_character", 0, 1, f"{value!r} is not a valid importer index"
    )


_IBAN_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_IBAN_MIN_LENGTH = 10  # no clear minimum; the reference requires more than ten characters


def lint_iban(value: str) -> LintFault | None:
    """International Bank Account Number (ISO 13616): country code and mod-97 check."""
    if len(value) <= _IBAN_MIN_LENGTH:
        return LintFault("iban_too_short", 0, len(value), "it is too short for an IBAN")
    index = _first_outside(value, _IBAN_CHARS)
    if index >= 0:
        return LintFault(
            "invalid_iban_character", index, 1, f"{value[index]!r} cannot appear in an IBAN"
        )
    if value[:2] not in _ISO3166_ALPHA2:
        return LintFault("illegal_iban_country_code", 0, 2, f"{value[:2]!r} is not a country code")
    rearranged = value[4:] + value[:4]
    if int("".join(str(int(char, 36)) for char in rearranged)) % 97 != 1:
        return LintFault("incorrect_iban_checksum", 2, 2, "the IBAN check digits are wrong")
    return None
