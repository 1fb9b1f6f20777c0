"""Words for the codes the screens show: business steps, dispositions, kinds, statuses, roles,
lot states, device states and kinds.

EPCIS vocabulary (``receiving``, ``in_transit`` …) is for machines; people read "Received",
"In transit". The same goes for role keys (``qa`` → "QA manager") and lot states
(``ACCEPTED`` → "Accepted"). Unknown codes are shown as they are (plain text), never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

from station.access import ROLE_TITLES, ROLES
from ui.qt import QObject

__all__ = ["Words", "role_title", "role_titles"]


def role_title(role: str) -> str:
    """One role's title in the UI language: the one helper every screen shows roles with."""
    return Words().role(role)


def role_titles(roles: Iterable[str]) -> str:
    """Roles as a list of titles, in the policy's order (unknown roles last, sorted)."""
    given = set(roles)
    ordered = [r for r in ROLES if r in given] + sorted(given - set(ROLES))
    words = Words()
    return ", ".join(words.role(role) for role in ordered)


class Words(QObject):
    """Translated words (Qt context ``Words``)."""

    def biz_step(self, step: str | None) -> str:
        words = {
            "receiving": self.tr("Received"),
            "inspecting": self.tr("Inspected"),
            "commissioning": self.tr("Commissioned"),
            "packing": self.tr("Packed"),
            "unpacking": self.tr("Unpacked"),
            "shipping": self.tr("Shipped"),
            "holding": self.tr("Hold or release"),
            "transforming": self.tr("Made"),
            "decommissioning": self.tr("Decommissioned"),
        }
        return words.get(step or "", step or "")

    def disposition(self, disposition: str | None) -> str:
        words = {
            "in_progress": self.tr("in progress"),
            "conformant": self.tr("conformant"),
            "non_conformant": self.tr("non-conformant"),
            "active": self.tr("active"),
            "in_transit": self.tr("in transit"),
            "returned": self.tr("returned"),
            "recalled": self.tr("recalled"),
            "container_closed": self.tr("container closed"),
            "inactive": self.tr("inactive"),
        }
        return words.get(disposition or "", disposition or "")

    def kind(self, kind: str) -> str:
        words = {
            "unit": self.tr("Unit"),
            "lot": self.tr("Lot"),
            "container": self.tr("Case/pallet"),
            "party": self.tr("Party"),
            "product": self.tr("Product"),
        }
        return words.get(kind, kind)

    def status(self, status: str) -> str:
        words = {
            "in_stock": self.tr("In stock"),
            "shipped": self.tr("Shipped"),
            "returned": self.tr("Returned"),
            "on_hold": self.tr("On hold"),
        }
        return words.get(status, status)

    def meaning(self, meaning: str) -> str:
        words = {
            "reviewed": self.tr("Reviewed"),
            "approved": self.tr("Approved"),
            "released": self.tr("Released"),
            "rejected": self.tr("Rejected"),
        }
        return words.get(meaning, meaning)

    def signature_status(self, status: str) -> str:
        words = {
            "valid": self.tr("verifies"),
            "invalid": self.tr("DOES NOT VERIFY"),
            "unverified": self.tr("not verified"),
        }
        return words.get(status, status)

    def signature_problem(self, problem: str) -> str:
        words = {
            "record_changed": self.tr("the record changed after signing"),
            "record_voided": self.tr("the record was declared in error"),
            "bad_signature": self.tr("the signature does not match"),
            "wrong_record": self.tr("signed for another record"),
            "unknown_key": self.tr("unknown signing key"),
        }
        return words.get(problem, problem)

    def role(self, role: str) -> str:
        """A role's title (the policy file's English title for a role the UI does not know)."""
        words = {
            "operator": self.tr("Operator"),
            "inspector": self.tr("Inspector"),
            "supervisor": self.tr("Supervisor"),
            "qa": self.tr("QA manager"),
            "admin": self.tr("Administrator"),
        }
        return words.get(role) or ROLE_TITLES.get(role, role)

    def lot_state(self, state: str | None) -> str:
        """A lot's life-cycle state (``station.services.lotrules.LotState``)."""
        words = {
            "RECEIVED": self.tr("Received, not yet accepted"),
            "IN_INSPECTION": self.tr("In inspection"),
            "ACCEPTED": self.tr("Accepted"),
            "REJECTED": self.tr("Rejected"),
            "QUARANTINE": self.tr("Quarantined"),
            "LABELLED": self.tr("Labelled"),
            "SHIPPED": self.tr("Shipped"),
        }
        return words.get(state or "", state or "")

    def device_state(self, state: str) -> str:
        """A scanner's or camera's connection state (``PortState``, ``CameraState``)."""
        words = {
            "connected": self.tr("connected"),
            "connecting": self.tr("connecting…"),
            "disconnected": self.tr("disconnected – retrying"),
            "stopped": self.tr("stopped"),
            "finished": self.tr("finished (end of the video)"),
        }
        return words.get(state, state)

    def scanner_kind(self, kind: str) -> str:
        """The ``scanner.kind`` setting."""
        words = {
            "keyboard": self.tr("keyboard (wedge)"),
            "serial": self.tr("serial port"),
            "simulated": self.tr("simulated"),
            "none": self.tr("none"),
        }
        return words.get(kind, kind)

    def camera_kind(self, kind: str) -> str:
        """The ``camera.kind`` setting."""
        words = {
            "device": self.tr("camera"),
            "simulated": self.tr("simulated"),
            "none": self.tr("none"),
        }
        return words.get(kind, kind)

    def scan_end(self, end: str) -> str:
        """What ends a scan: ``wedge.terminator`` and ``scanner.terminator`` values."""
        words = {
            "enter": self.tr("Enter"),
            "tab": self.tr("Tab"),
            "cr": self.tr("CR"),
            "lf": self.tr("LF"),
            "crlf": self.tr("CR LF"),
            "auto": self.tr("CR, LF or CR LF"),
            "none": self.tr("a pause"),
        }
        return words.get(end, end)
