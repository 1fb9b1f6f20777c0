"""Cameras: frame capture (OpenCV), barcode decoding (zxing-cpp, optional pyzbar), twins."""
