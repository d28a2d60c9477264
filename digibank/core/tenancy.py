"""The current digibank and role of a request: the one place where tenancy is decided.

Every staff query goes through `ScopedQuerySet.visible_to(tenancy)`, and every staff view and API
endpoint gets its tenancy from `tenancy_of(request)`. Core does not know how memberships are stored:
the resolver named in settings.DIGIBANK_TENANCY_RESOLVER (network) turns a user and a wished-for
digibank into a Tenancy."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.module_loading import import_string

from .roles import ROLE_PERMISSIONS

if TYPE_CHECKING:
    from django.http import HttpRequest

SESSION_KEY = "digibank_id"
HEADER = "HTTP_X_DIGIBANK"


@dataclass(frozen=True)
class Choice:
    digibank_id: int
    name: str
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Tenancy:
    """Who is asking, for which digibank, with which roles."""

    user_id: int | None = None
    digibank_id: int | None = None
    digibank_name: str = ""
    roles: tuple[str, ...] = ()
    department_role: str = ""
    is_superuser: bool = False
    choices: tuple[Choice, ...] = field(default=())

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_department(self) -> bool:
        return bool(self.department_role) or self.is_superuser

    @property
    def needs_choice(self) -> bool:
        """Has roles in several digibanks and has not chosen one yet."""
        return self.digibank_id is None and len(self.choices) > 1

    def permissions(self) -> set[str]:
        perms: set[str] = set()
        for role in (*self.roles, self.department_role):
            perms |= ROLE_PERMISSIONS.get(role, set())
        return perms

    @property
    def granted(self) -> frozenset[str]:
        """Every permission this tenancy can exercise now, for templates: `'network.manage' in tenancy.granted`."""
        known = set().union(*ROLE_PERMISSIONS.values())
        return frozenset(p for p in known if self.can(p))

    def can(self, perm: str) -> bool:
        if self.is_superuser:
            return True
        if perm.startswith("department."):
            return perm in ROLE_PERMISSIONS.get(self.department_role, set())
        # A digibank permission needs a digibank to be chosen: it is exercised in that digibank only.
        return self.digibank_id is not None and perm in self.permissions()


ANONYMOUS = Tenancy()


@cache
def _resolver() -> Callable[[Any, int | None], Tenancy]:
    return import_string(settings.DIGIBANK_TENANCY_RESOLVER)


def _wished_digibank(request: HttpRequest) -> int | None:
    raw = request.META.get(HEADER)
    if raw is None and hasattr(request, "session"):
        raw = request.session.get(SESSION_KEY)
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None


def tenancy_of(request: HttpRequest) -> Tenancy:
    """The tenancy of this request, computed once per request and user (DRF authenticates late)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(request, "_digibank_tenancy", None)
    if cached is not None and cached.user_id == user.pk:
        return cached
    tenancy = _resolver()(user, _wished_digibank(request))
    request._digibank_tenancy = tenancy  # type: ignore[attr-defined]
    return tenancy


def choose_digibank(request: HttpRequest, digibank_id: int) -> bool:
    """Remember the digibank a user works in, if they have a role there."""
    user = request.user
    tenancy = _resolver()(user, digibank_id)
    if tenancy.digibank_id != digibank_id:
        return False
    request.session[SESSION_KEY] = digibank_id
    request._digibank_tenancy = tenancy  # type: ignore[attr-defined]
    return True


def tenancy_context(request: HttpRequest) -> dict[str, Any]:
    return {"tenancy": tenancy_of(request)}


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows which digibank owns each row.

    A model using it sets `tenant_path`: the lookup from the row to its digibank's id, e.g.
    "digibank_id", "hub__digibank_id" or "pk" for the digibank itself. `department_reads` says
    whether the Department may read the rows of every digibank (network facts, not people)."""

    def visible_to(self, tenancy: Tenancy) -> ScopedQuerySet:
        model = self.model
        if tenancy.is_superuser:
            return self
        if tenancy.department_role and getattr(model, "department_reads", False) and tenancy.digibank_id is None:
            return self
        if tenancy.digibank_id is None:
            return self.none()
        return self.filter(**{model_tenant_path(model): tenancy.digibank_id})


def model_tenant_path(model) -> str:
    path = getattr(model, "tenant_path", None)
    if path is None:
        raise ImproperlyConfigured(f"{model.__name__} uses ScopedQuerySet but sets no tenant_path")
    return path


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
