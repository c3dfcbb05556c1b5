import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Creates the first administrator when the site has none. The password comes from "
        "DJANGO_SUPERUSER_PASSWORD, or is generated and printed this once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("An administrator exists already.")
            return

        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin")
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email=email, password=password)

        self.stdout.write(self.style.SUCCESS(f"Administrator '{username}' created: log in at /admin/."))
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    f"Its generated password, shown only this once: {password}\n"
                    f"Change it with: .venv/bin/python manage.py changepassword {username}"
                )
            )
