"""Master data: products, suppliers, parties, locations, orders and inspection plans.

Cached from the ERP, or edited by an administrator on a standalone station; every change is
audited in the same transaction (compliance P11-E1).
"""
