"""Camera preview: frames from the decode thread reach the widget on the GUI thread, at most
15 per second; boxes and the status line are drawn (offscreen Qt, pixels checked)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from drivers.camera.decoders import ZxingDecoder
from drivers.camera.detection import Detection
from drivers.camera.source import (
    CameraState,
    ErrorCallback,
    FrameCallback,
    FrameDetection,
    FrameReport,
    StateCallback,
)
from drivers.camera.synth import standard_specs
from drivers.simulated.camera import SimulatedCamera
from station.ports import ScanCallback
from station.scanning.raw import RawScan
from ui.camera import CameraBridge
from ui.qt import QApplication, QColor, QThread
from ui.widgets.camera_preview import READ_COLOUR, REPEAT_COLOUR, CameraPreview


def on_gui_thread() -> bool:
    app = QApplication.instance()
    assert app is not None
    return QThread.currentThread() == app.thread()


@pytest.fixture
def twin() -> Iterator[SimulatedCamera]:
    camera = SimulatedCamera("preview", fps=30, decoder=ZxingDecoder(), frame_size=(640, 480))
    yield camera
    camera.stop()
    assert not camera.running


def test_frames_and_scans_reach_the_preview_on_the_gui_thread(
    qtbot: QtBot, twin: SimulatedCamera
) -> None:
    bridge = CameraBridge(twin)
    preview = CameraPreview()
    qtbot.addWidget(preview)
    preview.attach(bridge)
    preview.resize(640, 420)
    preview.show()
    frame_threads: list[bool] = []
    scans: list[RawScan] = []
    states: list[str] = []
    bridge.frame.connect(lambda _report: frame_threads.append(on_gui_thread()))
    bridge.scanned.connect(lambda scan: scans.append(scan) if on_gui_thread() else None)
    bridge.state_changed.connect(states.append)
    twin.start()
    qtbot.waitUntil(lambda: len(frame_threads) >= 3, timeout=5000)
    spec = standard_specs()[0]
    twin.show_code(spec)
    qtbot.waitUntil(lambda: len(scans) == 1, timeout=5000)
    assert scans[0].reader_input() == spec.expected
    qtbot.waitUntil(
        lambda: preview.report is not None and len(preview.report.detections) == 1, timeout=5000
    )
    assert all(frame_threads)
    assert states[:2] == ["connecting", "connected"]
    assert preview.status.text().startswith("Camera: connected · ")
    assert " fps · decode " in preview.status.text()


def test_boxes_are_green_for_reads_and_grey_for_repeats(qtbot: QtBot) -> None:
    preview = CameraPreview()
    qtbot.addWidget(preview)
    preview.resize(660, 420)
    preview.show()
    qtbot.waitExposed(preview)
    image = np.full((240, 320, 3), 255, np.uint8)  # a 640x480 frame, previewed at half size
    read = detection(((100, 100), (200, 100), (200, 200), (100, 200)))
    repeat = detection(((400, 200), (520, 200), (520, 320), (400, 320)))
    preview.show_state("connected")
    preview.show_report(report(image, [FrameDetection(read, False), FrameDetection(repeat, True)]))
    grabbed = preview.view.grab().toImage()
    for (x0, y0), (x1, _y1), colour in (
        (read.corners[0], read.corners[1], READ_COLOUR),
        (repeat.corners[0], repeat.corners[1], REPEAT_COLOUR),
    ):
        edge = preview.view.to_view((x0 + x1) / 2, y0)  # middle of the top edge
        pixel = grabbed.pixelColor(round(edge.x()), round(edge.y()))
        assert close(pixel, colour), (pixel.name(), colour.name())
        assert not close(pixel, READ_COLOUR if colour == REPEAT_COLOUR else REPEAT_COLOUR)
        inside = preview.view.to_view((x0 + x1) / 2, y0 + 30)
        assert close(grabbed.pixelColor(round(inside.x()), round(inside.y())), QColor("white"))


def test_status_line_shows_state_fps_decode_time_and_drops(qtbot: QtBot) -> None:
    preview = CameraPreview()
    qtbot.addWidget(preview)
    assert preview.status.text() == "Camera: stopped"
    preview.show_state("connected")
    preview.show_report(report(np.zeros((48, 64), np.uint8), [], fps=14.6, ms=6.4, dropped=3))
    assert preview.status.text() == "Camera: connected · 15 fps · decode 6 ms · 3 dropped"
    preview.show_state("disconnected")
    assert preview.status.text() == "Camera: disconnected"


class FakeCamera:
    """Just the callbacks of a camera, so a test thread can play the decode thread."""

    name = "fake"
    state = CameraState.CONNECTED

    def __init__(self) -> None:
        self.frame_callbacks: list[FrameCallback] = []

    def subscribe(self, callback: ScanCallback) -> None:
        pass

    def on_frame(self, callback: FrameCallback) -> None:
        self.frame_callbacks.append(callback)

    def on_state(self, callback: StateCallback) -> None:
        pass

    def on_error(self, callback: ErrorCallback) -> None:
        pass


def test_preview_frames_are_rate_limited_and_never_queue(qtbot: QtBot) -> None:
    camera = FakeCamera()
    bridge = CameraBridge(camera, max_fps=15)
    shown: list[float] = []
    bridge.frame.connect(lambda _report: shown.append(time.monotonic()))
    frame = report(np.zeros((48, 64), np.uint8), [])
    sent = 240

    def decode_thread() -> None:  # 240 frames at ~200 fps, far above the preview rate
        for _ in range(sent):
            for callback in camera.frame_callbacks:
                callback(frame)
            time.sleep(0.005)

    started = time.monotonic()
    worker = threading.Thread(target=decode_thread)
    worker.start()
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=10000)
    qtbot.wait(100)  # let the last queued frame land
    elapsed = time.monotonic() - started
    assert len(shown) <= 15 * elapsed + 1
    assert len(shown) >= 5  # but frames do get through
    assert bridge.frames_emitted == len(shown)
    assert bridge.frames_emitted + bridge.frames_dropped == sent
    assert float(np.median(np.diff(shown))) >= 1 / 15 * 0.9  # paced, not bursts of a queue


def detection(corners: tuple[tuple[int, int], ...]) -> Detection:
    a, b, c, d = corners
    return Detection(b"X", "]d1", "DataMatrix", (a, b, c, d), "test", "full")


def report(
    image: np.ndarray,
    detections: list[FrameDetection],
    fps: float = 15,
    ms: float = 5,
    dropped: int = 0,
) -> FrameReport:
    scale = image.shape[1] / 640
    return FrameReport(
        image=image,
        scale=scale,
        frame_size=(640, 480),
        sequence=1,
        detections=tuple(detections),
        decode_ms=ms,
        latency_ms=ms,
        capture_fps=fps,
        decode_fps=fps,
        dropped=dropped,
    )


def close(pixel: QColor, colour: QColor, tolerance: int = 40) -> bool:
    rgb = (pixel.red(), pixel.green(), pixel.blue())
    pairs = zip(rgb, (colour.red(), colour.green(), colour.blue()), strict=True)
    return all(abs(a - b) <= tolerance for a, b in pairs)
