"""The daily job of appointments: remind everyone booked for tomorrow (run by `manage.py db_worker`,
queued daily by `manage.py run_appointment_reminders` from cron or a systemd timer)."""

from __future__ import annotations

from django_tasks import task

from digibank.guidance.appointments.services import send_reminders


@task()
def appointment_reminders() -> dict[str, int]:
    """Each booking is reminded once, however often the job runs (services.send_reminders)."""
    return {"reminders": send_reminders()}
