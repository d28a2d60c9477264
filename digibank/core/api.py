"""What every domain's API shares: pagination, the error shape, scoping and role checks."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, pagination, permissions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .tenancy import tenancy_of


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


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
    """The view names `read_permission` and `write_permission`; the tenancy must hold the one asked."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        tenancy = tenancy_of(request)
        wanted = view.read_permission if request.method in permissions.SAFE_METHODS else view.write_permission
        return bool(wanted) and tenancy.can(wanted)


class ScopedViewSetMixin:
    """The queryset of every endpoint is narrowed to the rows the caller's tenancy may see."""

    permission_classes = [HasPermission]
    read_permission = ""
    write_permission = ""

    @property
    def tenancy(self):
        return tenancy_of(self.request)

    def get_queryset(self):
        return super().get_queryset().visible_to(self.tenancy)
