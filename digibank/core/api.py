"""What every domain's API shares: the error shape, scoping and role checks (pagination: pagination.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .tenancy import tenancy_of


def exception_handler(exc, context):
    """Services raise Django's ValidationError; the API answers it as a 400 with field errors."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if name == "__all__" else name): [str(m) for e in errs for m in e.messages]
                for name, errs in exc.error_dict.items()
            }
        else:
            detail = {"non_field_errors": [str(m) for m in exc.messages]}
        return Response(detail, status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    return drf_exception_handler(exc, context)


class HasPermission(permissions.BasePermission):
    """The view names `read_permission` and `write_permission`: one permission or a tuple of them,
    any of which suffices."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        tenancy = tenancy_of(request)
        wanted = view.read_permission if request.method in permissions.SAFE_METHODS else view.write_permission
        if isinstance(wanted, str):
            wanted = (wanted,)
        if any(tenancy.can(perm) for perm in wanted if perm):
            return True
        if tenancy.needs_choice:
            self.message = _("You work in several digibanks: choose one with the X-Digibank header.")
        return False


DIGIBANK_HEADER = OpenApiParameter(
    "X-Digibank",
    OpenApiTypes.INT,
    OpenApiParameter.HEADER,
    description="The id of the digibank you work in; needed when you have roles in more than one.",
)


class ScopedSchema(AutoSchema):
    """Documents the X-Digibank header on every scoped operation."""

    def get_override_parameters(self):
        return [*super().get_override_parameters(), DIGIBANK_HEADER]


class ScopedViewSetMixin:
    """The queryset of every endpoint is narrowed to the rows the caller's tenancy may see."""

    permission_classes = [HasPermission]
    read_permission: str | tuple[str, ...] = ""
    write_permission: str | tuple[str, ...] = ""
    schema = ScopedSchema()

    @property
    def tenancy(self):
        return tenancy_of(self.request)

    def get_queryset(self):
        return super().get_queryset().visible_to(self.tenancy)


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference to a row the caller's tenancy may see; any other row 'does not exist'."""

    def get_queryset(self):
        return super().get_queryset().visible_to(tenancy_of(self.context["request"]))
