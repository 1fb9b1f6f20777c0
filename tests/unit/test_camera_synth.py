"""Synthetic label frames: deterministic, truthful expected bytes, readable back from disk."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import zxingcpp

from drivers.camera.synth import (
    Distortion,
    LabelSpec,
    clean_set,
    distorted_case,
    distorted_set,
    empty_frame,
    label_frame,
    standard_specs,
    write_folder,
    write_video,
)

SMALL = (640, 480)


def _reads(frame: np.ndarray) -> list[bytes]:
    results = zxingcpp.read_barcodes(frame, text_mode=zxingcpp.TextMode.Plain)
    return [(r.symbology_identifier + r.text).encode("utf-8") for r in results]


def test_standard_specs_cover_the_label_kinds() -> None:
    specs = standard_specs()
    assert [s.expected[:3] for s in specs] == [b"]d2", b"]d1", b"]C1", b"]Q3", b"]Q1"]
    assert b"\x1d" in specs[0].expected  # lot and serial separated by GS
    assert all(isinstance(s, LabelSpec) and s.name for s in specs)


@pytest.mark.parametrize("spec", standard_specs(), ids=lambda s: s.name)
def test_expected_bytes_are_what_a_clean_render_decodes_to(spec: LabelSpec) -> None:
    module_px = 3.0 if spec.format == "Code128" else 5.0
    frame = label_frame(spec, Distortion(module_px=module_px), size=(1280, 720), seed=3)
    assert _reads(frame) == [spec.expected]


def test_same_seed_same_pixels_other_seed_other_frame() -> None:
    spec = standard_specs()[3]
    hard = Distortion(rotation_deg=33, blur_sigma=1, noise_sigma=8, perspective=0.2, glare=0.5)
    a = label_frame(spec, hard, SMALL, seed=5)
    assert a.shape == (480, 640, 3)
    assert a.dtype == np.uint8
    assert np.array_equal(a, label_frame(spec, hard, SMALL, seed=5))
    assert not np.array_equal(a, label_frame(spec, hard, SMALL, seed=6))
    assert np.array_equal(empty_frame(SMALL, 2), empty_frame(SMALL, 2))


def test_center_places_the_symbol() -> None:
    spec = standard_specs()[0]
    frame = label_frame(spec, Distortion(module_px=4), SMALL, seed=1, center=(150, 300))
    result = zxingcpp.read_barcodes(frame)[0]
    cx = sum(p.x for p in (result.position.top_left, result.position.bottom_right)) / 2
    cy = sum(p.y for p in (result.position.top_left, result.position.bottom_right)) / 2
    # The caption under the symbol shifts the label centre a few modules below the symbol's.
    assert abs(cx - 150) < 12
    assert abs(cy - 300) < 30


def test_a_label_too_big_for_the_frame_is_scaled_to_fit() -> None:
    spec = standard_specs()[2]  # GS1-128: 266 modules wide
    frame = label_frame(spec, Distortion(module_px=8), SMALL, seed=0)
    assert _reads(frame) == [spec.expected]


def test_empty_frames_hold_no_code() -> None:
    for seed in range(6):
        assert zxingcpp.read_barcodes(empty_frame(SMALL, seed)) == []


def test_distorted_set_is_deterministic_and_mixes_in_empty_frames() -> None:
    a = distorted_set((320, 240), count=6, seed=4)
    b = distorted_set((320, 240), count=6, seed=4)
    assert [e for _, e in a] == [e for _, e in b]
    assert all(np.array_equal(x, y) for (x, _), (y, _) in zip(a, b, strict=True))
    cases = [distorted_case((1280, 720), 0, i) for i in range(400)]
    empty = sum(spec is None for spec, _, _ in cases)
    assert 0.10 < empty / 400 < 0.20
    kinds = {spec.format for spec, _, _ in cases if spec}
    assert kinds == {"DataMatrix", "Code128", "QRCode"}
    distortions = [d for _, d, _ in cases if d]
    assert any(d.module_px < 2 for d in distortions)
    assert any(45 < d.rotation_deg < 315 for d in distortions)
    assert any(d.contrast < 0.5 for d in distortions)


def test_clean_set_reads_with_plain_zxing() -> None:
    for frame, expected in clean_set((1280, 720), count=5, seed=1):
        assert _reads(frame) == ([expected] if expected else [])


def test_folder_round_trip_is_lossless(tmp_path: Path) -> None:
    frames = [
        label_frame(s, Distortion(module_px=3), SMALL, seed=i)
        for i, s in enumerate(standard_specs()[:2])
    ]
    files = write_folder(tmp_path / "frames", frames)
    assert [f.name for f in files] == ["frame-00000.png", "frame-00001.png"]
    for file, frame in zip(files, frames, strict=True):
        image = cv2.imread(str(file))
        assert image is not None
        assert np.array_equal(image, frame)


def test_video_round_trip_through_videocapture(tmp_path: Path) -> None:
    specs = standard_specs()
    frames = [label_frame(s, Distortion(module_px=4), SMALL, seed=i) for i, s in enumerate(specs)]
    path = write_video(tmp_path / "labels.avi", frames, fps=15)
    capture = cv2.VideoCapture(str(path))
    try:
        assert capture.isOpened()
        read = []
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            read.append(frame)
    finally:
        capture.release()
    assert len(read) == len(frames)
    assert read[0].shape == frames[0].shape
    # MJPG is lossy, but every label still decodes to its exact bytes.
    assert [_reads(f) for f in read] == [[s.expected] for s in specs]


def test_write_video_refuses_no_frames(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no frames"):
        write_video(tmp_path / "none.avi", [])
