"""The device register in the API: a device, its specifications and its history, and the filters of
the device list."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
)
from rest_framework import serializers

from digibank.devices.register.lifecycle import Kind, State
from digibank.devices.register.models import Device, DeviceEvent, Grade

SPEC_FIELDS = ["processor", "memory_gb", "storage_gb", "storage_serial", "screen_inches", "battery_health"]


STATE_FILTER = OpenApiParameter("state", str, enum=State.values, description="Only devices in this state.")


KIND_FILTER = OpenApiParameter("kind", str, enum=Kind.values, description="Only devices of this type.")


BATCH_FILTER = OpenApiParameter("batch", int, description="Only the devices of this intake batch (its id).")


GRADE_FILTER = OpenApiParameter("grade", str, enum=Grade.values, description="Only ready devices of this grade.")


DEVICE_QUERY = OpenApiParameter("q", str, description="An asset tag (as scanned or typed) or a serial number.")


# Serializers: devices ----------------------------------------------------------------------------


class DeviceSpecsSerializer(serializers.ModelSerializer):
    class Meta:
        model = Device
        fields = SPEC_FIELDS


class DeviceSerializer(serializers.ModelSerializer):
    """A device as the stock shows it; never who borrows it."""

    specs = DeviceSpecsSerializer(source="*", required=False, help_text=_("What is inside."))
    # Read-only fields that may be empty say so themselves: DRF leaves allow_blank off read-only fields.
    grade = serializers.ChoiceField(choices=Grade.choices, allow_blank=True, read_only=True)
    hub_name = serializers.CharField(source="hub.name", read_only=True)

    class Meta:
        model = Device
        fields = [
            "id",
            "asset_tag",
            "kind",
            "make",
            "model_name",
            "serial_number",
            "specs",
            "condition",
            "notes",
            "state",
            "grade",
            "hub",
            "hub_name",
            "batch",
            "software_profile",
            "state_changed_at",
            "weight_kg",
        ]
        read_only_fields = ["hub", "batch"]


class DeviceEventSerializer(serializers.ModelSerializer):
    from_state = serializers.ChoiceField(choices=State.choices, allow_blank=True, read_only=True)
    to_state = serializers.ChoiceField(choices=State.choices, allow_blank=True, read_only=True)
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = DeviceEvent
        fields = [
            "id",
            "kind",
            "from_state",
            "to_state",
            "from_hub",
            "to_hub",
            "note",
            "ref",
            "actor",
            "actor_name",
            "occurred_at",
        ]
        read_only_fields = fields

    def get_actor_name(self, event: DeviceEvent) -> str:
        return (event.actor.get_full_name() or event.actor.get_username()) if event.actor else ""
