"""Where a camera's frames come from: sources, their settings, and opening them.

A source is a camera index or device path, a network stream URL, a video file (or an OpenCV
image-sequence pattern such as ``frames/f_%04d.png``), or a folder of images.
:func:`open_capture` opens any of them as a :class:`CaptureLike`: ``cv2.VideoCapture`` for all
but folders, which :class:`FolderCapture` plays in name order.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import cv2

from drivers.camera.formats import DEFAULT_FORMATS

_log = logging.getLogger(__name__)

#: Image files a folder source plays, in name order.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp"})
_STREAM_SCHEMES = ("rtsp://", "rtsps://", "rtmp://", "http://", "https://", "udp://", "tcp://")


class SourceKind(enum.StrEnum):
    DEVICE = "device"  # a camera index (0, 1, …) or a device path such as /dev/video0
    STREAM = "stream"  # rtsp://, http:// … (network camera)
    FILE = "file"  # a video file, or an image-sequence pattern such as frames/f_%04d.png
    FOLDER = "folder"  # a directory of images, played in name order
    NONE = "none"  # no source (the simulated camera with nothing to play)


def source_kind(source: int | str) -> SourceKind:
    """What a configured source names.

    >>> [str(source_kind(s)) for s in (0, "1", "rtsp://cam/live", "/dev/video0", "", "a.avi")]
    ['device', 'device', 'stream', 'device', 'none', 'file']
    """
    if isinstance(source, int) or source.strip().isdigit():
        return SourceKind.DEVICE
    if not source:
        return SourceKind.NONE
    if source.lower().startswith(_STREAM_SCHEMES):
        return SourceKind.STREAM
    if source.startswith("/dev/"):
        return SourceKind.DEVICE
    if Path(source).is_dir():
        return SourceKind.FOLDER
    return SourceKind.FILE


@dataclass(frozen=True, slots=True)
class CameraSettings:
    """Where frames come from and how they are read.

    ``width``/``height``/``fps`` are *requests* to a device or stream driver (it may ignore
    them). For files, folders and the simulated camera ``fps`` is the playback rate: None
    plays at the file's own rate (folders and the twin: 15), 0 as fast as frames can be read.
    """

    source: int | str
    kind: str = "device"  # "device" (OpenCV) | "simulated" (the twin), as in station.config
    formats: tuple[str, ...] = DEFAULT_FORMATS
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    loop: bool = False  # files and folders: start again at the end instead of "finished"
    backend: str = "any"  # OpenCV API: "any", "v4l2", "dshow", "msmf", "ffmpeg", …
    repeat_window: float = 1.5  # seconds; 0 delivers every sighting (station.scanning.dedupe)
    pyzbar_second_pass: bool = False
    backoff_initial: float = 0.1
    backoff_max: float = 5.0
    stream_timeout: float = 5.0  # seconds an open or a read of a network stream may block
    preview_width: int = 640  # FrameReport.image is downscaled to at most this width

    @classmethod
    def from_config(cls, config: CameraConfig) -> CameraSettings:
        """The driver settings for ``station.config.Settings.camera()`` (kind "none" refused).

        A device source that is empty means camera 0, a number is a camera index, anything
        else (``/dev/video2``, ``rtsp://…``) is passed to OpenCV as it is.
        """
        if config.kind not in ("device", "simulated"):
            msg = f"no camera to build for camera.kind {config.kind!r}"
            raise ValueError(msg)
        text = config.source.strip()
        source: int | str = text
        if config.kind == "device" and (not text or text.isdigit()):
            source = int(text or 0)
        return cls(
            source=source,
            kind=config.kind,
            formats=tuple(config.formats),
            width=config.width,
            height=config.height,
            loop=config.kind == "simulated",
            repeat_window=config.repeat_window_ms / 1000,
            pyzbar_second_pass=config.pyzbar,
        )


class CameraConfig(Protocol):
    """What :meth:`CameraSettings.from_config` reads of ``station.config.CameraSettings``."""

    @property
    def kind(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def formats(self) -> Sequence[str]: ...
    @property
    def repeat_window_ms(self) -> int: ...
    @property
    def pyzbar(self) -> bool: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...


class CameraOpenError(Exception):
    """The source could not be opened (missing file, no such device, stream refused)."""


class CaptureLike(Protocol):
    """The part of ``cv2.VideoCapture`` the capture thread uses (the twin supplies its own)."""

    def read(self) -> tuple[bool, Any]: ...

    def get(self, prop_id: int, /) -> float: ...

    def release(self) -> None: ...


Opener = Callable[[CameraSettings], CaptureLike]


class FolderCapture:
    """Plays the images of a folder in name order, like a video; unreadable files are skipped.

    The file list is taken when the folder is opened (at each loop for ``loop=True``).
    """

    def __init__(self, folder: Path, fps: float = 0.0) -> None:
        self._files = sorted(
            p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()
        )
        self._next = 0
        self._fps = fps
        self.skipped = 0

    def __len__(self) -> int:
        return len(self._files)

    def read(self) -> tuple[bool, Any]:
        while self._next < len(self._files):
            path = self._files[self._next]
            self._next += 1
            image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
            if image is not None:
                return True, image
            self.skipped += 1
            _log.warning("camera folder: cannot read %s, skipped", path)
        return False, None

    def get(self, prop_id: int, /) -> float:
        if prop_id == cv2.CAP_PROP_FPS:
            return self._fps
        if prop_id == cv2.CAP_PROP_FRAME_COUNT:
            return float(len(self._files))
        return 0.0

    def release(self) -> None:
        self._files = []


def _api(backend: str) -> int:
    value = getattr(cv2, f"CAP_{backend.upper()}", None)
    if not isinstance(value, int):
        msg = f"unknown OpenCV capture backend {backend!r}"
        raise CameraOpenError(msg)
    return value


def open_capture(settings: CameraSettings) -> CaptureLike:
    """Open ``settings.source`` for reading; raises :class:`CameraOpenError` when it cannot."""
    source = settings.source
    kind = source_kind(source)
    if kind == SourceKind.NONE:
        msg = "no camera source configured"
        raise CameraOpenError(msg)
    if kind == SourceKind.FOLDER:
        folder = FolderCapture(Path(str(source)))
        if not len(folder):
            msg = f"no images in folder {source}"
            raise CameraOpenError(msg)
        return folder
    api = _api(settings.backend)
    capture: cv2.VideoCapture
    if kind == SourceKind.DEVICE:
        index_or_path = int(source) if str(source).strip().isdigit() else str(source)
        capture = cv2.VideoCapture(index_or_path, api)
    elif kind == SourceKind.STREAM:
        # FFmpeg honours these; they bound how long open() and read() can block on a dead
        # network camera, which is what keeps stop() and reconnects prompt.
        ms = int(settings.stream_timeout * 1000)
        timeouts = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, ms, cv2.CAP_PROP_READ_TIMEOUT_MSEC, ms]
        capture = cv2.VideoCapture(str(source), api, timeouts)
    else:
        path = str(source)
        if "%" not in path and not Path(path).is_file():
            msg = f"no such file: {path}"
            raise CameraOpenError(msg)
        capture = cv2.VideoCapture(path, api)
    if not capture.isOpened():
        capture.release()
        msg = f"cannot open camera source {source!r}"
        raise CameraOpenError(msg)
    if kind in (SourceKind.DEVICE, SourceKind.STREAM):
        for prop, value in (
            (cv2.CAP_PROP_FRAME_WIDTH, settings.width),
            (cv2.CAP_PROP_FRAME_HEIGHT, settings.height),
            (cv2.CAP_PROP_FPS, settings.fps),
        ):
            if value:
                capture.set(prop, float(value))
    return capture
