"""Refurbishment: software profiles, the moves of a device through wiping, erasure records and
the import of an erasure log, the ready check, repairs, and recycling in collections."""
