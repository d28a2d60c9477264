"""What every domain's API shares: the error shape, scoping and role checks (pagination: pagination.py)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.defaults import page_not_found
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema_field
from rest_framework import exceptions, generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .tenancy import Tenancy, tenancy_of


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


def not_found(request, exception):
    """Django's 404 page; under /api/ (a path that matches no endpoint) the JSON every endpoint gives."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(exceptions.NotFound.default_detail)}, status=404)
    return page_not_found(request, exception)


# A header is text: the digibank's id in digits (a number longer than any id is refused as well).
DIGIBANK_ID = r"^[0-9]{1,18}$"
DIGIBANK_HEADER = OpenApiParameter(
    "X-Digibank",
    {"type": "string", "pattern": DIGIBANK_ID},
    OpenApiParameter.HEADER,
    description="The id of the digibank you work in; needed when you have roles in more than one.",
)


class KnowsDigibank(permissions.IsAuthenticated):
    """Any signed-in caller; the X-Digibank header, when sent, must be an id (else a 400, not a guess)."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        wished = request.headers.get("X-Digibank")
        if wished is not None and not re.fullmatch(DIGIBANK_ID, wished.strip(" \t")):
            raise exceptions.ValidationError({"X-Digibank": [_("Give the id of a digibank: a whole number.")]})
        return True


class HasPermission(KnowsDigibank):
    """The view names `read_permission` and `write_permission`: one permission or a tuple of them,
    any of which suffices. A view that names no write permission is read-only: every other method
    is refused."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        tenancy = tenancy_of(request)
        safe = request.method in permissions.SAFE_METHODS
        wanted = getattr(view, "read_permission" if safe else "write_permission", "")
        if isinstance(wanted, str):
            wanted = (wanted,)
        if any(tenancy.can(perm) for perm in wanted if perm):
            return True
        if tenancy.needs_choice:
            self.message = _("You work in several digibanks: choose one with the X-Digibank header.")
        return False


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


FIELD_ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="The input is refused: the messages of each field (`non_field_errors` for the whole), "
    "or `detail` when the request could not be read.",
)
ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="No token, or an unknown one."),
    403: OpenApiResponse(ErrorSerializer, description="The caller's role does not allow this (or CSRF failed)."),
    404: OpenApiResponse(ErrorSerializer, description="No such row (or not one the caller may see), or no such page."),
    415: OpenApiResponse(ErrorSerializer, description="The body's content type is not JSON, a form or multipart."),
}


# What a database id can be (a 64-bit integer): a filter on an id refuses any other number.
ID_RANGE = {"minimum": -(2**63), "maximum": 2**63 - 1}
ID_SCHEMA = {"type": "integer", **ID_RANGE}


class DecimalAsText(OpenApiSerializerFieldExtension):
    """A decimal sent as text: drf-spectacular's pattern also allows "", "." and "-", which DRF refuses, and
    states no range. The pattern of what DRF reads: no minus when the minimum is 0 or more, a range between
    two whole numbers (a latitude, a screen size) spelled out, and a blank text as null where null is allowed."""

    target_class = "rest_framework.fields.DecimalField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        field = self.target
        if schema.get("format") == "decimal" and field.max_whole_digits:
            pattern = decimal_pattern(field.max_whole_digits, field.decimal_places, field.min_value, field.max_value)
            # DRF reads a blank text as null where the field takes null.
            schema["pattern"] = f"^(?:{pattern[1:-1]})?$" if field.allow_null else pattern
        return schema


class TextWithoutNul(OpenApiSerializerFieldExtension):
    """DRF refuses a NUL character in every text field it reads (PostgreSQL cannot store one): a text field
    without a pattern of its own says so in the schema of requests."""

    target_class = "rest_framework.fields.CharField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        own = {"pattern", "format", "enum"} & set(schema) or any(
            isinstance(v, RegexValidator) for v in self.target.validators
        )
        if direction == "request" and schema.get("type") == "string" and not own:
            schema["pattern"] = "^[^\\u0000]+$"  # a blank text, where allowed, is an alternative of its own
        return schema


def decimal_pattern(whole: int, places: int, least=None, most=None) -> str:
    fraction = rf"(?:\.[0-9]{{0,{places}}})?" if places else ""
    if least is not None and most is not None and least == int(least) >= 0 and most == int(most) <= least + 200:
        zero = rf"(?:\.0{{0,{places}}})?" if places else ""
        below = "|".join(str(n) for n in range(int(least), int(most)))
        return rf"^(?:(?:{below}){fraction}|{int(most)}{zero})$" if below else rf"^{int(most)}{zero}$"
    sign = "" if least is not None and least >= 0 else "-?"
    only_fraction = rf"|\.[0-9]{{1,{places}}}" if places else ""
    return rf"^{sign}(?:[0-9]{{1,{whole}}}{fraction}{only_fraction})$"


class ApiSchema(AutoSchema):
    """Documents, next to the answer of each operation, the errors it may give: 400 for a write, a page
        or a filter that takes a number, 401 always (a wrong token is refused even on public operations),
        403 for role checks and for writes (CSRF with a session), 404 for a row in the path or a page,
    415 for a write whose body DRF cannot parse by its content type.
        (drf-spectacular has no public hook for this; `_get_response_bodies` is where it builds them.)"""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.error_codes():
            answer = FIELD_ERRORS if code == 400 else ERRORS[code]
            responses.setdefault(str(code), self._get_response_for_code(answer, str(code), direction=direction))
        return responses

    def get_operation(self, *args, **kwargs):
        """A filter that takes a whole number takes an id: the schema states the range `int_param` allows."""
        operation = super().get_operation(*args, **kwargs)
        for parameter in (operation or {}).get("parameters", []):
            if parameter["in"] == "query" and parameter["schema"] == {"type": "integer"}:
                parameter["schema"] = dict(ID_SCHEMA)
        return operation

    def error_codes(self) -> list[int]:
        writes = self.method in ("POST", "PUT", "PATCH")
        number_filter = any(
            isinstance(p, OpenApiParameter) and p.location == OpenApiParameter.QUERY and p.type is int
            for p in self.get_override_parameters()
        )
        open_to_all = all(
            type(p) in (permissions.AllowAny, permissions.IsAuthenticated, KnowsDigibank)
            for p in self.view.get_permissions()
        )
        paged = self._is_list_view() and self._get_paginator()
        codes = [401]
        if writes or number_filter or paged:
            codes.append(400)
        if writes:
            codes.append(415)
        if self.method not in permissions.SAFE_METHODS or not open_to_all:
            codes.append(403)
        if "{" in self.path or paged:
            codes.append(404)
        return sorted(codes)


class ScopedSchema(ApiSchema):
    """Documents the X-Digibank header on every scoped operation (a malformed one is a 400)."""

    def get_override_parameters(self):
        return [*super().get_override_parameters(), DIGIBANK_HEADER]

    def error_codes(self) -> list[int]:
        return sorted({*super().error_codes(), 400})


class ScopedViewSetMixin(generics.GenericAPIView):
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


TIME_OF_DAY = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"


@extend_schema_field({"type": "string", "pattern": TIME_OF_DAY, "example": "09:30:00"})
class TimeOfDayField(serializers.TimeField):
    """A time of day, "HH:MM" or "HH:MM:SS" without an offset; answered as "HH:MM:SS". Declared by its pattern:
    JSON Schema's `time` format is RFC 3339's, which needs an offset ("09:30:00Z")."""

    default_error_messages = {"invalid": _("Give a time of day as HH:MM, for example 09:30.")}

    def to_internal_value(self, value):
        # Python also reads "0930", "9:30" and "09:30+01:00" as times: the pattern is the rule.
        if not isinstance(value, str) or not re.fullmatch(TIME_OF_DAY, value):
            self.fail("invalid")
        return super().to_internal_value(value)


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A reference to a row the caller's tenancy may see; any other row 'does not exist'."""

    def get_queryset(self):
        return super().get_queryset().visible_to(tenancy_of(self.context["request"]))


DIGIBANK_FILTER = OpenApiParameter("digibank", int, description="Only the rows of this digibank.")


def chosen(tenancy: Tenancy) -> Tenancy:
    """The caller's tenancy, once it names the digibank they work in (where new rows go)."""
    if tenancy.digibank_id is None:
        raise exceptions.PermissionDenied(_("Choose the digibank you work in with the X-Digibank header."))
    return tenancy


def int_param(request, name: str) -> int | None:
    """A filter on an id. A number no database id can have is refused: SQLite cannot even compare it."""
    raw = request.query_params.get(name)
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise exceptions.ValidationError({name: [_("A whole number is required.")]}) from None
    if not ID_RANGE["minimum"] <= value <= ID_RANGE["maximum"]:
        raise exceptions.ValidationError({name: [_("This number is too large to be an id.")]})
    return value


class DigibankFilterMixin:
    """`?digibank=<id>` narrows a list to one digibank's rows (the Department reads them all);
    declare DIGIBANK_FILTER in the view's schema."""

    request: Any

    def get_queryset(self):
        queryset = super().get_queryset()  # type: ignore[misc]
        digibank_id = int_param(self.request, "digibank")
        return queryset if digibank_id is None else queryset.filter(digibank_id=digibank_id)
