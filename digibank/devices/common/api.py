"""What the device bank's endpoints share: the base viewset (scoped, access-logged), the client and
asset-tag fields, query parameters and their declared filters, the PDF response."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema_field,
)
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response

from digibank.clients import selectors as client_selectors
from digibank.clients.access import AccessLoggedViewSet
from digibank.clients.models import Client
from digibank.clients.numbers import PATTERN as CLIENT_NUMBER_PATTERN
from digibank.core.api import (
    ScopedViewSetMixin,
    chosen,
)
from digibank.core.roles import Perm
from digibank.core.tenancy import Tenancy
from digibank.devices.tags import TAG_PATTERN
from digibank.network.selectors import own_digibank

# Who sees what: the stock without borrowers; loans and what names a borrower; the waiting list.
DEVICE_READ = Perm.DEVICES_VIEW


DEVICE_WRITE = Perm.DEVICES_MANAGE


DESK = Perm.LOANS_MANAGE


WAITING_LIST = (Perm.REQUESTS_MANAGE, Perm.LOANS_MANAGE)


def clean_query(raw: str) -> str:
    # A NUL cannot be sent to PostgreSQL; nobody types one.
    return raw.replace("\x00", "").strip()[:100]


NOT_A_CLIENT_NUMBER = _("This is not a client number, e.g. K7QM-4XRA.")


# The shapes the schema states; a check character and the row a number names it cannot. A client number is
# held to its pattern here, an asset tag by the services (normalise_tag), whose message names the tag.
@extend_schema_field({"type": "string", "pattern": CLIENT_NUMBER_PATTERN, "maxLength": 20})
class ClientNumberField(serializers.CharField):
    """The number on a client's card, as typed or scanned."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(RegexValidator(CLIENT_NUMBER_PATTERN, NOT_A_CLIENT_NUMBER))


@extend_schema_field({"type": "string", "pattern": TAG_PATTERN, "maxLength": 40})
class AssetTagField(serializers.CharField):
    """A device's asset tag, as typed or scanned."""


def choice_param(request, name: str, choices) -> str:
    """A filter that must be one of the choices ('' when not given); anything else, empty too, is a 400."""
    raw = request.query_params.get(name)
    if raw is None:
        return ""
    if raw not in {value for value, _label in choices}:
        raise exceptions.ValidationError({name: [_("“%(value)s” is not one of the choices.") % {"value": raw[:40]}]})
    return raw


def bool_param(request, name: str) -> bool:
    raw = request.query_params.get(name, "").strip().lower()
    if raw in ("", "false", "0", "no"):
        return False
    if raw in ("true", "1", "yes"):
        return True
    raise exceptions.ValidationError({name: [_("Give true or false.")]})


def client_param(request, tenancy: Tenancy, name: str = "client") -> Client | None:
    """The client named by the number on their card in a filter; None when not given."""
    if name not in request.query_params:
        return None
    raw = request.query_params[name]
    if not re.fullmatch(CLIENT_NUMBER_PATTERN, raw):
        raise exceptions.ValidationError({name: [NOT_A_CLIENT_NUMBER]})
    client = find_client(tenancy, raw)
    if client is None:
        raise exceptions.ValidationError({name: [_("No client of your digibank has this number.")]})
    return client


def find_client(tenancy: Tenancy, raw: str) -> Client | None:
    """The client with this number as typed or scanned: the lookup the desk's card field uses too
    (active clients only, see clients.selectors.client_by_number)."""
    return client_selectors.client_by_number(tenancy, raw)


def renamed(error: DjangoValidationError, names: dict[str, str]) -> DjangoValidationError:
    """The service's errors under the names of the fields this endpoint takes."""
    if not hasattr(error, "error_dict"):
        return error
    return DjangoValidationError({names.get(name, name): errors for name, errors in error.error_dict.items()})


HUB_FILTER = OpenApiParameter("hub", int, description="Only at this hub (its id).")


CLIENT_FILTER = OpenApiParameter(
    "client", str, pattern=CLIENT_NUMBER_PATTERN, description="Only those of the client with this number."
)


OPEN_FILTER = OpenApiParameter("open", bool, description="true: only stock-takes still going on.")


PDF = OpenApiResponse(OpenApiTypes.BINARY, description="The paper as a PDF, to print.")


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


def client_number(client: Client | None) -> str:
    return client.number if client else ""


def client_name(client: Client | None) -> str:
    return str(client) if client else ""


# Endpoints ---------------------------------------------------------------------------------------


class DeviceBankViewSet(AccessLoggedViewSet, ScopedViewSetMixin, viewsets.GenericViewSet):
    # Actions that need another permission than the viewset's own, by action name (a desk task on a device).
    action_permissions: dict[str, str | tuple[str, ...]] = {}

    def initial(self, request, *args, **kwargs):
        wanted = self.action_permissions.get(self.action or "")
        if wanted:
            self.read_permission = self.write_permission = wanted
        super().initial(request, *args, **kwargs)

    def own_digibank(self):
        return own_digibank(chosen(self.tenancy))

    def valid(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def answer(self, serializer_class, instance, status: int = 200) -> Response:
        return Response(serializer_class(instance, context=self.get_serializer_context()).data, status=status)
