"""A status-bar item per device: its name and connection state, coloured; the last error on hover.

Fed by a :class:`ui.bridges.DeviceStateBridge` (GUI thread). Device names and error texts come
from settings and drivers, so they are shown as plain text, never interpreted as markup.
"""

from __future__ import annotations

import html

from ui.bridges import DeviceStateBridge
from ui.camera import CameraBridge
from ui.qt import QHBoxLayout, QLabel, Qt, QWidget

#: state → colour of the dot (green, amber, red, grey for stopped or unknown).
STATE_COLOURS = {
    "connected": "#2e7d32",
    "connecting": "#f9a825",
    "disconnected": "#c62828",
    "stopped": "#757575",
}


class DeviceStatus(QWidget):
    """``● Scanner COM3: connected``; the tooltip adds the last error the device reported."""

    def __init__(
        self,
        kind: str,
        name: str,
        state: str = "stopped",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind  # "scanner" | "camera"
        self.name = name
        self.state = ""
        self.colour = ""
        self.last_error: str | None = None
        self._dot = QLabel("●", self)
        self._dot.setTextFormat(Qt.TextFormat.PlainText)
        self._label = QLabel(self)
        self._label.setTextFormat(Qt.TextFormat.PlainText)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self._dot)
        layout.addWidget(self._label)
        self.set_state(state)

    def follow(self, bridge: DeviceStateBridge | CameraBridge) -> None:
        """Show what ``bridge`` reports from now on."""
        bridge.error.connect(self.set_error)
        bridge.state_changed.connect(self.set_state)

    def title(self) -> str:
        if self.kind == "camera":
            return self.tr("Camera {name}").format(name=self.name)
        return self.tr("Scanner {name}").format(name=self.name)

    def state_text(self) -> str:
        words = {
            "connected": self.tr("connected"),
            "connecting": self.tr("connecting…"),
            "disconnected": self.tr("disconnected – retrying"),
            "stopped": self.tr("stopped"),
            "finished": self.tr("finished (end of the video)"),
        }
        return words.get(self.state, self.state)

    def text(self) -> str:
        return self._label.text()

    def set_state(self, state: str) -> None:
        self.state = state
        self.colour = STATE_COLOURS.get(state, STATE_COLOURS["stopped"])
        self._dot.setStyleSheet(f"color: {self.colour};")
        self._label.setText(f"{self.title()}: {self.state_text()}")
        self._update_tooltip()

    def set_error(self, message: str) -> None:
        self.last_error = message
        self._update_tooltip()

    def _update_tooltip(self) -> None:
        lines = [self.title(), self.state_text()]
        if self.last_error:
            lines.append(self.tr("Last error: {error}").format(error=self.last_error))
        # Tooltips guess at rich text: escape, so a port name or error is never markup.
        self.setToolTip("<p>" + "<br>".join(html.escape(line) for line in lines) + "</p>")
