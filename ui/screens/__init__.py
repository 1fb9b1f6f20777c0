"""The role screens (goods-in, packaging, QC bench, shipping, trace, recall, audit, admin).

Each is a :class:`ui.screens.base.StationScreen`; the main window stacks them, routes every
scan to the one on show, and opens each with its one-key shortcut.
"""
