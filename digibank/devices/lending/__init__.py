"""Lending: a digibank's rules and agreement, who may borrow (eligibility), check-out and
check-in at the desk, loans and their agreement, extensions, incidents, partner bookings and
reminders."""
