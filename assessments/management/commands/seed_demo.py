from django.conf import settings
from django.core.management.base import BaseCommand

from assessments.dataops.demo import seed_demo


class Command(BaseCommand):
    help = "Create demo users for every role and demo projects with partly answered assessments (idempotent)."

    def handle(self, *args, **options):
        logins = seed_demo()
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/ with:")
        )
        width = max(len(username) for username, _ in logins)
        for username, description in logins:
            self.stdout.write(f"  {username.ljust(width)}  {description}")
        self.stdout.write(f"Every demo account's password is: {settings.CHIIA_DEMO_PASSWORD}")
