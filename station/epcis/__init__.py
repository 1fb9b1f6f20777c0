"""EPCIS 2.0 documents: assembly (:mod:`.document`) and validation against the official GS1
JSON Schema (:mod:`.schema`). See docs/event-store.md, "EPCIS export"."""
