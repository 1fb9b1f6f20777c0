"""Words for the codes a trace or recall shows: business steps, dispositions, kinds, statuses.

EPCIS vocabulary (``receiving``, ``in_transit`` …) is for machines; people read "Received",
"In transit". Unknown codes are shown as they are (plain text), never dropped.
"""

from __future__ import annotations

from ui.qt import QObject

__all__ = ["Words"]


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
