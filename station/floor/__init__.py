"""Shop-floor work the role screens do before they record: checks that write nothing.

The services (``station.services``) remain the authority: they check everything again inside
the writer's transaction and refuse with the same stable reason codes. These helpers let a
screen show the verdict the moment a code is scanned — every check at once, not only the
first — and read what a screen lists (open orders, their lines, what is in a container).
They read on any connection (a screen's own read connection) and never write, except
:func:`station.floor.entry.record_manual_entry`, which runs in the caller's transaction.
"""
