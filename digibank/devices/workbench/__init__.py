"""The technician's workbench: a device's page with its next steps, and the device API with its
actions (a move, an erasure, a ready check, a repair, a transfer, recycling, a hand-over)."""
