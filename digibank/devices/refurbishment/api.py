"""Refurbishment in the API: software profiles, collections for recycling, erasure records and
repairs."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
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
from digibank.devices.common.api import DEVICE_READ, DEVICE_WRITE, PDF, DeviceBankViewSet, choice_param, pdf_response
from digibank.devices.refurbishment import documents as refurbishment_documents
from digibank.devices.refurbishment import services as refurbishment_services
from digibank.devices.refurbishment.models import (
    READY_CHECKLIST,
    CollectionBatch,
    ErasureRecord,
    ReadyCheck,
    RepairTicket,
    SoftwareProfile,
)

REPAIR_STATUS_FILTER = OpenApiParameter("status", str, enum=RepairTicket.Status.values)


REPAIR_DEVICE_FILTER = OpenApiParameter("device", int, description="Only the repairs of this device (its id).")


class SoftwareProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = SoftwareProfile
        fields = ["id", "name", "operating_system", "office_software", "other_software", "active"]
        read_only_fields = fields


class CollectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CollectionBatch
        fields = ["id", "recycler", "reference", "handed_over_on", "created_by", "created_at"]
        read_only_fields = ["created_by", "created_at"]


class ErasureRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = ErasureRecord
        fields = [
            "id",
            "number",
            "device",
            "level",
            "method",
            "tool",
            "medium",
            "medium_serial",
            "operator",
            "performed_on",
            "result",
            "verification",
            "report",
            "report_sha256",
            "recorded_at",
        ]
        read_only_fields = ["device", "operator", "report_sha256"]
        extra_kwargs = {"report": {"trim_whitespace": False}}


class ErasureLogSerializer(serializers.Serializer):
    log = serializers.CharField(
        max_length=1_000_000, trim_whitespace=False, help_text=_("The log file nwipe (or ShredOS) wrote, whole.")
    )
    medium = serializers.ChoiceField(choices=ErasureRecord.Medium.choices)


class ReadyCheckSerializer(serializers.ModelSerializer):
    software_profile = ScopedRelatedField(queryset=SoftwareProfile.objects.all())
    items = serializers.ListField(
        child=serializers.ChoiceField(choices=list(READY_CHECKLIST.items())),
        max_length=len(READY_CHECKLIST),
        help_text=_("Every item of the checklist, ticked."),
    )

    class Meta:
        model = ReadyCheck
        fields = ["id", "device", "software_profile", "items", "checked_by", "checked_at"]
        read_only_fields = ["device", "checked_by", "checked_at"]

    def to_representation(self, check: ReadyCheck) -> dict:
        data = super().to_representation(check)
        data["items"] = sorted(key for key, ticked in check.items.items() if ticked)
        return data


class RepairTicketSerializer(serializers.ModelSerializer):
    asset_tag = serializers.CharField(source="device.asset_tag", read_only=True)

    class Meta:
        model = RepairTicket
        fields = [
            "id",
            "device",
            "asset_tag",
            "fault",
            "work_done",
            "parts_used",
            "minutes_spent",
            "technician",
            "trainee",
            "status",
            "opened_at",
            "closed_at",
        ]
        read_only_fields = ["device", "work_done", "parts_used", "minutes_spent", "technician", "status"]


class RepairCloseSerializer(serializers.Serializer):
    work_done = serializers.CharField(validators=[multi_line_text], max_length=5000, help_text=_("What was done."))
    parts_used = serializers.CharField(validators=[multi_line_text], max_length=300, allow_blank=True, default="")
    minutes_spent = serializers.IntegerField(min_value=0, max_value=10_000, default=0)


class SoftwareProfileViewSet(DeviceBankViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """What refurbished devices get installed; the ready check names one."""

    queryset = SoftwareProfile.objects.order_by("-active", "name", "pk")
    serializer_class = SoftwareProfileSerializer
    read_permission = DEVICE_READ


class CollectionViewSet(DeviceBankViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin):
    """Retired devices handed to a recycler together, under one WEEE/Recupel reference."""

    queryset = CollectionBatch.objects.order_by("-handed_over_on", "-pk")
    serializer_class = CollectionSerializer
    read_permission = DEVICE_READ
    write_permission = DEVICE_WRITE

    def perform_create(self, serializer):
        serializer.instance = refurbishment_services.collection_create(
            digibank=self.own_digibank(), actor=self.request.user, **serializer.validated_data
        )


class ErasureViewSet(DeviceBankViewSet, mixins.RetrieveModelMixin):
    """One recorded erasure (a device's list is under devices/{id}/erasures/), and its certificate."""

    queryset = ErasureRecord.objects.order_by("-recorded_at", "-pk")
    serializer_class = ErasureRecordSerializer
    read_permission = DEVICE_READ

    @extend_schema(responses={(200, "application/pdf"): PDF})
    @action(detail=True, methods=["get"])
    def certificate(self, request, pk=None):
        """The certificate of data sanitisation (NIST SP 800-88 Rev. 1, appendix G). For a failed
        erasure the paper says plainly that it is no certificate of erasure."""
        record = self.get_object()
        return pdf_response(refurbishment_documents.erasure_certificate_pdf(record), f"erasure-{record.number}")


@extend_schema_view(
    list=extend_schema(
        parameters=[REPAIR_STATUS_FILTER, REPAIR_DEVICE_FILTER],
        responses={200: RepairTicketSerializer(many=True), 400: FIELD_ERRORS},
    )
)
class RepairTicketViewSet(DeviceBankViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Repair tickets: the open ones first, oldest first (the work waiting), then the done ones,
    last closed first. A ticket is opened on the device (devices/{id}/repairs/)."""

    queryset = (
        RepairTicket.objects.select_related("device")
        .annotate(
            done=Case(
                When(status=RepairTicket.Status.DONE, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("done", "-closed_at", "opened_at", "pk")
    )
    serializer_class = RepairTicketSerializer
    read_permission = DEVICE_READ
    write_permission = DEVICE_WRITE

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        status = choice_param(self.request, "status", RepairTicket.Status.choices)
        if status:
            queryset = queryset.filter(status=status)
        device = int_param(self.request, "device")
        if device is not None:
            queryset = queryset.filter(device_id=device)
        return queryset

    @extend_schema(request=RepairCloseSerializer, responses=RepairTicketSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """The repair is done: what was done, the parts used and the time spent. The device stays in
        repair until it is checked and marked ready (or retired)."""
        ticket = self.get_object()
        given = self.valid(RepairCloseSerializer)
        ticket = refurbishment_services.repair_close(ticket=ticket, actor=request.user, **given)
        return self.answer(RepairTicketSerializer, self.get_queryset().get(pk=ticket.pk))
