"""What other domains hear from clients, so the arrows keep pointing one way: clients does not know
who keeps personal data next to its own; those domains listen."""

from django.dispatch import Signal

# Sent inside the anonymising transaction, with `client`: every domain erases what it keeps of the
# person (names written on a signature, free text about them) and keeps its counts.
client_anonymised = Signal()
