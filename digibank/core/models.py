from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import DepartmentRole
from .tenancy import ScopedManager
from .validators import single_line_text


class User(AbstractUser):
    """A staff account. Residents never log in; their records live in the clients domain.

    A user's roles in digibanks are memberships (network); a role at the Department is kept here,
    because it is not tied to any digibank."""

    # AbstractUser's name fields, with the check every other name gets.
    first_name = models.CharField(_("first name"), max_length=150, blank=True, validators=[single_line_text])
    last_name = models.CharField(_("last name"), max_length=150, blank=True, validators=[single_line_text])
    department_role = models.CharField(
        _("role at the Department"), max_length=32, choices=DepartmentRole.choices, blank=True
    )

    class Meta:
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class VersionedText(models.Model):
    """A text a digibank publishes in versions (a privacy notice, a loan agreement). A version is
    never changed once published: what was agreed keeps pointing to it. Each kind declares its
    `digibank` (with its own related name), its `text` and the one-version-once constraint;
    `core.services.latest_version` and `publish_version` read and write them."""

    version = models.PositiveIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = ScopedManager()
    tenant_path = "digibank_id"

    class Meta:
        abstract = True
        ordering = ["-version"]
