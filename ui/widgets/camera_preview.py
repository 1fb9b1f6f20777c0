"""CameraPreview: the latest camera frame with boxes around the codes found, and a status line.

Each code found in the frame gets a box: green when it was delivered as a scan, grey when the
repeat filter held it back (the same code is still in view). The status line says what the
camera is doing: ``Camera: connected · 15 fps · decode 6 ms · 3 dropped``. Feed it from a
:class:`ui.camera.CameraBridge` (:meth:`CameraPreview.attach`); it runs on the GUI thread only.
"""

from __future__ import annotations

import numpy as np

from drivers.camera.detection import Frame, Point
from drivers.camera.source import FrameReport
from ui.camera import CameraBridge
from ui.qt import (
    QColor,
    QImage,
    QLabel,
    QPainter,
    QPaintEvent,
    QPen,
    QPointF,
    QPolygonF,
    QRectF,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
    Slot,
)

READ_COLOUR = QColor("#00C853")  # delivered read
REPEAT_COLOUR = QColor("#9E9E9E")  # held back as a repeat
BOX_WIDTH = 3.0


def qimage_from(image: Frame) -> QImage:
    """A QImage owning a copy of an 8-bit grey or BGR array (any row stride)."""
    array = np.ascontiguousarray(image)
    height, width = array.shape[:2]
    fmt = QImage.Format.Format_Grayscale8 if array.ndim == 2 else QImage.Format.Format_BGR888
    # QImage borrows the buffer; .copy() detaches it before ``array`` can go away.
    return QImage(array.data, width, height, array.strides[0], fmt).copy()


class FrameView(QWidget):
    """Paints one frame, scaled to fit with its aspect ratio kept, and the detection boxes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image: QImage | None = None
        self.scale = 1.0  # image pixels per frame pixel
        self.boxes: list[tuple[tuple[Point, ...], bool]] = []  # frame pixels; True = repeat
        self.placeholder = ""
        self.setMinimumSize(160, 90)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(400, 225)  # a side panel: the screen beside it is the main work

    def set_report(self, report: FrameReport) -> None:
        self.image = qimage_from(report.image)
        self.scale = report.scale
        self.boxes = [(seen.detection.corners, seen.repeat) for seen in report.detections]
        self.update()

    def image_rect(self) -> QRectF:
        """Where the image is drawn in this widget (letterboxed)."""
        if self.image is None or self.image.isNull():
            return QRectF()
        zoom = min(self.width() / self.image.width(), self.height() / self.image.height())
        width, height = self.image.width() * zoom, self.image.height() * zoom
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)

    def to_view(self, x: float, y: float) -> QPointF:
        """A point in frame pixels, in this widget's coordinates."""
        rect = self.image_rect()
        if self.image is None or rect.isEmpty():
            return QPointF()
        zoom = rect.width() / self.image.width() * self.scale
        return QPointF(rect.x() + x * zoom, rect.y() + y * zoom)

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        try:
            painter.fillRect(self.rect(), QColor("#202020"))
            rect = self.image_rect()
            if self.image is None or rect.isEmpty():
                painter.setPen(QColor("#BDBDBD"))
                painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder)
                return
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(rect, self.image)
            for corners, repeat in self.boxes:
                pen = QPen(REPEAT_COLOUR if repeat else READ_COLOUR, BOX_WIDTH)
                pen.setCosmetic(True)  # the same width whatever the zoom
                painter.setPen(pen)
                painter.drawPolygon(QPolygonF([self.to_view(x, y) for x, y in corners]))
        finally:
            painter.end()


class CameraPreview(QWidget):
    """The frame view over a one-line status: camera state, fps, decode time, dropped frames."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = FrameView(self)
        self.view.placeholder = self.tr("No camera image")
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self.state = "stopped"
        self.report: FrameReport | None = None
        self.setAccessibleName(self.tr("Camera preview"))
        self._show_status()

    def attach(self, bridge: CameraBridge) -> None:
        """Show what ``bridge`` emits (both signals arrive on the GUI thread)."""
        self.state = bridge.state
        bridge.frame.connect(self.show_report)
        bridge.state_changed.connect(self.show_state)
        self._show_status()

    @Slot(object)
    def show_report(self, report: FrameReport) -> None:
        self.report = report
        self.view.set_report(report)
        self._show_status()

    @Slot(str)
    def show_state(self, state: str) -> None:
        self.state = state
        self._show_status()

    def state_text(self) -> str:
        words = {
            "stopped": self.tr("stopped"),
            "connecting": self.tr("connecting"),
            "connected": self.tr("connected"),
            "disconnected": self.tr("disconnected"),
            "finished": self.tr("finished"),
        }
        return self.tr("Camera: {state}").format(state=words.get(self.state, self.state))

    def _show_status(self) -> None:
        parts = [self.state_text()]
        report = self.report
        if report is not None and self.state in ("connected", "finished"):
            parts.append(
                self.tr("{fps} fps · decode {ms} ms · {dropped} dropped").format(
                    fps=round(report.capture_fps),
                    ms=round(report.decode_ms),
                    dropped=report.dropped,
                )
            )
        self.status.setText(" · ".join(parts))
