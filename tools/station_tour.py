"""Drive a demo station window through every screen with real content, without pytest.

Used by :mod:`tools.screenshots` (a picture of each screen) and by the layout tests
(``tests/ui/test_layout_zh.py``: nothing clipped, nothing left untranslated). Each screen is
opened by a demo user whose role allows it, signed in through the sign-in page as at the
station, and given a realistic scan found in the demo database (a PO and a supplier label for
goods-in, the newest accepted lot for QC, a case's SSCC for packing …); the tour then runs the
event loop until the screen's background reads have answered.

Nothing here writes a record except what the screens themselves write for such scans (the
sign-ins, and an audited refusal where a scan is refused).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from station.scanning.raw import RawScan
from ui.qt import QDockWidget, QEventLoop, QTimer

if TYPE_CHECKING:
    from ui.app import StationGui

__all__ = [
    "ROLE_SCREENS",
    "SCREEN_USERS",
    "TourError",
    "hide_docks",
    "identify",
    "settle",
    "sign_in",
    "spin_until",
    "stage",
    "tour",
]

GS = b"\x1d"
#: A GS1 DataMatrix UDI with every key field, as the demo scanner sends it (Identify).
IDENTIFY_SCAN = b"]d20104012345123456112501151726123110LOT-A1" + GS + b"21SN0001"
#: Where the demo's scans come from (a scanner, so nothing counts as typed by hand).
SOURCE = "simulated:tour"
#: The role screens, in navigation order.
ROLE_SCREENS = (
    "goods_in",
    "qc_bench",
    "packing",
    "shipping",
    "trace",
    "recall",
    "audit",
    "admin",
)
#: Who opens each screen: a demo user whose role allows it (``ui.demo_station.DEMO_USERS``).
SCREEN_USERS = {
    "goods_in": "wang",  # operator
    "qc_bench": "li",  # inspector
    "packing": "wang",
    "shipping": "wang",
    "trace": "sun",  # QA manager
    "recall": "sun",
    "audit": "sun",
    "admin": "admin",
}
#: How long one wait (sign-in, a screen's reads) may take.
TIMEOUT_SECONDS = 60.0


class TourError(RuntimeError):
    """A screen did not reach the expected state in time (or the demo lacks the data)."""


def spin_until(predicate: Callable[[], bool], what: str, timeout: float = TIMEOUT_SECONDS) -> None:
    """Run the event loop until ``predicate()`` holds; :class:`TourError` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            msg = f"timed out after {timeout:.0f} s waiting for {what}"
            raise TourError(msg)
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()


def settle(rounds: int = 5) -> None:
    """A few event-loop turns: layouts and deferred updates after the last answer."""
    for _ in range(rounds):
        loop = QEventLoop()
        QTimer.singleShot(10, loop.quit)
        loop.exec()


def hide_docks(gui: StationGui) -> None:
    """Hide the camera and simulator docks, so the screen has the whole window."""
    for dock in gui.window.findChildren(QDockWidget):
        dock.hide()


def sign_in(gui: StationGui, username: str) -> None:
    """Sign a demo user in through the sign-in page (badge or user name, then PIN or
    password), as ``tests/ui/helpers.sign_in`` does; whoever was signed in signs out first."""
    from ui.demo_station import DEMO_USERS  # noqa: PLC0415 - with the window

    work, workstation = gui.work, gui.workstation
    if work is None or workstation is None:
        msg = "the window has no workstation (build it with demo=True)"
        raise TourError(msg)
    session = workstation.session
    if session is not None:
        if getattr(session, "username", None) == username:
            return
        work.guard.sign_out()
    user = next(u for u in DEMO_USERS if u.username == username)
    page = work.sign_in
    work.guard.show_sign_in()
    if user.badge:
        page.take_badge(user.badge)
    else:
        page.username.setText(user.username)
    page.secret.setText(user.secret)
    page.submit()
    spin_until(lambda: workstation.session is not None, f"{username} to be signed in")


def _scan(gui: StationGui, raw: bytes) -> None:
    gui.window.route_scan(RawScan.now(raw, SOURCE))


def _rows(gui: StationGui, sql: str, **params: object) -> list[Any]:
    workstation = gui.workstation
    assert workstation is not None
    with workstation.store.engine.connect() as conn:
        return list(conn.execute(sa.text(sql), params).all())


def _first(gui: StationGui, sql: str, what: str, **params: object) -> Any:
    rows = _rows(gui, sql, **params)
    if not rows:
        msg = f"the demo database has no {what}"
        raise TourError(msg)
    return rows[0]


def _floor_idle(screen: Any) -> Callable[[], bool]:
    return lambda: screen.reader.pending == 0 and screen.writes_pending == 0


def _open(gui: StationGui, screen_id: str) -> Any:
    if not gui.window.show_screen(screen_id):
        msg = f"{SCREEN_USERS[screen_id]} may not open {screen_id}"
        raise TourError(msg)
    return gui.window.screens[screen_id]


# -- each screen ---------------------------------------------------------------------------


def _goods_in(gui: StationGui) -> None:
    """A PO of a qualified supplier, then a supplier label for a new lot of its product."""
    screen = _open(gui, "goods_in")
    spin_until(_floor_idle(screen), "the open POs")
    po, gtin, code = _first(
        gui,
        "SELECT po.number, p.di, s.code FROM purchase_order po "
        "JOIN po_line l ON l.po_id = po.id JOIN product p ON p.id = l.product_id "
        "JOIN supplier s ON s.id = po.supplier_id "
        "WHERE po.status = 'open' AND s.qualification = 'qualified' AND s.active "
        "ORDER BY po.number LIMIT 1",
        "open PO of a qualified supplier",
    )
    _scan(gui, b"]C0" + po.encode())
    spin_until(lambda: screen.po == po and _floor_idle(screen)(), f"PO {po}")
    known = {row[0] for row in _rows(gui, "SELECT lot FROM item_state WHERE gtin = :g", g=gtin)}
    today = datetime.now().astimezone().date()
    prefix = code.rsplit("-", 1)[-1][:2] or "L"
    lot = next(
        f"{prefix}{today:%y%m}{n:02d}"
        for n in range(1, 100)
        if f"{prefix}{today:%y%m}{n:02d}" not in known
    )
    expiry = today + timedelta(days=730)
    label = f"]d201{gtin}17{expiry:%y%m%d}10{lot}".encode() + GS + b"30120"
    _scan(gui, label)
    spin_until(lambda: screen.verdict is not None and _floor_idle(screen)(), "the receiving checks")


def _qc_bench(gui: StationGui) -> None:
    """The newest accepted lot: its plan's checkpoints, last inspection and history."""
    screen = _open(gui, "qc_bench")
    gtin, lot = _first(
        gui,
        "SELECT i.gtin, i.lot FROM lot_state s JOIN item_state i ON i.uri = s.lot_uri "
        "WHERE s.state = 'ACCEPTED' ORDER BY s.last_event_seq DESC LIMIT 1",
        "accepted lot",
    )
    _scan(gui, f"]d201{gtin}10{lot}".encode())
    spin_until(
        lambda: screen.lookup is not None and screen.lookup.target is not None,
        f"the QC lookup of {lot}",
    )


def _packing(gui: StationGui) -> None:
    """A case in stock: its SSCC shows what is packed inside."""
    screen = _open(gui, "packing")
    (sscc_uri,) = _first(
        gui,
        "SELECT c.uri FROM item_state c WHERE c.kind = 'sscc' AND c.status = 'in_stock' "
        "AND EXISTS (SELECT 1 FROM item_state u WHERE u.parent_uri = c.uri AND u.kind = 'sgtin') "
        "ORDER BY c.uri LIMIT 1",
        "case in stock",
    )
    sscc = sscc_uri.rsplit("/", 1)[-1]
    _scan(gui, f"]d200{sscc}".encode())
    spin_until(
        lambda: screen.viewed is not None and _floor_idle(screen)(), f"the content of {sscc}"
    )


def _shipping(gui: StationGui) -> None:
    """An open SO for the product in stock, then the pallet (or case) holding it."""
    screen = _open(gui, "shipping")
    spin_until(_floor_idle(screen), "the open SOs")
    so, sscc_uri = _first(
        gui,
        "SELECT so.number, top.uri FROM item_state u "
        "JOIN item_state c ON c.uri = u.parent_uri "
        "JOIN item_state top ON top.uri = COALESCE(c.parent_uri, c.uri) "
        "JOIN product p ON p.di = u.gtin JOIN so_line l ON l.product_id = p.id "
        "JOIN sales_order so ON so.id = l.so_id "
        "WHERE u.kind = 'sgtin' AND u.status = 'in_stock' AND NOT u.on_hold "
        "AND top.status = 'in_stock' AND so.status = 'open' "
        "ORDER BY so.number, top.uri LIMIT 1",
        "open SO for a product in stock",
    )
    _scan(gui, b"]C0" + so.encode())
    spin_until(lambda: screen.so == so and _floor_idle(screen)(), f"SO {so}")
    _scan(gui, f"]d200{sscc_uri.rsplit('/', 1)[-1]}".encode())
    spin_until(_floor_idle(screen), "the shipping check")


def _trace(gui: StationGui) -> None:
    """A shipped unit: its timeline and genealogy, back to suppliers, forward to customers."""
    screen = _open(gui, "trace")
    gtin, serial = _first(
        gui,
        "SELECT gtin, serial FROM item_state WHERE kind = 'sgtin' AND status = 'shipped' "
        "ORDER BY uri LIMIT 1",
        "shipped unit",
    )
    screen.view = None
    _scan(gui, f"]d201{gtin}21{serial}".encode())
    spin_until(lambda: screen.view is not None and not screen.busy.isVisible(), "the trace")
    # The first signed event selected: its signatures in words below the timeline.
    signed = [row for row, entry in enumerate(screen.timeline.rows) if entry.signatures]
    if signed:
        screen.timeline_table.selectRow(signed[0])


def _recall(gui: StationGui) -> None:
    """The supplier lot that went into the most made lots: the affected set."""
    screen = _open(gui, "recall")
    gtin, lot = _first(
        gui,
        "SELECT i.gtin, i.lot FROM genealogy g JOIN item_state i ON i.uri = g.parent_uri "
        "JOIN product p ON p.di = i.gtin "
        "WHERE g.relation = 'consumed_into' AND p.is_material "
        "GROUP BY i.uri ORDER BY COUNT(*) DESC, i.uri LIMIT 1",
        "supplier lot used in production",
    )
    loaded: list[bool] = []
    screen.lots_loaded.connect(lambda: loaded.append(True))
    screen.result = None
    _scan(gui, f"]d201{gtin}10{lot}".encode())
    spin_until(
        lambda: screen.result is not None and not screen.busy.isVisible() and bool(loaded),
        f"the recall of {lot}",
    )
    screen.stopped_at = screen.elapsed_ms()  # a still clock for the picture
    screen._tick.stop()  # the picture needs no ticking


def _audit(gui: StationGui) -> None:
    """The whole trail and the ledger verification."""
    screen = _open(gui, "audit")
    spin_until(
        lambda: (
            screen.report is not None and not screen.busy.isVisible() and screen.model.size() > 0
        ),
        "the audit trail and its verification",
    )


def _admin(gui: StationGui) -> None:
    """The Users tab with the access review (and the other tabs read)."""
    screen = _open(gui, "admin")
    spin_until(
        lambda: bool(screen.users.rows) and bool(screen.templates.versions),
        "the users and label templates",
    )
    screen.show_tab(0)


STAGES: dict[str, Callable[[StationGui], None]] = {
    "goods_in": _goods_in,
    "qc_bench": _qc_bench,
    "packing": _packing,
    "shipping": _shipping,
    "trace": _trace,
    "recall": _recall,
    "audit": _audit,
    "admin": _admin,
}


def stage(gui: StationGui, screen_id: str) -> None:
    """Sign in the screen's user, open the screen, scan into it and wait for its reads."""
    sign_in(gui, SCREEN_USERS[screen_id])
    STAGES[screen_id](gui)
    settle()


def identify(gui: StationGui) -> None:
    """Identify (F1) after the demo GS1 DataMatrix scan, with the operator signed in (it
    needs a session, like every page but sign-in)."""
    sign_in(gui, "wang")
    if not gui.window.show_identify():
        msg = "Identify did not open for a signed-in operator"
        raise TourError(msg)
    _scan(gui, IDENTIFY_SCAN)
    spin_until(lambda: gui.window.identify.current is not None, "Identify to show the scan")
    settle()


def tour(gui: StationGui, screens: tuple[str, ...] = ROLE_SCREENS) -> Iterator[str]:
    """Yield ``"sign-in"`` with the sign-in page on show, ``"identify"`` with a scan shown,
    then each role screen's id once it is staged (the window is ready to be grabbed or
    inspected at each step)."""
    hide_docks(gui)
    if gui.work is None:
        msg = "the window has no workstation (build it with demo=True)"
        raise TourError(msg)
    gui.work.guard.show_sign_in()
    settle()
    yield "sign-in"
    identify(gui)
    yield "identify"
    for screen_id in screens:
        stage(gui, screen_id)
        yield screen_id
