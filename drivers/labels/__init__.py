"""Label renderers (PDF, PNG, ZPL) that turn a ResolvedLabel into printer bytes."""
