"""Intake in the API: donors and intake batches (a batch records its devices in one request)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import mixins, serializers
from rest_framework.decorators import action

from digibank.core.api import (
    ScopedRelatedField,
)
from digibank.devices.common.api import DEVICE_READ, DEVICE_WRITE, PDF, DeviceBankViewSet, pdf_response
from digibank.devices.intake import documents as intake_documents
from digibank.devices.intake import services as intake_services
from digibank.devices.intake.models import Donor, IntakeBatch
from digibank.devices.register.api import DeviceSerializer
from digibank.devices.register.models import Device
from digibank.network.models import Hub, Partner

# Serializers: intake -----------------------------------------------------------------------------


class DonorSerializer(serializers.ModelSerializer):
    partner = ScopedRelatedField(queryset=Partner.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Donor
        fields = ["id", "name", "partner", "enterprise_number", "email", "created_at"]
        extra_kwargs = {"enterprise_number": {"help_text": _("The KBO number, e.g. 0203.201.340; optional.")}}


class IntakeBatchSerializer(serializers.ModelSerializer):
    donor = ScopedRelatedField(queryset=Donor.objects.all())
    hub = ScopedRelatedField(queryset=Hub.objects.all())
    donor_name = serializers.CharField(source="donor.name", read_only=True)

    class Meta:
        model = IntakeBatch
        fields = ["id", "donor", "donor_name", "hub", "received_on", "reference", "note", "received_by", "created_at"]
        read_only_fields = ["received_by"]


class DonorViewSet(DeviceBankViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin):
    """Who hands over equipment: a partner of the digibank or another organisation."""

    queryset = Donor.objects.order_by("name", "pk")
    serializer_class = DonorSerializer
    read_permission = DEVICE_READ
    write_permission = DEVICE_WRITE

    def perform_create(self, serializer):
        serializer.instance = intake_services.donor_create(
            digibank=self.own_digibank(), actor=self.request.user, **serializer.validated_data
        )


class IntakeBatchViewSet(DeviceBankViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin):
    """One hand-over by a donor at a hub; its items are taken in one by one."""

    queryset = IntakeBatch.objects.select_related("donor").order_by("-received_on", "-pk")
    serializer_class = IntakeBatchSerializer
    read_permission = DEVICE_READ
    write_permission = DEVICE_WRITE

    def perform_create(self, serializer):
        batch = intake_services.batch_receive(
            digibank=self.own_digibank(), actor=self.request.user, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=batch.pk)

    @extend_schema(request=DeviceSerializer, responses={201: DeviceSerializer})
    @action(detail=True, methods=["post"])
    def devices(self, request, pk=None):
        """Take in one donated item: it gets its asset tag and starts 'received' at the batch's hub."""
        batch = self.get_object()
        fields = self.valid(DeviceSerializer)
        device = intake_services.device_intake(batch=batch, actor=request.user, **fields)
        return self.answer(DeviceSerializer, Device.objects.select_related("hub").get(pk=device.pk), status=201)

    @extend_schema(responses={(200, "application/pdf"): PDF})
    @action(detail=True, methods=["get"])
    def certificate(self, request, pk=None):
        """The donor's summary certificate: every item of the batch and how its data was erased, or
        what became of it."""
        batch = self.get_object()
        return pdf_response(intake_documents.batch_certificate_pdf(batch), f"certificate-batch-{batch.pk}")

    @extend_schema(responses={(200, "application/pdf"): PDF})
    @action(detail=True, methods=["get"])
    def labels(self, request, pk=None):
        """A sheet of asset-tag labels (3 × 8 of 70 × 37 mm) for every device of the batch, in the
        order they were taken in."""
        batch = self.get_object()
        return pdf_response(intake_documents.batch_labels_pdf(batch), f"labels-batch-{batch.pk}")
