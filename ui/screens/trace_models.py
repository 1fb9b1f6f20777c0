"""The Trace screen's models: the timeline table and the genealogy tree.

Every value from the ledger or master data is untrusted text: models hand it to the views
through :func:`ui.display.visible` (bidi controls and invisible characters become markers) as
DisplayRole text, which item delegates paint as plain text; nothing becomes a tooltip.
"""

from __future__ import annotations

from station.ledger.audit_query import local_time
from station.trace.model import TimelineEntry
from station.trace.resolve import parts_of
from station.trace.signed import SignatureLine
from station.trace.tree import SHIPPED_TO, SUPPLIER, Genealogy, TreeNode
from station.trace.view import TraceView
from ui.display import visible
from ui.qt import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStandardItem,
    QStandardItemModel,
    Qt,
)
from ui.screens.words import Words

__all__ = ["GenealogyModel", "TimelineModel", "short_id"]

WHEN, WHAT, WHO, WHERE, VIA, SIGNED = range(6)
#: Item data role holding a tree node's URI (tests and "trace this" use it).
URI_ROLE = Qt.ItemDataRole.UserRole + 1


def short_id(uri: str) -> str:
    """The part of an identifier URI a person reads: ``…/21/SN001`` → ``SN001`` etc. The
    words ``lot`` and ``SN`` are translated (context ``Words``); the codes stay as they are.

    >>> short_id("https://id.gs1.org/01/06901234000115/10/D260302")
    'GTIN 06901234000115 · lot D260302'
    >>> short_id("https://id.gs1.org/00/369012340000000017")
    'SSCC 369012340000000017'
    """
    parts = parts_of(uri)
    if parts is None:
        return uri
    if parts.sscc:
        return f"SSCC {parts.sscc}"
    head = f"GTIN {parts.gtin}" if parts.gtin else f"DI {parts.di}" if parts.di else ""
    lot, serial = (
        QCoreApplication.translate("Words", "lot"),
        QCoreApplication.translate("Words", "SN"),
    )
    for label, value in ((lot, parts.lot), (serial, parts.serial)):
        if value:
            head = f"{head} · {label} {value}" if head else f"{label} {value}"
    return head or uri


class TimelineModel(QAbstractTableModel):
    """One row per event, oldest first: when, what, who, where, via, signatures."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.words = Words(self)
        self.rows: list[TimelineEntry] = []
        self.signatures: dict[str, tuple[SignatureLine, ...]] = {}
        self.places: dict[str, str] = {}
        self._headers = (
            self.tr("When"),
            self.tr("What"),
            self.tr("Who"),
            self.tr("Where"),
            self.tr("Through"),
            self.tr("Signatures"),
        )

    def show(self, view: TraceView | None) -> None:
        self.beginResetModel()
        self.rows = list(view.result.timeline) if view else []
        self.signatures = dict(view.signatures) if view else {}
        self.places = dict(view.places) if view else {}
        self.endResetModel()

    def rowCount(  # noqa: N802 - Qt's name
        self, parent: QModelIndex | QPersistentModelIndex | None = None
    ) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.rows)

    def columnCount(  # noqa: N802 - Qt's name
        self, parent: QModelIndex | QPersistentModelIndex | None = None
    ) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._headers)

    def headerData(  # noqa: N802 - Qt's name
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None

    def what(self, entry: TimelineEntry) -> str:
        step = self.words.biz_step(entry.biz_step) or entry.event_type
        disposition = self.words.disposition(entry.disposition)
        text = f"{step} — {disposition}" if disposition else step
        if entry.declared_in_error:
            text += " " + self.tr("[declared in error]")
        if entry.entry_method == "manual":
            text += " " + self.tr("[typed by hand]")
        return text

    def who(self, entry: TimelineEntry) -> str:
        """The printed name with the user id (the id is what the records hold), and where."""
        if entry.actor is None:
            who = self.tr("system")
        elif entry.actor_name:
            who = f"{entry.actor_name} ({entry.actor})"
        else:
            who = entry.actor
        return f"{who} @ {entry.station}" if entry.station else who

    def via(self, entry: TimelineEntry) -> str:
        """Why the event is in this history: the item itself, its lot or a container."""
        if entry.via == "self":
            return self.tr("this item")
        kind, _, uri = entry.via.partition(" ")  # "lot URI", "container URI": the id says which
        return short_id(uri) if kind in ("lot", "container") and uri else entry.via

    def where(self, entry: TimelineEntry) -> str:
        uri = entry.biz_location or entry.read_point
        if uri is None:
            return ""
        return self.places.get(uri) or uri.rsplit(":", 1)[-1]

    def signature_lines(self, entry: TimelineEntry) -> list[str]:
        """Each signature in words: name, meaning, date and time with zone, verification."""
        return [
            self.tr("{name} — {meaning} — {when} — {status}").format(
                name=sig.printed_name,
                meaning=self.words.meaning(sig.meaning),
                when=sig.signed_at,
                status=self.words.signature_status(sig.status)
                + (f" ({self.words.signature_problem(sig.detail)})" if sig.detail else ""),
            )
            for sig in self.signatures.get(entry.event_id, ())
        ]

    def cell(self, row: int, column: int) -> str:
        entry = self.rows[row]
        if column == WHEN:
            return local_time(entry.event_time, entry.event_tz_offset)
        if column == WHAT:
            return self.what(entry)
        if column == WHO:
            return self.who(entry)
        if column == WHERE:
            return self.where(entry)
        if column == VIA:
            return self.via(entry)
        lines = self.signature_lines(entry)
        return "; ".join(lines)

    def data(
        self,
        index: QModelIndex | QPersistentModelIndex,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return visible(" ".join(self.cell(index.row(), index.column()).split()))
        if role == Qt.ItemDataRole.UserRole:
            return self.rows[index.row()].event_id
        return None


class GenealogyModel(QStandardItemModel):
    """Two branches: what the code was made from (back to suppliers) and where it went."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.words = Words(self)
        self.setHorizontalHeaderLabels([self.tr("Genealogy")])

    def show(self, tree: Genealogy | None) -> None:
        self.clear()
        self.setHorizontalHeaderLabels([self.tr("Genealogy")])
        if tree is None:
            return
        for title, roots in (
            (self.tr("Made from (back to the suppliers)"), tree.backward),
            (self.tr("Made into, packed in, shipped to (forward to the customers)"), tree.forward),
        ):
            branch = self._item(title)
            for root in roots:
                branch.appendRow(self._node(root))
            self.appendRow(branch)

    def _item(self, text: str, uri: str | None = None) -> QStandardItem:
        item = QStandardItem(visible(text))
        item.setEditable(False)
        if uri is not None:
            item.setData(uri, URI_ROLE)
        return item

    def label(self, node: TreeNode) -> str:
        if node.role == SUPPLIER:
            text = self.tr("Supplier: {name}").format(name=node.name or node.uri)
        elif node.role == SHIPPED_TO:
            text = self.tr("Shipped to {name} on {when}").format(
                name=node.name or node.uri, when=node.note or "?"
            )
        else:
            text = f"{self.words.kind(node.kind)}: {short_id(node.uri)}"
            if node.name:
                text += f" ({node.name})"
        if node.seen:
            text += " " + self.tr("(shown above)")
        return text

    def _node(self, node: TreeNode) -> QStandardItem:
        item = self._item(self.label(node), node.uri)
        for child in node.children:
            item.appendRow(self._node(child))
        if node.hidden:
            item.appendRow(self._item(self.tr("… {n} more").format(n=node.hidden)))
        return item

    def texts(self) -> list[str]:
        """Every row's text, depth first (tests)."""
        found: list[str] = []

        def walk(parent: QStandardItem) -> None:
            for row in range(parent.rowCount()):
                child = parent.child(row)
                found.append(child.text())
                walk(child)

        walk(self.invisibleRootItem())
        return found

    def uris(self) -> set[str]:
        found: set[str] = set()

        def walk(parent: QStandardItem) -> None:
            for row in range(parent.rowCount()):
                child = parent.child(row)
                uri = child.data(URI_ROLE)
                if isinstance(uri, str):
                    found.add(uri)
                walk(child)

        walk(self.invisibleRootItem())
        return found
