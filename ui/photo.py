"""Photos for the record: a camera frame or a QImage encoded as PNG bytes, with Qt.

The station (``station/``) never encodes images: it checks the bytes it is given are PNG or
JPEG (:mod:`station.services.attachments`). Encoding happens here, on the GUI side, with
Qt's PNG writer (QImage → QBuffer), never OpenCV.
"""

from __future__ import annotations

from ui.qt import QBuffer, QByteArray, QImage, QIODevice

__all__ = ["frame_png", "png_bytes"]


def png_bytes(image: QImage) -> bytes | None:
    """``image`` as PNG bytes; None for a null image or when Qt cannot write it."""
    if image.isNull():
        return None
    data = QByteArray()
    buffer = QBuffer(data)
    if not buffer.open(QIODevice.OpenModeFlag.WriteOnly):
        return None
    try:
        # The stubs say bytes; PySide6 takes the format as str at run time.
        if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
            return None
    finally:
        buffer.close()
    return bytes(data.data())


def frame_png(frame: object) -> bytes | None:
    """A camera frame (an 8-bit grey or BGR array, as a ``FrameReport.image``) as PNG bytes."""
    if frame is None or getattr(frame, "ndim", None) not in (2, 3):
        return None
    # Imported here: numpy and the camera preview are only needed once a photo is taken.
    from ui.widgets.camera_preview import qimage_from  # noqa: PLC0415

    return png_bytes(qimage_from(frame))  # type: ignore[arg-type]
