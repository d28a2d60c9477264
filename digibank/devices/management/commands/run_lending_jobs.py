"""Queue the device bank's daily job; schedule this daily (cron, a systemd timer). The worker
(`manage.py db_worker`) runs it."""

from django.core.management.base import BaseCommand

from digibank.devices.jobs import daily_lending_jobs


class Command(BaseCommand):
    help = "Queue the job that passes on expired offers and reminds loans that are due or overdue."

    def handle(self, *args, **options):
        result = daily_lending_jobs.enqueue()
        self.stdout.write(f"lending jobs queued: {result.id}")
