"""Alembic migrations for the station database; run through :mod:`station.persistence.migrate`."""
