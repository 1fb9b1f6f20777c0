"""CameraScanSource through a real ``cv2.VideoCapture``: generated MJPG videos and image folders.

The frames are synthetic labels (``drivers.camera.synth``) whose expected bytes are written out
independently of any decoder. Playback is paced (``fps``) like a camera, so the timing-based
rules (repeat window, newest frame wins) meet real capture and decode threads. A few tests use
an injected capture (odd frames, a read that hangs) where OpenCV cannot produce the situation.
"""

from __future__ import annotations

import functools
import itertools
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from drivers.camera.decoders import ZxingDecoder
from drivers.camera.detection import Detection, Frame
from drivers.camera.source import (
    CameraScanSource,
    CameraSettings,
    CameraState,
    FrameReport,
    build_camera,
)
from drivers.camera.synth import (
    Distortion,
    LabelSpec,
    empty_frame,
    label_frame,
    standard_specs,
    write_folder,
    write_video,
)
from drivers.simulated.camera import SimulatedCamera
from station.config import CameraSettings as CameraConfig
from station.scanning.raw import RawScan

TIMEOUT = 5.0  # a deadline, not a sleep: waits return as soon as their condition holds
SMALL = (640, 480)


def gs1_spec(format_name: str, serial: str, aim: str) -> LabelSpec:
    """A GS1 label with its own serial, so every label in a video is a distinct code."""
    return LabelSpec(
        f"(01)04012345123456(21){serial}",
        format_name,
        gs1=True,
        expected=aim.encode() + b"0104012345123456" + b"21" + serial.encode(),
        name=serial,
    )


SPEC = gs1_spec("DataMatrix", "HELD01", "]d2")


@dataclass
class Recorder:
    scans: list[RawScan] = field(default_factory=list)
    reports: list[FrameReport] = field(default_factory=list)
    states: list[CameraState] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    threads: set[str] = field(default_factory=set)
    cond: threading.Condition = field(default_factory=threading.Condition)

    def attach(self, camera: CameraScanSource) -> None:
        camera.subscribe(self._scan)
        camera.on_frame(self._report)
        camera.on_state(self._state)
        camera.on_error(self._error)

    def _scan(self, scan: RawScan) -> None:
        with self.cond:
            self.threads.add(threading.current_thread().name)
            self.scans.append(scan)
            self.cond.notify_all()

    def _report(self, report: FrameReport) -> None:
        with self.cond:
            self.reports.append(report)
            self.cond.notify_all()

    def _state(self, state: CameraState, _detail: str | None) -> None:
        with self.cond:
            self.states.append(state)
            self.cond.notify_all()

    def _error(self, message: str) -> None:
        with self.cond:
            self.errors.append(message)
            self.cond.notify_all()

    def wait_for(self, predicate: Callable[[], bool], timeout: float = TIMEOUT) -> bool:
        with self.cond:
            return self.cond.wait_for(predicate, timeout)

    def read_bytes(self) -> list[bytes]:
        with self.cond:
            return [scan.reader_input() for scan in self.scans]


@pytest.fixture
def cameras() -> Iterator[Callable[..., tuple[CameraScanSource, Recorder]]]:
    """``make(settings_or_camera, **kw)`` → a started camera and its recorder; stopped after."""
    made: list[CameraScanSource] = []

    def make(
        settings: CameraSettings | CameraScanSource, **kwargs: Any
    ) -> tuple[CameraScanSource, Recorder]:
        if isinstance(settings, CameraScanSource):
            camera = settings
        else:
            kwargs.setdefault("decoder", ZxingDecoder())
            camera = CameraScanSource(settings, name="test", **kwargs)
        recorder = Recorder()
        recorder.attach(camera)
        made.append(camera)
        camera.start()
        return camera, recorder

    yield make
    for camera in made:
        camera.stop()
        assert not camera.running


def blank(size: tuple[int, int] = SMALL, seed: int = 0) -> Frame:
    return empty_frame(size, seed)


# -- reading through the real capture path -------------------------------------------------

VARIED = [
    (gs1_spec("DataMatrix", "SN0001", "]d2"), Distortion(module_px=4)),
    (gs1_spec("DataMatrix", "SN0002", "]d2"), Distortion(rotation_deg=35)),
    (gs1_spec("DataMatrix", "SN0003", "]d2"), Distortion(blur_sigma=1.5)),
    (gs1_spec("QRCode", "SN0004", "]Q3"), Distortion(noise_sigma=15)),
    (gs1_spec("QRCode", "SN0005", "]Q3"), Distortion(perspective=0.12)),
    (gs1_spec("Code128", "SN0006", "]C1"), Distortion(contrast=0.4, module_px=3)),
    (standard_specs()[1], Distortion(module_px=3, rotation_deg=-12)),  # HIBC
    (standard_specs()[4], Distortion(rotation_deg=170, noise_sigma=6, blur_sigma=0.8)),
]


@pytest.mark.parametrize("decoder", ["zxing-cpp", "station"])
def test_labels_in_varied_views_are_delivered_with_the_exact_bytes(
    tmp_path: Path, cameras: Callable[..., tuple[CameraScanSource, Recorder]], decoder: str
) -> None:
    """Through both the one-pass decoder and the default (multi-pass) one."""
    frames: list[Frame] = []
    for spec, distortion in VARIED:
        label = label_frame(spec, distortion, (1280, 720), seed=1)
        frames += [label] * 4 + [blank((1280, 720))] * 2
    video = write_video(tmp_path / "labels.avi", frames, fps=30)
    chosen = ZxingDecoder() if decoder == "zxing-cpp" else None  # None: default_decoder()
    camera, seen = cameras(CameraSettings(str(video)), decoder=chosen)
    assert camera.decoder.name == decoder
    assert seen.wait_for(lambda: CameraState.FINISHED in seen.states, 10)
    assert seen.wait_for(lambda: len(seen.scans) >= len(VARIED), 2)
    assert sorted(seen.read_bytes()) == sorted(spec.expected for spec, _ in VARIED)
    assert {scan.source for scan in seen.scans} == {"camera:test"}
    for scan in seen.scans:  # where it was read, in the frame it was read in
        assert scan.corners is not None
        assert len(scan.corners) == 4
        assert isinstance(scan.image, np.ndarray)
        assert scan.image.shape[:2] == (720, 1280)
    assert seen.threads == {"camera-decode-test"}
    assert camera.stats.frames_captured == len(frames)
    assert camera.state == CameraState.FINISHED


def test_an_image_folder_plays_like_a_video(
    tmp_path: Path, cameras: Callable[..., tuple[CameraScanSource, Recorder]]
) -> None:
    specs = standard_specs()
    frames = []
    for index, spec in enumerate(specs):
        frames += [label_frame(spec, Distortion(), SMALL, seed=index)] * 2 + [blank()]
    folder = tmp_path / "frames"
    write_folder(folder, frames)
    (folder / "notes.txt").write_text("not an image")  # ignored
    (folder / "zz-broken.png").write_bytes(b"not a png")  # skipped, logged
    camera, seen = cameras(CameraSettings(str(folder), fps=60))
    assert seen.wait_for(lambda: CameraState.FINISHED in seen.states)
    assert seen.wait_for(lambda: len(seen.scans) >= len(specs), 2)
    assert sorted(seen.read_bytes()) == sorted(spec.expected for spec in specs)
    assert camera.stats.frames_captured == len(frames)


def test_an_image_sequence_pattern_goes_through_opencv(
    tmp_path: Path, cameras: Callable[..., tuple[CameraScanSource, Recorder]]
) -> None:
    frames = [label_frame(SPEC, Distortion(), SMALL, seed=3)] * 3 + [blank()] * 2
    write_folder(tmp_path / "seq", frames)
    pattern = tmp_path / "seq" / "frame-%05d.png"
    camera, seen = cameras(CameraSettings(str(pattern), fps=60))
    assert seen.wait_for(lambda: CameraState.FINISHED in seen.states)
    assert seen.read_bytes() == [SPEC.expected]
    assert camera.stats.frames_captured == len(frames)


def test_frames_without_codes_deliver_nothing(
    tmp_path: Path, cameras: Callable[..., tuple[CameraScanSource, Recorder]]
) -> None:
    frames = [blank((1280, 720), seed) for seed in range(12)]
    video = write_video(tmp_path / "empty.avi", frames, fps=30)
    camera, seen = cameras(CameraSettings(str(video), fps=0))
    assert seen.wait_for(lambda: CameraState.FINISHED in seen.states)
    assert seen.wait_for(lambda: len(seen.reports) > 0)
    assert seen.scans == []
    assert all(report.detections == () for report in seen.reports)
    assert camera.stats.decode_errors == 0


# -- repeat suppression ---------------------------------------------------------------------


def test_a_held_code_is_one_read_and_reads_again_after_leaving(
    tmp_path: Path, cameras: Callable[..., tuple[CameraScanSource, Recorder]]
) -> None:
    """At 30 fps with a 0.5 s window: held 1 s → 1 read; away 0.8 s → read again; away
    0.2 s (a hand passing) → still the same read."""
    label = label_frame(SPEC, Distortion(), SMALL, seed=5)
    frames = [label] * 30 + [blank()] * 24 + [label] * 15 + [blank()] * 6 + [label] * 10
    video = write_video(tmp_path / "held.avi", frames, fps=30)
    camera, seen = cameras(CameraSettings(str(video), fps=30, repeat_window=0.5))
    assert seen.wait_for(lambda: CameraState.FINISHED in seen.states)
    assert seen.wait_for(lambda: camera.stats.frames_decoded >= 60, 2)
    assert seen.read_bytes() == [SPEC.expected, SPEC.expected]
    flags = [d.repeat for report in seen.reports for d in report.detections]
    assert flags.count(False) == 2
    assert flags.count(True) > 30  # the same code, seen and held back
    assert camera.stats.repeats_suppressed == flags.count(True)


def test_repeat_window_zero_delivers_every_sighting(
    tmp_path: Path, cameras: Callable[..., tuple[CameraScanSource, Recorder]]
) -> None:
    frames = [label_frame(SPEC, Distortion(), SMALL, seed=5)] * 6
    video = write_video(tmp_path / "six.avi", frames, fps=30)
    camera, seen = cameras(CameraSettings(str(video), fps=15, repeat_window=0))
    assert seen.wait_for(lambda: CameraState.FINISHED in seen.states)
    assert seen.wait_for(lambda: camera.stats.frames_decoded == 6, 2)
    assert seen.read_bytes() == [SPEC.expected] * 6


# -- newest frame wins ----------------------------------------------------------------------


class SlowDecoder:
    """Wraps a decoder and takes ``delay`` seconds per frame, recording what it was given."""

    name = "slow"

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.inner = ZxingDecoder()
        self.calls = 0

    def decode(self, frame: Frame) -> list[Detection]:
        self.calls += 1
        time.sleep(self.delay)
        return self.inner.decode(frame)


def test_a_slow_decoder_gets_the_newest_frame_and_no_backlog(
    tmp_path: Path, cameras: Callable[..., tuple[CameraScanSource, Recorder]]
) -> None:
    frames = [blank(SMALL, seed) for seed in range(20)]
    video = write_video(tmp_path / "loop.avi", frames, fps=30)
    decoder = SlowDecoder(0.1)
    settings = CameraSettings(str(video), fps=60, loop=True)
    camera, seen = cameras(settings, decoder=decoder)
    assert seen.wait_for(lambda: len(seen.reports) >= 10)
    stats = camera.stats
    assert stats.frames_dropped > 0
    assert stats.frames_captured > 3 * stats.frames_decoded
    assert stats.capture_fps > 40
    assert 5 < stats.decode_fps < 12
    # Each decoded frame was at most one decode old when taken: latency stays bounded.
    latencies = [report.latency_ms for report in seen.reports[2:]]
    assert max(latencies) < 2 * 100 + 100
    sequences = [report.sequence for report in seen.reports]
    assert sequences == sorted(sequences)
    assert min(b - a for a, b in itertools.pairwise(sequences)) > 1  # skipped
    started = time.monotonic()
    camera.stop()
    assert time.monotonic() - started < 0.5
    assert not camera.running


# -- missing sources, reconnect, stop -------------------------------------------------------


def test_a_missing_file_disconnects_and_connects_when_it_appears(
    tmp_path: Path, cameras: Callable[..., tuple[CameraScanSource, Recorder]]
) -> None:
    target = tmp_path / "later.avi"
    settings = CameraSettings(str(target), fps=30, backoff_initial=0.02, backoff_max=0.1)
    camera, seen = cameras(settings)
    assert seen.wait_for(lambda: CameraState.DISCONNECTED in seen.states)
    assert camera.state == CameraState.DISCONNECTED
    assert camera.last_error is not None
    assert "no such file" in camera.last_error
    frames = [label_frame(SPEC, Distortion(), SMALL, seed=2)] * 3 + [blank()]
    staged = write_video(tmp_path / "staged.avi", frames, fps=30)
    staged.rename(target)  # appears whole, as a file copied in would
    assert seen.wait_for(lambda: CameraState.CONNECTED in seen.states)
    assert seen.wait_for(lambda: len(seen.scans) == 1)
    assert seen.read_bytes() == [SPEC.expected]
    assert seen.states[:3] == [
        CameraState.CONNECTING,
        CameraState.DISCONNECTED,
        CameraState.CONNECTED,
    ]  # no flicker while retrying


def test_a_missing_device_is_disconnected_and_stop_is_fast(
    cameras: Callable[..., tuple[CameraScanSource, Recorder]],
) -> None:
    camera, seen = cameras(CameraSettings(97, backoff_initial=0.05))
    assert seen.wait_for(lambda: CameraState.DISCONNECTED in seen.states)
    assert "cannot open" in (camera.last_error or "")
    started = time.monotonic()
    camera.stop()
    assert time.monotonic() - started < 0.5
    assert camera.state == CameraState.STOPPED
    assert seen.states[-1] == CameraState.STOPPED


def test_loop_plays_a_file_again_and_stays_connected(
    tmp_path: Path, cameras: Callable[..., tuple[CameraScanSource, Recorder]]
) -> None:
    video = write_video(tmp_path / "short.avi", [blank()] * 5, fps=30)
    camera, seen = cameras(CameraSettings(str(video), fps=0, loop=True))
    assert seen.wait_for(lambda: camera.stats.frames_captured > 20)
    assert camera.state == CameraState.CONNECTED
    assert CameraState.FINISHED not in seen.states
    assert camera.stats.connects > 3


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def http_folder(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A real HTTP server on loopback serving ``tmp_path/www``: (folder, base URL)."""
    folder = tmp_path / "www"
    folder.mkdir()
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(TIMEOUT)


def test_an_http_stream_is_read_and_reconnected_when_it_drops(
    http_folder: tuple[Path, str], cameras: Callable[..., tuple[CameraScanSource, Recorder]]
) -> None:
    """A network camera through FFmpeg: the stream ending is a failure, not an end of file."""
    folder, base = http_folder
    frames = [label_frame(SPEC, Distortion(), SMALL, seed=2)] * 3 + [blank()] * 3
    write_video(folder / "live.avi", frames, fps=30)
    settings = CameraSettings(f"{base}/live.avi", backoff_initial=0.05, stream_timeout=2)
    camera, seen = cameras(settings)
    assert seen.wait_for(lambda: len(seen.scans) >= 1)
    assert seen.scans[0].reader_input() == SPEC.expected
    assert seen.wait_for(lambda: camera.stats.connects >= 2)  # dropped, then reconnected
    assert seen.states[:3] == [
        CameraState.CONNECTING,
        CameraState.CONNECTED,
        CameraState.DISCONNECTED,
    ]
    assert CameraState.FINISHED not in seen.states


def test_a_stream_that_never_answers_times_out(
    cameras: Callable[..., tuple[CameraScanSource, Recorder]],
) -> None:
    with socket.socket() as silent:  # accepts connections, never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"rtsp://127.0.0.1:{silent.getsockname()[1]}/live"
        started = time.monotonic()
        camera, seen = cameras(CameraSettings(url, stream_timeout=0.5, backoff_initial=0.05))
        assert seen.wait_for(lambda: CameraState.DISCONNECTED in seen.states)
        assert time.monotonic() - started < 3
        assert "cannot open" in (camera.last_error or "")
        started = time.monotonic()
        camera.stop()
        assert time.monotonic() - started < 1.5
        assert not camera.running


class HangingCapture:
    """A capture whose read blocks until released (a hung driver)."""

    def __init__(self) -> None:
        self.release_read = threading.Event()
        self.reading = threading.Event()

    def read(self) -> tuple[bool, Any]:
        self.reading.set()
        self.release_read.wait(10)
        return True, blank()

    def get(self, prop_id: int, /) -> float:
        return 0.0

    def release(self) -> None:
        self.release_read.set()


def test_stop_returns_promptly_while_a_read_is_blocked(
    cameras: Callable[..., tuple[CameraScanSource, Recorder]],
) -> None:
    hanging = HangingCapture()
    camera, seen = cameras(CameraSettings("cam"), opener=lambda _settings: hanging)
    assert hanging.reading.wait(TIMEOUT)
    started = time.monotonic()
    camera.stop(timeout=0.3)
    assert time.monotonic() - started < 0.6
    assert camera.state == CameraState.STOPPED
    hanging.release_read.set()  # the read returns late: nothing is delivered, the thread ends
    camera.join(TIMEOUT)
    assert not camera.running
    assert seen.reports == []
    assert camera.state == CameraState.STOPPED


# -- faults: decoders, callbacks, odd frames ------------------------------------------------


class FlakyDecoder:
    """Raises on every second frame."""

    name = "flaky"

    def __init__(self) -> None:
        self.inner = ZxingDecoder()
        self.calls = 0

    def decode(self, frame: Frame) -> list[Detection]:
        self.calls += 1
        if self.calls % 2:
            msg = "decoder crashed"
            raise RuntimeError(msg)
        return self.inner.decode(frame)


def test_a_decoder_that_raises_is_counted_and_the_thread_survives(
    tmp_path: Path, cameras: Callable[..., tuple[CameraScanSource, Recorder]]
) -> None:
    frames = [label_frame(SPEC, Distortion(), SMALL, seed=4)] * 10
    video = write_video(tmp_path / "flaky.avi", frames, fps=30)
    decoder = FlakyDecoder()
    settings = CameraSettings(str(video), fps=30, repeat_window=0)
    camera, seen = cameras(settings, decoder=decoder)
    assert seen.wait_for(lambda: CameraState.FINISHED in seen.states)
    assert seen.wait_for(lambda: decoder.calls >= 10, 2)
    stats = camera.stats
    assert stats.decode_errors == 5
    assert stats.frames_decoded == 5
    assert seen.read_bytes() == [SPEC.expected] * 5
    assert seen.errors  # reported (rate-limited) through on_error
    assert "decoder crashed" in seen.errors[0]
    assert "decoder crashed" in (camera.last_error or "")
    assert camera.running  # the decode thread lives on after the file finished


def test_callbacks_that_raise_are_counted_and_delivery_goes_on(
    tmp_path: Path, cameras: Callable[..., tuple[CameraScanSource, Recorder]]
) -> None:
    frames = [label_frame(SPEC, Distortion(), SMALL, seed=4)] * 4
    video = write_video(tmp_path / "cb.avi", frames, fps=30)
    camera = CameraScanSource(
        CameraSettings(str(video), fps=30, repeat_window=0), "test", ZxingDecoder()
    )

    def broken(_value: object) -> None:
        msg = "listener bug"
        raise ValueError(msg)

    camera.subscribe(broken)
    camera.on_frame(broken)
    camera.on_state(lambda _state, _detail: broken(None))
    camera, seen = cameras(camera)
    assert seen.wait_for(lambda: len(seen.scans) == 4)
    assert seen.wait_for(lambda: CameraState.FINISHED in seen.states)
    assert camera.stats.failed_callbacks >= 4 + 4 + 2


class ListCapture:
    """Plays a fixed list of (ok, frame) reads, then ends."""

    def __init__(self, reads: list[tuple[bool, Any]]) -> None:
        self.reads = list(reads)

    def read(self) -> tuple[bool, Any]:
        return self.reads.pop(0) if self.reads else (False, None)

    def get(self, prop_id: int, /) -> float:
        return 0.0

    def release(self) -> None:
        self.reads = []


def test_odd_frames_are_refused_or_converted_never_fatal(
    cameras: Callable[..., tuple[CameraScanSource, Recorder]],
) -> None:
    label = label_frame(SPEC, Distortion(), SMALL, seed=6)
    grey = label[:, :, 1].copy()
    good: list[Any] = [
        label,
        grey,
        grey[:, :, None],  # (H, W, 1)
        np.dstack([label, np.full(grey.shape, 255, np.uint8)]),  # BGRA
        grey.astype(np.uint16) * 257,  # 16-bit
        grey.astype(np.float32) / 255.0,  # float 0..1
        label[::-1, ::-1][::-1, ::-1],  # a non-contiguous view
        np.asfortranarray(grey),
    ]
    bad: list[Any] = [
        "not an image",
        np.zeros((4, 4), np.uint8),
        np.zeros((480, 640, 2), np.uint8),
        np.zeros((2, 480, 640, 3), np.uint8),
        np.array([[object()] * 16] * 16),
        np.zeros((480, 640), np.complex64),
    ]
    reads = [(True, frame) for pair in zip(bad, good, strict=False) for frame in pair]
    reads += [(True, frame) for frame in good[len(bad) :]]
    pace = CameraSettings("odd", kind="simulated", fps=20, repeat_window=0)
    camera, seen = cameras(pace, opener=lambda _s: ListCapture(reads))
    assert seen.wait_for(lambda: camera.stats.frames_decoded + camera.stats.bad_frames == 14)
    assert camera.stats.bad_frames == len(bad)
    assert seen.read_bytes() == [SPEC.expected] * len(good)
    assert camera.running


# -- the simulated camera ------------------------------------------------------------------


def test_simulated_camera_shows_a_code_on_demand(
    cameras: Callable[..., tuple[CameraScanSource, Recorder]],
) -> None:
    twin = SimulatedCamera("demo", fps=30, decoder=ZxingDecoder(), frame_size=SMALL)
    camera, seen = cameras(twin)
    assert seen.wait_for(lambda: len(seen.reports) >= 3)  # the idle desk: frames, no codes
    assert seen.scans == []
    spec = standard_specs()[0]
    twin.show_code(spec, seconds=0.5)
    assert seen.wait_for(lambda: len(seen.scans) == 1)
    assert seen.scans[0].reader_input() == spec.expected
    assert seen.scans[0].source == "simulated-camera:demo"
    assert camera.state == CameraState.CONNECTED
    label = label_frame(standard_specs()[3], Distortion(), SMALL, seed=9)
    twin.show(label)
    assert seen.wait_for(lambda: len(seen.scans) == 2)
    assert seen.scans[1].reader_input() == standard_specs()[3].expected
    twin.clear()


def test_build_camera_picks_the_twin_and_it_plays_a_folder_in_a_loop(
    tmp_path: Path, cameras: Callable[..., tuple[CameraScanSource, Recorder]]
) -> None:
    folder = tmp_path / "demo"
    write_folder(folder, [label_frame(SPEC, Distortion(), SMALL, seed=8)] * 2 + [blank()] * 2)
    settings = CameraSettings(str(folder), kind="simulated", fps=60, loop=True, repeat_window=0)
    twin = build_camera(settings, name="bench", decoder=ZxingDecoder())
    assert isinstance(twin, SimulatedCamera)
    camera, seen = cameras(twin)
    assert seen.wait_for(lambda: len(seen.scans) >= 4)  # looped: more reads than labels
    assert camera.stats.frames_captured > 4
    assert CameraState.FINISHED not in seen.states
    real = build_camera(CameraSettings(0))
    assert type(real) is CameraScanSource
    with pytest.raises(ValueError, match="unknown camera kind"):
        build_camera(CameraSettings(0, kind="gopro"))


def test_settings_from_the_station_configuration() -> None:
    def config(kind: str, source: str) -> CameraConfig:
        return CameraConfig(kind, source, ("DataMatrix",), 800, True, 1920, 1080)

    device = CameraSettings.from_config(config("device", ""))
    assert (device.source, device.kind, device.formats) == (0, "device", ("DataMatrix",))
    assert (device.width, device.height, device.repeat_window) == (1920, 1080, 0.8)
    assert device.pyzbar_second_pass
    assert CameraSettings.from_config(config("device", " 2 ")).source == 2
    assert CameraSettings.from_config(config("device", "rtsp://cam/1")).source == "rtsp://cam/1"
    twin = CameraSettings.from_config(config("simulated", "demo/frames"))
    assert (twin.source, twin.kind, twin.loop) == ("demo/frames", "simulated", True)
    with pytest.raises(ValueError, match="no camera"):
        CameraSettings.from_config(config("none", ""))
