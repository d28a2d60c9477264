"""The waiting list: a client's request for a device, its place in line and moves in it, and the
offers of ready devices to the first in line."""
