"""The device endpoint with its actions: a move, an erasure, a ready check, a repair, a transfer,
recycling and a hand-over."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers
from rest_framework.decorators import action

from digibank.core.api import (
    FIELD_ERRORS,
    ScopedRelatedField,
    int_param,
)
from digibank.core.validators import multi_line_text
from digibank.devices.common.api import (
    DESK,
    DEVICE_READ,
    DEVICE_WRITE,
    HUB_FILTER,
    ClientNumberField,
    DeviceBankViewSet,
    choice_param,
    clean_query,
    find_client,
)
from digibank.devices.lending import incidents as lending_incidents
from digibank.devices.refurbishment import services as refurbishment_services
from digibank.devices.refurbishment.api import (
    ErasureLogSerializer,
    ErasureRecordSerializer,
    ReadyCheckSerializer,
    RepairTicketSerializer,
)
from digibank.devices.refurbishment.models import (
    CollectionBatch,
    ErasureRecord,
)
from digibank.devices.register import services as register_services
from digibank.devices.register.api import (
    BATCH_FILTER,
    DEVICE_QUERY,
    GRADE_FILTER,
    KIND_FILTER,
    STATE_FILTER,
    DeviceEventSerializer,
    DeviceSerializer,
)
from digibank.devices.register.lifecycle import Kind, State
from digibank.devices.register.models import Device, DeviceEvent, Grade
from digibank.devices.stock import services as stock_services
from digibank.devices.tags import normalise_tag
from digibank.network.models import Hub

# What a technician moves a device to by hand; the other states come with a loan, an erasure or recycling.
MANUAL_TARGETS = [(s.value, s.label) for s in (State.WIPING, State.IN_REPAIR, State.READY, State.RETIRED)]


class TransitionSerializer(serializers.Serializer):
    target = serializers.ChoiceField(choices=MANUAL_TARGETS, help_text=_("The state the device moves to."))
    grade = serializers.ChoiceField(
        choices=Grade.choices, allow_blank=True, default="", help_text=_("Needed to become ready.")
    )
    note = serializers.CharField(
        validators=[multi_line_text],
        max_length=300,
        allow_blank=True,
        default="",
        help_text=_("Needed to retire a device: why."),
    )


class HandOverSerializer(serializers.Serializer):
    client = ClientNumberField(
        max_length=20,
        help_text=_("The number on the card of the client who keeps the device, e.g. K7QM-4XRA."),
    )
    note = serializers.CharField(
        validators=[multi_line_text],
        max_length=300,
        allow_blank=True,
        default="",
        help_text=_("Why the client may keep it."),
    )


class TransferSerializer(serializers.Serializer):
    hub = ScopedRelatedField(queryset=Hub.objects.all(), help_text=_("A hub of the device's digibank."))
    note = serializers.CharField(validators=[multi_line_text], max_length=300, allow_blank=True, default="")


class RecycleSerializer(serializers.Serializer):
    collection = ScopedRelatedField(queryset=CollectionBatch.objects.all())
    weight_kg = serializers.DecimalField(max_digits=7, decimal_places=2, help_text=_("More than 0."))


@extend_schema_view(
    list=extend_schema(
        parameters=[STATE_FILTER, KIND_FILTER, HUB_FILTER, BATCH_FILTER, GRADE_FILTER, DEVICE_QUERY],
        responses={200: DeviceSerializer(many=True), 400: FIELD_ERRORS},
    )
)
class DeviceViewSet(DeviceBankViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin):
    """The devices of the digibank, in every state. Their state moves only along the lifecycle, each
    move with its own endpoint; nothing is ever deleted."""

    queryset = Device.objects.select_related("hub").order_by("asset_tag")
    serializer_class = DeviceSerializer
    read_permission = DEVICE_READ
    write_permission = DEVICE_WRITE
    action_permissions = {"hand_over": DESK}  # the desk gives a device away, not the workshop
    http_method_names = ["get", "post", "patch", "head", "options"]

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        request = self.request
        filters: dict = {}
        for name, choices in (("state", State.choices), ("kind", Kind.choices), ("grade", Grade.choices)):
            value = choice_param(request, name, choices)
            if value:
                filters[name] = value
        for name in ("hub", "batch"):
            value = int_param(request, name)
            if value is not None:
                filters[f"{name}_id"] = value
        queryset = queryset.filter(**filters)
        query = clean_query(request.query_params.get("q", ""))
        if query:
            tag = normalise_tag(query)
            queryset = queryset.filter(Q(asset_tag=tag) if tag else Q(serial_number__iexact=query))
        return queryset

    def reread(self, device: Device) -> Device:
        return self.get_queryset().get(pk=device.pk)

    def partial_update(self, request, *args, **kwargs):
        """Correct a device's details; its state, grade and hub change only through their own endpoints."""
        device = self.get_object()
        fields = self.valid(DeviceSerializer, partial=True)
        device = register_services.device_update(device=device, actor=request.user, **fields)
        return self.answer(DeviceSerializer, self.reread(device))

    @extend_schema(request=TransitionSerializer, responses=DeviceSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the device by hand to the next state of its life: start wiping, send to repair, mark
        ready (with a grade), retire (with a reason). A refused move changes nothing."""
        device = self.get_object()
        given = self.valid(TransitionSerializer)
        device = refurbishment_services.device_transition(
            device=device, target=given["target"], grade=given["grade"], note=given["note"], actor=request.user
        )
        return self.answer(DeviceSerializer, self.reread(device))

    @extend_schema(responses=ErasureRecordSerializer(many=True))
    @action(detail=True, methods=["get"])
    def erasures(self, request, pk=None):
        """The erasures recorded for the device, the failed ones too, newest first."""
        device = self.get_object()
        page = self.paginate_queryset(ErasureRecord.objects.filter(device=device).order_by("-recorded_at", "-pk"))
        return self.get_paginated_response(ErasureRecordSerializer(page, many=True).data)

    @extend_schema(request=ErasureRecordSerializer, responses={201: ErasureRecordSerializer})
    @erasures.mapping.post
    def erasure_record(self, request, pk=None):
        """Record an erasure by hand (NIST SP 800-88 level, tool, medium, result, verification). A
        passed one makes the device 'wiped'."""
        device = self.get_object()
        fields = self.valid(ErasureRecordSerializer)
        record = refurbishment_services.erasure_record(device=device, actor=request.user, **fields)
        return self.answer(ErasureRecordSerializer, record, status=201)

    @extend_schema(request=ErasureLogSerializer, responses={201: ErasureRecordSerializer})
    @action(detail=True, methods=["post"], url_path="erasure-log")
    def erasure_log(self, request, pk=None):
        """Import the log of nwipe or ShredOS itself: the disk in it must be the device's, by serial
        number; the method, verification, date and result are the log's."""
        device = self.get_object()
        given = self.valid(ErasureLogSerializer)
        record = refurbishment_services.erasure_import(
            device=device, actor=request.user, log_text=given["log"], medium=given["medium"]
        )
        return self.answer(ErasureRecordSerializer, record, status=201)

    @extend_schema(request=ReadyCheckSerializer, responses={201: ReadyCheckSerializer})
    @action(detail=True, methods=["post"], url_path="ready-check")
    def ready_check(self, request, pk=None):
        """The ready checklist, every item ticked, with the software profile installed."""
        device = self.get_object()
        given = self.valid(ReadyCheckSerializer)
        check = refurbishment_services.ready_check_record(
            device=device, actor=request.user, software_profile=given["software_profile"], items=given["items"]
        )
        return self.answer(ReadyCheckSerializer, check, status=201)

    @extend_schema(request=RepairTicketSerializer, responses={201: RepairTicketSerializer})
    @action(detail=True, methods=["post"])
    def repairs(self, request, pk=None):
        """Open a repair ticket (the fault, and the trainee who works on it); the device goes into repair."""
        device = self.get_object()
        given = self.valid(RepairTicketSerializer)
        ticket = refurbishment_services.repair_open(
            device=device, actor=request.user, fault=given["fault"], trainee=given.get("trainee", "")
        )
        return self.answer(RepairTicketSerializer, ticket, status=201)

    @extend_schema(request=TransferSerializer, responses=DeviceSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        """Move a device in stock to another hub of the digibank."""
        device = self.get_object()
        given = self.valid(TransferSerializer)
        device = stock_services.device_transfer(device=device, hub=given["hub"], note=given["note"], actor=request.user)
        return self.answer(DeviceSerializer, self.reread(device))

    @extend_schema(request=RecycleSerializer, responses=DeviceSerializer)
    @action(detail=True, methods=["post"])
    def recycle(self, request, pk=None):
        """Hand a retired device to the recycler in a collection, with its weight."""
        device = self.get_object()
        given = self.valid(RecycleSerializer)
        device = refurbishment_services.device_recycle(
            device=device, collection=given["collection"], weight_kg=given["weight_kg"], actor=request.user
        )
        return self.answer(DeviceSerializer, self.reread(device))

    @extend_schema(
        request=HandOverSerializer,
        responses=DeviceSerializer,
        description="Needs the desk's permission (`devices.loans`), not the workshop's.",
    )
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request, pk=None):
        """Give the device to a client for good, under the digibank's conditions: a ready device from
        the stock, or the one the client has on loan (their loan then ends)."""
        device = self.get_object()
        given = self.valid(HandOverSerializer)
        client = find_client(self.tenancy, given["client"])
        if client is None:
            raise DjangoValidationError(
                {"client": _("No client of your digibank has this number: check what was typed.")}
            )
        device = lending_incidents.device_hand_over(
            device=device, client=client, actor=request.user, note=given["note"]
        )
        return self.answer(DeviceSerializer, self.reread(device))

    @extend_schema(responses=DeviceEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        """The device's history, newest first: every move, transfer, erasure, repair and check, with who."""
        device = self.get_object()
        events = DeviceEvent.objects.filter(device=device).select_related("actor").order_by("-occurred_at", "-pk")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(DeviceEventSerializer(page, many=True).data)
