"""Queue guidance's daily job; schedule this daily (cron, a systemd timer). The worker (`manage.py
db_worker`) runs it."""

from django.core.management.base import BaseCommand

from digibank.guidance.jobs import daily_guidance_jobs


class Command(BaseCommand):
    help = "Queue the job that reminds tomorrow's appointments and erases contact details whose time is up."

    def handle(self, *args, **options):
        result = daily_guidance_jobs.enqueue()
        self.stdout.write(f"guidance jobs queued: {result.id}")
