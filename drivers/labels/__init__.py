"""Label renderers: a :class:`station.labels.model.ResolvedLabel` turned into printer bytes.

Each renderer lives in its own module (``pdf``, ``raster``, ``zpl``) and imports its own
libraries, so loading one does not load the others. What they share is here and in
:mod:`drivers.labels.symbols` (module matrices from zxing-cpp's encoder).
"""

from __future__ import annotations

from station.errors import StationError

__all__ = ["LabelRenderError"]


class LabelRenderError(StationError):
    """A label cannot be drawn exactly as resolved (nothing is printed rather than a wrong label).

    Raised when a symbol's encoded content differs from what the label says it carries, when a
    text has a character no available font can show, or when an item does not fit the label.
    """
