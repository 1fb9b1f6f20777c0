"""The station's frame decoder: reads what plain zxing-cpp misses, never invents a code.

Timing is not asserted here (the benchmark measures speed). Decoders under test get a large
time budget so a busy test machine cannot skip a pass and make a test flaky.
"""

from __future__ import annotations

import math
import threading
from typing import Any

import numpy as np
import pytest

from drivers.camera.decoders import (
    PyzbarDecoder,
    StationDecoder,
    ZxingDecoder,
)
from drivers.camera.detection import Detection
from drivers.camera.multipass import _linear_variants, deduplicate, noise_level
from drivers.camera.regions import box_crop, to_grey, upright_crop
from drivers.camera.synth import (
    Distortion,
    LabelSpec,
    distorted_case,
    distorted_item,
    empty_frame,
    label_frame,
    standard_specs,
)
from drivers.camera.zbar import zbar_available

SIZE_720P = (1280, 720)
SMALL = (640, 480)
NO_BUDGET = 5000.0


def _station(**options: object) -> StationDecoder:
    return StationDecoder(budget_ms=NO_BUDGET, **options)  # type: ignore[arg-type]


def _bytes(detections: list[Detection]) -> list[bytes]:
    return [d.scan_bytes() for d in detections]


@pytest.mark.parametrize("spec", standard_specs(), ids=lambda s: s.name)
def test_reads_every_standard_label_clean(spec: LabelSpec) -> None:
    module_px = 3.0 if spec.format == "Code128" else 5.0
    frame = label_frame(spec, Distortion(module_px=module_px), SIZE_720P, seed=11)
    found = _station().decode(frame)
    assert _bytes(found) == [spec.expected]
    assert found[0].found_by == "full"
    assert found[0].decoder == "station"
    assert found[0].format == spec.format


# Frames of the benchmark's distorted set (720p, seed 0) that one zxing-cpp pass with the
# recommended settings misses and the station reads, with the pass that finds them.
PINNED = [
    (7, "linear"),  # GS1-128 turned 166°, low contrast: rectified, then read
    (72, "linear"),  # GS1-128 at 77°
    (136, "candidate"),  # HIBC DataMatrix, 1.6 px modules, low contrast: enlarged ×2
    (82, "full"),  # GS1-128, heavy noise, low contrast: read after smoothing
]


@pytest.mark.parametrize(("index", "found_by"), PINNED)
def test_reads_hard_frames_that_one_zxing_pass_misses(index: int, found_by: str) -> None:
    frame, expected = distorted_item(SIZE_720P, 0, index)
    assert expected is not None
    assert expected not in _bytes(ZxingDecoder().decode(frame))
    found = _station().decode(frame)
    assert _bytes(found) == [expected]
    assert found[0].found_by == found_by


def test_a_spent_budget_stops_the_extra_passes() -> None:
    frame, _ = distorted_item(SIZE_720P, 0, 7)
    decoder = StationDecoder(budget_ms=0)
    assert decoder.decode(frame) == []
    assert decoder.last_passes == ("full",)


def test_no_false_reads_on_empty_frames() -> None:
    decoder = _station(pyzbar_second_pass=True)
    for seed in range(24):
        size = SMALL if seed % 2 else SIZE_720P
        assert decoder.decode(empty_frame(size, seed)) == [], seed


def test_no_false_reads_on_flat_noise_and_tiny_frames() -> None:
    decoder = _station(pyzbar_second_pass=True)
    rng = np.random.default_rng(7)
    frames: list[Any] = [
        rng.integers(0, 256, (480, 640), dtype=np.uint8),
        np.full((720, 1280, 3), 200, np.uint8),
        np.zeros((1, 1), np.uint8),
        np.zeros((2, 3, 4), np.uint8),  # BGRA
        np.full((40, 40), 30000, np.uint16),
    ]
    for frame in frames:
        assert decoder.decode(frame) == []


def test_bad_arrays_raise_a_clear_error() -> None:
    with pytest.raises(ValueError, match="not an image"):
        to_grey(np.zeros((3, 3, 2), np.uint8))
    with pytest.raises(ValueError, match="pixel type"):
        to_grey(np.zeros((3, 3), np.int64))
    for decoder in (_station(pyzbar_second_pass=True), ZxingDecoder()):
        for bad in (
            np.zeros((0, 0), np.uint8),
            np.zeros((9, 0, 3), np.uint8),
            np.zeros(5, np.uint8),
        ):
            with pytest.raises(ValueError, match="image"):
                decoder.decode(bad)


def test_roi_memory_reads_a_code_that_shrank_where_it_just_was() -> None:
    spec = standard_specs()[0]
    near = label_frame(spec, Distortion(module_px=4), SMALL, seed=0, center=(320, 240))
    far = label_frame(
        spec, Distortion(module_px=1.4, rotation_deg=7), SMALL, seed=0, center=(320, 240)
    )
    assert ZxingDecoder().decode(far) == []
    assert _station(candidate_pass=False).decode(far) == []  # no memory: not found

    decoder = _station(candidate_pass=False)
    assert _bytes(decoder.decode(near)) == [spec.expected]
    found = decoder.decode(far)
    assert _bytes(found) == [spec.expected]
    assert found[0].found_by == "roi"


def test_roi_memory_expires() -> None:
    spec = standard_specs()[0]
    near = label_frame(spec, Distortion(module_px=4), SMALL, seed=0, center=(320, 240))
    far = label_frame(
        spec, Distortion(module_px=1.4, rotation_deg=7), SMALL, seed=0, center=(320, 240)
    )
    blank = np.full((480, 640), 128, np.uint8)
    decoder = _station(candidate_pass=False, roi_keep_frames=2)
    decoder.decode(near)
    decoder.decode(blank)
    decoder.decode(blank)
    assert decoder.decode(far) == []
    decoder.decode(near)
    decoder.reset()
    assert decoder.decode(far) == []


def test_two_identical_labels_are_two_detections() -> None:
    spec = standard_specs()[3]
    left = label_frame(spec, Distortion(module_px=4), SMALL, seed=1, center=(320, 240))
    right = label_frame(spec, Distortion(module_px=4), SMALL, seed=2, center=(320, 240))
    found = _station().decode(np.hstack([left, right]))
    assert _bytes(found) == [spec.expected, spec.expected]
    xs = sorted(d.bounding_box()[0] for d in found)
    assert xs[1] - xs[0] > 400


def _det(raw: bytes, x: int, found_by: str = "full") -> Detection:
    corners = ((x, 10), (x + 50, 10), (x + 50, 60), (x, 60))
    return Detection(raw, "]d2", "DataMatrix", corners, "station", found_by)


def test_deduplicate_keeps_the_first_report_of_one_symbol() -> None:
    a, again, moved = _det(b"A", 100), _det(b"A", 104, "candidate"), _det(b"A", 400)
    other = _det(b"B", 100)
    assert deduplicate([a, again, moved, other]) == [a, moved, other]


def test_corners_map_back_from_an_enlarged_crop() -> None:
    spec = standard_specs()[4]
    frame = label_frame(spec, Distortion(module_px=3, rotation_deg=20), SMALL, seed=4)
    decoder = _station()
    direct = decoder.decode(frame)[0]
    crop = box_crop(to_grey(frame), direct.bounding_box(), margin=0.4, upscale=2.5)
    found = decoder._crop_detections(crop, "candidate")  # the mapping itself
    assert _bytes(found) == [spec.expected]
    for (x, y), (u, v) in zip(found[0].corners, direct.corners, strict=True):
        assert abs(x - u) <= 2
        assert abs(y - v) <= 2


def test_upright_crop_round_trips_points() -> None:
    grey = np.zeros((480, 640), np.uint8)
    quad = np.array([[100, 100], [300, 180], [280, 230], [80, 150]], np.float32)
    crop = upright_crop(grey, quad)
    transform = crop.frame_to_crop
    for x, y in [(100.0, 100.0), (250.0, 170.0)]:
        u = transform[0, 0] * x + transform[0, 1] * y + transform[0, 2]
        v = transform[1, 0] * x + transform[1, 1] * y + transform[1, 2]
        assert crop.to_frame((u, v)) == (round(x), round(y))
    assert crop.image.shape[1] > crop.image.shape[0]  # long side horizontal


def test_linear_variants_keep_the_way_back_to_the_frame() -> None:
    grey = np.random.default_rng(3).integers(0, 256, (480, 640), dtype=np.uint8)
    quad = np.array([[100, 100], [300, 180], [280, 230], [80, 150]], np.float32)
    variants = list(_linear_variants(upright_crop(grey, quad)))
    assert len(variants) == 4
    for crop in variants:
        t = crop.frame_to_crop
        u = t[0, 0] * 250 + t[0, 1] * 170 + t[0, 2]
        v = t[1, 0] * 250 + t[1, 1] * 170 + t[1, 2]
        assert crop.to_frame((u, v)) == (250, 170)
        assert 0 <= u < crop.image.shape[1]
        assert 0 <= v < crop.image.shape[0]


def test_rotated_bar_code_corners_follow_the_symbol() -> None:
    spec = standard_specs()[2]
    frame = label_frame(
        spec, Distortion(module_px=2, rotation_deg=30), SIZE_720P, seed=3, center=(640, 360)
    )
    assert ZxingDecoder().decode(frame) == []
    found = _station().decode(frame)
    assert _bytes(found) == [spec.expected]
    assert found[0].found_by == "linear"
    (x0, y0), (x1, y1), _, _ = found[0].corners
    angle = math.degrees(math.atan2(y1 - y0, x1 - x0)) % 180
    assert abs(angle - 30) < 4  # top edge runs along the bars' sequence
    cx = sum(p[0] for p in found[0].corners) / 4
    cy = sum(p[1] for p in found[0].corners) / 4
    assert math.hypot(cx - 640, cy - 360) < 20


def test_noise_level_tells_noisy_frames_from_clean_ones() -> None:
    spec = standard_specs()[0]
    clean = to_grey(label_frame(spec, Distortion(), SMALL, seed=1))
    noisy = to_grey(label_frame(spec, Distortion(noise_sigma=15), SMALL, seed=1))
    assert noise_level(clean) < 5 < noise_level(noisy)


def test_one_decoder_survives_calls_from_two_threads() -> None:
    decoder = _station()
    spec = standard_specs()[0]
    frame = label_frame(spec, Distortion(module_px=4), SMALL, seed=0)
    results: list[list[bytes]] = []

    def work() -> None:
        results.extend(_bytes(decoder.decode(frame)) for _ in range(5))

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [[spec.expected]] * 10


@pytest.mark.skipif(not zbar_available(), reason="libzbar0 not installed")
def test_pyzbar_reads_content_without_aim_id() -> None:
    qr = standard_specs()[3]
    frame = label_frame(qr, Distortion(module_px=4), SMALL, seed=0)
    found = PyzbarDecoder().decode(frame)
    assert [(d.symbology, d.raw) for d in found] == [("", qr.expected[3:])]
    assert found[0].format == "QRCode"
    dm = standard_specs()[0]
    assert PyzbarDecoder().decode(label_frame(dm, Distortion(module_px=4), SMALL, seed=0)) == []


def test_distorted_case_matches_the_pinned_frames() -> None:
    spec, distortion, _ = distorted_case(SIZE_720P, 0, 7)
    assert spec is not None
    assert distortion is not None
    assert spec.format == "Code128"
    assert 90 < distortion.rotation_deg < 270


def test_the_default_budget_scales_with_the_frame_pixels() -> None:
    """30 ms into a frame: spent for 720p (20 ms), not for 1080p (45 ms)."""

    def clock_30ms_per_call() -> float:
        ticks.append(len(ticks) * 0.030)
        return ticks[-1]

    for size, extra_passes in ((SIZE_720P, False), ((1920, 1080), True)):
        ticks: list[float] = []
        decoder = StationDecoder(clock=clock_30ms_per_call)
        assert decoder.decode(empty_frame(size, 1)) == []
        assert ("linear" in decoder.last_passes) is extra_passes, size
