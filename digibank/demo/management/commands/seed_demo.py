from django.conf import settings
from django.core.management.base import BaseCommand

from digibank.devices.demo import seed_demo_devices
from digibank.guidance.demo import seed_guidance_demo
from digibank.guidance.demo_week import seed_guidance_week
from digibank.network.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Fill an empty database with the demo network (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        logins = seed_demo()
        # The devices of the demo build on its network.
        seed_demo_devices()
        # Guidance (the digihelpers) builds on its network too.
        seed_guidance_demo()
        # A week of contacts, appointments, a queue and referrals, after the digihelpers.
        logins += seed_guidance_week()
        self.stdout.write(f"\nDemo logins on {settings.SITE_URL}/login/ (password for all: {DEMO_PASSWORD})")
        for username, what in logins:
            self.stdout.write(f"  {username:<22} {what}")
        self.stdout.write("")
