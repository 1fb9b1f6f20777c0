"""The floor screens on the wired station: a session's end (lock, another badge) empties them
for the next person — the chosen PO and SO and what was half entered."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from station.scanning.raw import RawScan
from tests.ui.conftest import MakeGui
from tests.ui.helpers import sign_in
from ui.app import StationGui
from ui.screens.goods_in import GoodsInScreen
from ui.screens.shipping import ShippingScreen


def _first_order(qtbot: QtBot, screen: GoodsInScreen | ShippingScreen) -> str:
    """Choose the first open order listed on ``screen``."""
    box = screen.orders.box
    qtbot.waitUntil(lambda: box.count() > 1)
    number = box.itemData(1)
    assert isinstance(number, str)
    screen.orders.choose(number)
    qtbot.waitUntil(lambda: screen.orders.number == number)
    return number


def test_lock_then_another_user_finds_goods_in_and_shipping_empty(
    qtbot: QtBot, make_gui: MakeGui
) -> None:
    gui: StationGui = make_gui("en", demo=True, signed_out=True)
    assert gui.work is not None
    sign_in(qtbot, gui, "zhao")  # supervisor: goods-in and shipping
    window = gui.window
    assert window.show_screen("goods_in")
    goods_in = window.screens["goods_in"]
    assert isinstance(goods_in, GoodsInScreen)
    po = _first_order(qtbot, goods_in)
    assert goods_in.line_model.rowCount() > 0
    assert window.show_screen("shipping")
    shipping = window.screens["shipping"]
    assert isinstance(shipping, ShippingScreen)
    _first_order(qtbot, shipping)

    gui.work.guard.lock_action.trigger()
    assert (goods_in.po, shipping.so) == (None, None)
    assert goods_in.line_model.rowCount() == 0
    assert shipping.line_model.rowCount() == 0

    sign_in(qtbot, gui, "wang")
    assert window.show_screen("goods_in")
    assert goods_in.po is None
    assert goods_in.orders.box.currentIndex() == 0
    goods_in.orders.choose(po)
    qtbot.waitUntil(lambda: goods_in.po == po)
    # Another user's badge (li) ends wang's session: the PO is forgotten again.
    window.route_scan(RawScan.now(b"]C0B-1002", "test-scanner"))
    assert gui.workstation is not None
    assert gui.workstation.session is None
    assert goods_in.po is None
