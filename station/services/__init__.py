"""Workflow services: receive, inspect, hold, commission, transform, pack, ship, return.

Each service is a function ``(conn, ctx, …)`` that runs inside the caller's write transaction
(``DbWriter.submit``), checks its rules against master data and current state, records EPCIS
events through :func:`station.services.recording.record` (which keeps ``item_state`` current
in the same transaction) and returns the :class:`~station.events.capture.RecordedEvent`.

A refusal raises :class:`~station.services.errors.Refused` with a stable ``reason`` and writes
nothing; the caller audits it in a new transaction with
:func:`~station.services.errors.audit_refusal` (P11-F1). Reason codes:

=================================  =============================================================
``invalid_code``                   the scan is not a valid code
``unknown_di``                     the product is not (actively) in master data
``unknown_order`` / ``order_closed``  the PO/SO does not exist / is not open
``not_on_order``                   the product is not on that PO line / on the SO
``supplier_unqualified``           supplier disqualified or inactive (final)
``supplier_qualification_expired`` supplier's ``qualified_until`` has passed (final)
``supplier_conditional``           conditionally qualified supplier (overridable)
``expired``                        past its expiry (overridable at receipt only)
``serial_required`` / ``lot_required`` / ``bad_quantity`` / ``bad_date``  bad scan or input
``duplicate``                      already received / serial already issued / SSCC in use
``unknown_item``                   no event has named the identifier
``on_hold``                        the item, its lot or a container around it is on hold
``not_on_hold``                    a release of something that is not itself on hold
``reason_required`` / ``no_items`` a reason, or items, missing
``wrong_state``                    the P11-F1 lot state machine does not allow the action
``unknown_plan`` / ``unknown_checkpoint`` / ``incomplete_results`` / ``bad_result`` /
``verdict_contradicts_results`` / ``wrong_plan``  inspection results vs the plan
``not_received``                   a transformation input is not a received lot
``not_commissioned``               the unit has no label identity (commissioning) yet
``already_packed`` / ``not_in_container`` / ``in_container`` / ``invalid_sscc``  packing
``not_released``                   not in stock: in transit, returned, recalled, non-conformant
``not_shipped`` / ``mixed_customers``  returns
``date_mismatch``                  label dates differ from those the lot was produced with
``wrong_trace_level``              serial commissioning of a lot product, or the reverse
``station_not_configured``         this station has no location in master data
``sscc_not_configured`` / ``sscc_exhausted``  new SSCCs: unusable prefix or block / block used up
=================================  =============================================================
"""
