"""Reusable widgets for the station screens."""
