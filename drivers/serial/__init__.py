"""Serial (RS-232 / USB-CDC) barcode scanners: pure framing, reader thread, port discovery."""
