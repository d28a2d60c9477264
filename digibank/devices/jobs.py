"""The daily job of the device bank: at the domain's root, above lending and the waiting list, as it calls both."""

from __future__ import annotations

from django_tasks import task

from digibank.devices.lending.notify import send_reminders
from digibank.devices.waiting_list.services import offers_expire


@task()
def daily_lending_jobs() -> dict[str, int]:
    """Offers not taken up pass on, loans are reminded."""
    return {"offers_expired": offers_expire(), "reminders": send_reminders()}
