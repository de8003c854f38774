"""Engines run the pure stage functions against a store: ``local`` is the embedded default."""
