"""Trace and recall: where a unit or lot came from, where it went, and what is affected.

Read-only queries over the ledger (``event``, ``event_ident``, ``genealogy``); the only write is
:func:`station.trace.holds.place_recall_holds`, which records hold events through the writer.
"""
