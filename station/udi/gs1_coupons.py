"""GS1 coupon linters (AIs 8110 and 8112): the North American coupon code structures.

Separate from :mod:`station.udi.gs1_linters` because they are long and no device label uses
them; the Syntax Dictionary names them, so the station validates them like every other AI.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from station.udi.gs1_linters import LintFault, lint_key, lint_yymmdd, non_digit_fault


class _Coupon:
    """A cursor over an all-digit coupon code; each step returns a fault or None."""

    def __init__(self, data: str) -> None:
        self.data = data
        self.pos = 0

    def at_end(self) -> bool:
        return self.pos >= len(self.data)

    def peek(self) -> str:
        return self.data[self.pos]

    def missing(self, rule: str, what: str) -> LintFault:
        return LintFault(rule, 0, len(self.data), f"the {what} is missing")

    def truncated(self, rule: str, what: str) -> LintFault:
        if self.at_end():
            return LintFault(rule, 0, len(self.data), f"the {what} is cut short")
        return LintFault(rule, self.pos, len(self.data) - self.pos, f"the {what} is cut short")

    def invalid(self, rule: str, what: str) -> LintFault:
        return LintFault(rule, self.pos, 1, f"the {what} {self.peek()!r} is not valid")

    def take(self, length: int, rule: str, what: str) -> LintFault | None:
        if len(self.data) - self.pos < length:
            return self.truncated(rule, what)
        self.pos += length
        return None

    def vli_field(
        self,
        allowed: str,
        extra: int,
        names: tuple[str, str, str],
        what: str,
        *,
        nine_is_none: bool = False,
    ) -> tuple[LintFault | None, str]:
        """A length indicator digit from ``allowed`` then ``digit + extra`` characters."""
        missing, invalid, truncated = names
        if self.at_end():
            return self.missing(missing, f"{what} length"), ""
        if self.peek() not in allowed:
            return self.invalid(invalid, f"{what} length"), ""
        length = 0 if nine_is_none and self.peek() == "9" else int(self.peek()) + extra
        self.pos += 1
        start = self.pos
        fault = self.take(length, truncated, what)
        return fault, self.data[start : self.pos]

    def gcp(
        self, allowed: str, names: tuple[str, str, str], what: str, *, nine_is_none: bool = False
    ) -> LintFault | None:
        """A company prefix: VLI digit then digit + 6 characters (VLI 9: no prefix, if allowed)."""
        start = self.pos + 1
        fault, prefix = self.vli_field(allowed, 6, names, what, nine_is_none=nine_is_none)
        if fault:
            return fault
        if prefix:
            key_fault = lint_key(prefix)
            if key_fault:
                return LintFault(key_fault.rule, start, len(prefix), key_fault.reason)
        return None

    def code_digit(self, allowed: str, names: tuple[str, str], what: str) -> LintFault | None:
        missing, invalid = names
        if self.at_end():
            return self.missing(missing, what)
        if self.peek() not in allowed:
            return self.invalid(invalid, what)
        self.pos += 1
        return None

    def purchase(self, ordinal: str) -> LintFault | None:
        """Requirement (VLI 1–5 + digits), requirement code (0–4, 9), family code (3)."""
        upper = ordinal.upper()
        fault, _ = self.vli_field(
            "12345",
            0,
            (
                f"coupon_missing_{ordinal}_purchase_requirement_vli",
                f"coupon_invalid_{ordinal}_purchase_requirement_length",
                f"coupon_truncated_{ordinal}_purchase_requirement",
            ),
            f"{upper} purchase requirement",
        )
        if fault:
            return fault
        fault = self.code_digit(
            "012349",
            (
                f"coupon_missing_{ordinal}_purchase_requirement_code",
                f"coupon_invalid_{ordinal}_purchase_requirement_code",
            ),
            f"{upper} purchase requirement code",
        )
        if fault:
            return fault
        return self.take(3, f"coupon_truncated_{ordinal}_purchase_family_code", "family code")

    def coupon_date(self, reference: date, rule: str, what: str) -> tuple[LintFault | None, str]:
        self.pos += 1
        if len(self.data) - self.pos < 6:
            return self.truncated(f"coupon_too_short_for_{rule}", what), ""
        digits = self.data[self.pos : self.pos + 6]
        if lint_yymmdd(digits, reference):
            return LintFault(f"coupon_invalid_{rule}", self.pos, 6, f"the {what} is not valid"), ""
        self.pos += 6
        return None, digits


def lint_couponcode(value: str, reference: date) -> LintFault | None:
    """North American Coupon Code (AI 8110), as in lint_couponcode.c."""
    fault = non_digit_fault(value)
    if fault:
        return fault
    cur = _Coupon(value)
    gcp_names = (
        "coupon_missing_gcp_vli",
        "coupon_invalid_gcp_length",
        "coupon_truncated_gcp",
    )
    steps: list[Callable[[], LintFault | None]] = [
        lambda: cur.gcp("0123456", gcp_names, "company prefix"),
        lambda: cur.take(6, "coupon_truncated_offer_code", "offer code"),
        lambda: cur.vli_field(
            "12345",
            0,
            (
                "coupon_missing_save_value_vli",
                "coupon_invalid_save_value_length",
                "coupon_truncated_save_value",
            ),
            "save value",
        )[0],
        lambda: cur.purchase("1st"),
    ]
    for step in steps:
        fault = step()
        if fault:
            return fault
    if not cur.at_end() and cur.peek() == "1":  # optional field 1: rules and 2nd purchase
        cur.pos += 1
        fault = cur.code_digit(
            "0123",
            (
                "coupon_missing_additional_purchase_rules_code",
                "coupon_invalid_additional_purchase_rules_code",
            ),
            "additional purchase rules code",
        )
        fault = fault or cur.purchase("2nd") or _coupon_gcp_or_none(cur, "2nd")
        if fault:
            return fault
    if not cur.at_end() and cur.peek() == "2":  # optional field 2: 3rd purchase
        cur.pos += 1
        fault = cur.purchase("3rd") or _coupon_gcp_or_none(cur, "3rd")
        if fault:
            return fault
    expiry = ""
    if not cur.at_end() and cur.peek() == "3":  # optional field 3: expiration date
        fault, expiry = cur.coupon_date(reference, "expiration_date", "expiration date")
        if fault:
            return fault
    if not cur.at_end() and cur.peek() == "4":  # optional field 4: start date
        fault, start = cur.coupon_date(reference, "start_date", "start date")
        if fault:
            return fault
        if expiry and start > expiry:
            return LintFault(
                "coupon_expiration_before_start",
                cur.pos - 14,
                14,
                "the expiration date is before the start date",
            )
    fault = _coupon_tail(cur)
    if fault:
        return fault
    if not cur.at_end():
        return LintFault(
            "coupon_excess_data", cur.pos, len(value) - cur.pos, "it has data left over"
        )
    return None


def _coupon_gcp_or_none(cur: _Coupon, ordinal: str) -> LintFault | None:
    """A purchase's company prefix: VLI 0–6 (+6 digits) or 9 (none)."""
    return cur.gcp(
        "01234569",
        (
            f"coupon_missing_{ordinal}_purchase_gcp_vli",
            f"coupon_invalid_{ordinal}_purchase_gcp_length",
            f"coupon_truncated_{ordinal}_purchase_gcp",
        ),
        f"{ordinal} purchase company prefix",
        nine_is_none=True,
    )


def _coupon_tail(cur: _Coupon) -> LintFault | None:
    """Optional fields 5 (serial), 6 (retailer GCP/GLN) and 9 (miscellaneous)."""
    if not cur.at_end() and cur.peek() == "5":
        cur.pos += 1
        fault, _ = cur.vli_field(
            "0123456789",
            6,
            (
                "coupon_missing_serial_number_vli",
                "coupon_missing_serial_number_vli",
                "coupon_truncated_serial_number",
            ),
            "serial number",
        )
        if fault:
            return fault
    if not cur.at_end() and cur.peek() == "6":
        cur.pos += 1
        fault = cur.gcp(
            "1234567",
            (
                "coupon_missing_retailer_gcp_or_gln_vli",
                "coupon_invalid_retailer_gcp_or_gln_length",
                "coupon_truncated_retailer_gcp_or_gln",
            ),
            "retailer company prefix or GLN",
        )
        if fault:
            return fault
    if not cur.at_end() and cur.peek() == "9":
        cur.pos += 1
        checks = (
            ("01256", "save_value_code", "save value code"),
            ("012", "save_value_applies_to_item", "save value applies-to-item"),
            ("0123456789", "store_coupon_flag", "store coupon flag"),
            ("01", "dont_multiply_flag", "don't-multiply flag"),
        )
        for allowed, rule, what in checks:
            fault = cur.code_digit(
                allowed, (f"coupon_missing_{rule}", f"coupon_invalid_{rule}"), what
            )
            if fault:
                return fault
    return None


def lint_couponposoffer(value: str) -> LintFault | None:
    """Positive offer file coupon code (AI 8112), as in lint_couponposoffer.c."""
    fault = non_digit_fault(value)
    if fault:
        return fault
    cur = _Coupon(value)
    fault = cur.code_digit(
        "01", ("coupon_missing_format_code", "coupon_invalid_format_code"), "format code"
    )
    if fault:
        return fault
    fault, _ = cur.vli_field(
        "0123456",
        6,
        (
            "coupon_missing_funder_vli",
            "coupon_invalid_funder_length",
            "coupon_truncated_funder",
        ),
        "funder ID",
    )
    fault = fault or cur.take(6, "coupon_truncated_offer_code", "offer code")
    if fault:
        return fault
    fault, _ = cur.vli_field(
        "0123456789",
        6,
        (
            "coupon_missing_serial_number_vli",
            "coupon_missing_serial_number_vli",
            "coupon_truncated_serial_number",
        ),
        "serial number",
    )
    if fault:
        return fault
    if not cur.at_end():
        return LintFault(
            "coupon_excess_data", cur.pos, len(value) - cur.pos, "it has data left over"
        )
    return None
