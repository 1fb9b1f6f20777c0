"""Report renderers (PDF via reportlab): layout only; the content is ``station.trace.report``."""
