"""Queue the reminders of tomorrow's appointments; schedule this daily (cron, a systemd timer). The
worker (`manage.py db_worker`) runs it."""

from django.core.management.base import BaseCommand

from digibank.guidance.appointments.jobs import appointment_reminders


class Command(BaseCommand):
    help = "Queue the job that reminds everyone with an appointment tomorrow."

    def handle(self, *args, **options):
        result = appointment_reminders.enqueue()
        self.stdout.write(f"appointment reminders queued: {result.id}")
