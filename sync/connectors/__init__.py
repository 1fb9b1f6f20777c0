"""Connectors: how a batch of recorded events reaches a centre (EPCIS capture, JSON webhook)."""
