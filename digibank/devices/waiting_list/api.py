"""The waiting list in the API: requests (with their place and moves) and offers."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import mixins, serializers
from rest_framework.decorators import action

from digibank.clients.access import SEARCH, Shows
from digibank.core.api import (
    FIELD_ERRORS,
    ScopedRelatedField,
    int_param,
)
from digibank.core.validators import multi_line_text
from digibank.devices.common.api import (
    DESK,
    HUB_FILTER,
    WAITING_LIST,
    ClientNumberField,
    DeviceBankViewSet,
    choice_param,
    client_name,
    find_client,
)
from digibank.devices.lending.models import LoanItem
from digibank.devices.register.lifecycle import REQUESTABLE_KINDS, Kind
from digibank.devices.waiting_list import selectors as waiting_list_selectors
from digibank.devices.waiting_list import services as waiting_list_services
from digibank.devices.waiting_list.models import DeviceRequest, Offer
from digibank.network.models import Hub, Partner

REQUEST_KIND_FILTER = OpenApiParameter("kind", str, enum=Kind.values, description="Only requests for this type.")


REQUEST_STATUS_FILTER = OpenApiParameter("status", str, enum=DeviceRequest.Status.values)


# Serializers: the waiting list and lending rules -------------------------------------------------


class ReferredRequests(serializers.ListSerializer):
    """A page of requests, each marked with the partner that referred its client for a device: one query."""

    def to_representation(self, data):
        requests = list(data.all() if hasattr(data, "all") else data)
        waiting_list_selectors.mark_referred(requests)
        return super().to_representation(requests)


@extend_schema_serializer(component_name="WaitingRequest")  # "DeviceRequest" is the device serializer's input
class DeviceRequestSerializer(serializers.ModelSerializer):
    client_number = serializers.CharField(source="client.number")
    client_name = serializers.SerializerMethodField()
    referred_by_partner = serializers.SerializerMethodField()

    class Meta:
        model = DeviceRequest
        fields = [
            "id",
            "client",
            "client_number",
            "client_name",
            "hub",
            "kind",
            "status",
            "urgent",
            "urgent_partner",
            "urgent_reason",
            "referred_by_partner",
            "requested_at",
            "queued_at",
            "closed_at",
        ]
        read_only_fields = fields
        list_serializer_class = ReferredRequests

    def get_client_name(self, request: DeviceRequest) -> str:
        return client_name(request.client)

    @extend_schema_field(
        serializers.IntegerField(
            allow_null=True,
            help_text=_("The partner that referred the client for a device (a referral open or completed), or null."),
        )
    )
    def get_referred_by_partner(self, request: DeviceRequest) -> int | None:
        if not hasattr(request, "referred_by"):
            waiting_list_selectors.mark_referred([request])
        partner = request.referred_by  # type: ignore[attr-defined]
        return partner.pk if partner else None


class DeviceRequestCreateSerializer(serializers.Serializer):
    client = ClientNumberField(max_length=20, help_text=_("The client number on the card, e.g. K7QM-4XRA."))
    hub = ScopedRelatedField(queryset=Hub.objects.all())
    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in REQUESTABLE_KINDS])
    urgent_partner = ScopedRelatedField(
        queryset=Partner.objects.all(),
        required=False,
        allow_null=True,
        help_text=_(
            "The referring partner that says the need is urgent; null: not urgent. Left out, a partner's open "
            "referral of the client for a device proposes it, with a reason naming the referral."
        ),
    )
    urgent_reason = serializers.CharField(validators=[multi_line_text], max_length=300, allow_blank=True, default="")


class QueueMoveSerializer(serializers.Serializer):
    before = ScopedRelatedField(
        queryset=DeviceRequest.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The request to go just before; null or left out: to the end of the queue."),
    )
    reason = serializers.CharField(
        validators=[multi_line_text], max_length=500, help_text=_("Why this person moves; it is kept.")
    )


class OfferSerializer(serializers.ModelSerializer):
    client = serializers.IntegerField(source="request.client_id")
    client_number = serializers.CharField(source="request.client.number")
    client_name = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(source="request.kind", choices=Kind.choices)
    hub = serializers.IntegerField(source="loan.hub_id")
    asset_tags = serializers.SerializerMethodField()

    class Meta:
        model = Offer
        fields = [
            "id",
            "request",
            "loan",
            "client",
            "client_number",
            "client_name",
            "kind",
            "hub",
            "asset_tags",
            "status",
            "offered_at",
            "expires_on",
            "notified_by",
            "closed_at",
        ]
        read_only_fields = fields

    def get_client_name(self, offer: Offer) -> str:
        return client_name(offer.request.client)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_asset_tags(self, offer: Offer) -> list[str]:
        return [item.device.asset_tag for item in offer.loan.items.all()]


@extend_schema_view(
    list=extend_schema(
        parameters=[HUB_FILTER, REQUEST_KIND_FILTER, REQUEST_STATUS_FILTER],
        responses={200: DeviceRequestSerializer(many=True), 400: FIELD_ERRORS},
    )
)
class DeviceRequestViewSet(DeviceBankViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The waiting list: per hub and type, urgent needs first, then first come, first served."""

    queryset = DeviceRequest.objects.select_related("client").order_by("-urgent", "queued_at", "pk")
    serializer_class = DeviceRequestSerializer
    read_permission = WAITING_LIST
    write_permission = WAITING_LIST
    shows = {
        "list": Shows("api device requests", client=None, action=SEARCH),
        "retrieve": Shows("api device request", client="object.client"),
    }

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        filters: dict = {}
        hub = int_param(self.request, "hub")
        if hub is not None:
            filters["hub_id"] = hub
        for name, choices in (("kind", Kind.choices), ("status", DeviceRequest.Status.choices)):
            value = choice_param(self.request, name, choices)
            if value:
                filters[name] = value
        return queryset.filter(**filters)

    def retrieve(self, request, *args, **kwargs):
        device_request = self.get_object()
        return self.answer(DeviceRequestSerializer, device_request)

    def reread(self, device_request: DeviceRequest) -> DeviceRequest:
        return self.get_queryset().get(pk=device_request.pk)

    @extend_schema(request=DeviceRequestCreateSerializer, responses={201: DeviceRequestSerializer})
    def create(self, request, *args, **kwargs):
        """Put a client on the waiting list for a type of device at a hub. A referring partner may
        mark the need urgent, with the reason; a partner's open referral of the client for a device does,
        unless `urgent_partner` is given (null: not urgent)."""
        digibank = self.own_digibank()
        given = self.valid(DeviceRequestCreateSerializer)
        client = find_client(self.tenancy, given.pop("client"))
        if client is None:
            raise DjangoValidationError(
                {"client": _("No client of your digibank has this number: check what was typed.")}
            )
        if "urgent_partner" not in given and (proposal := waiting_list_selectors.urgency_proposal(client)):
            given["urgent_partner"] = proposal.partner
            given["urgent_reason"] = given["urgent_reason"].strip() or proposal.reason
        device_request = waiting_list_services.request_create(
            digibank=digibank, client=client, actor=request.user, **given
        )
        return self.answer(DeviceRequestSerializer, self.reread(device_request), status=201)

    @extend_schema(request=QueueMoveSerializer, responses=DeviceRequestSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move someone in the queue, just before another request or to the end, with a written reason."""
        device_request = self.get_object()
        given = self.valid(QueueMoveSerializer)
        device_request = waiting_list_services.request_move(
            request=device_request, before=given.get("before"), reason=given["reason"], actor=request.user
        )
        return self.answer(DeviceRequestSerializer, self.reread(device_request))

    @extend_schema(request=None, responses=DeviceRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The client no longer waits; a device offered to them goes to the next person."""
        device_request = waiting_list_services.request_withdraw(request=self.get_object(), actor=request.user)
        return self.answer(DeviceRequestSerializer, self.reread(device_request))


class OfferViewSet(DeviceBankViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Ready devices offered to the next person in line; the open ones first, the soonest to expire on top."""

    queryset = (
        Offer.objects.select_related("request__client", "loan")
        .prefetch_related(Prefetch("loan__items", queryset=LoanItem.objects.select_related("device").order_by("pk")))
        .annotate(
            closed=Case(When(status=Offer.Status.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("closed", "expires_on", "pk")
    )
    serializer_class = OfferSerializer
    read_permission = WAITING_LIST
    write_permission = DESK
    shows = {
        "list": Shows("api offers", client=None, action=SEARCH),
        "retrieve": Shows("api offer", client="object.request.client"),
    }

    def retrieve(self, request, *args, **kwargs):
        offer = self.get_object()
        return self.answer(OfferSerializer, offer)

    @extend_schema(request=None, responses=OfferSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The client does not want the device: it goes to the next person; they stay on the list."""
        offer = waiting_list_services.offer_decline(offer=self.get_object(), actor=request.user)
        return self.answer(OfferSerializer, self.get_queryset().get(pk=offer.pk))
