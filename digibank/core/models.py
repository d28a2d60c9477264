from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .roles import DepartmentRole


class User(AbstractUser):
    """A staff account. Residents never log in; their records live in the clients domain.

    A user's roles in digibanks are memberships (network); a role at the Department is kept here,
    because it is not tied to any digibank."""

    department_role = models.CharField(
        _("role at the Department"), max_length=32, choices=DepartmentRole.choices, blank=True
    )

    class Meta:
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")

    def __str__(self) -> str:
        return self.get_full_name() or self.username
