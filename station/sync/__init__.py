"""The station side of sync with the ERP: the outbox and master data (pure; no HTTP)."""
