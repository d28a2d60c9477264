"""The device register: a device, its states and its history (every event), the lifecycle
that says which move is allowed, and finding a device by its asset tag."""
