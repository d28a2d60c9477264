"""Staff accounts: the mail that lets a person choose their own password."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm


def send_password_link(user) -> None:
    """Mail the person a one-time link to choose a password (a new account, or a forgotten one)."""
    site = urlsplit(settings.SITE_URL)
    form = PasswordResetForm({"email": user.email})
    if form.is_valid():
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            email_template_name="registration/password_reset_email.html",
            subject_template_name="registration/password_reset_subject.txt",
        )
