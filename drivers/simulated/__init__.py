"""Simulated twins of the station's devices (``docs/architecture.md`` §5)."""
