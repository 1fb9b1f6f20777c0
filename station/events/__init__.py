"""EPCIS 2.0 events: identifiers (:mod:`.ids`), drafts (:mod:`.model`) and capture into the
append-only ledger (:mod:`.capture`). See docs/event-store.md, "Events"."""
