"""Guidance's daily job (run by `manage.py db_worker`, queued daily by `manage.py run_guidance_jobs` from
cron or a systemd timer): remind everyone booked for tomorrow, and erase the contact details whose time
is up. Both are idempotent."""

from __future__ import annotations

from django_tasks import task

from digibank.guidance.appointments.services import send_reminders
from digibank.guidance.privacy import erase_expired_details


@task()
def daily_guidance_jobs() -> dict[str, int]:
    erased = erase_expired_details()
    return {
        "reminders": send_reminders(),
        "erased_appointments": erased["appointments"],
        "erased_referrals": erased["referrals"],
    }
