"""Stock in the API: what stands where, and stock-takes with their scans and result."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView

from digibank.core.api import (
    FIELD_ERRORS,
    HasPermission,
    ScopedRelatedField,
    ScopedSchema,
    int_param,
)
from digibank.core.pagination import Pagination
from digibank.core.tenancy import tenancy_of
from digibank.devices.common.api import (
    DEVICE_READ,
    DEVICE_WRITE,
    HUB_FILTER,
    OPEN_FILTER,
    DeviceBankViewSet,
    bool_param,
)
from digibank.devices.register.lifecycle import Kind, State
from digibank.devices.register.models import Device, Grade
from digibank.devices.register.selectors import hubs_of
from digibank.devices.stock import services as stock_services
from digibank.devices.stock.models import StockTake, StockTakeScan
from digibank.devices.stock.selectors import stock_summary, stocktake_result
from digibank.network.models import Hub

STOCK_HUB_FILTER = OpenApiParameter("hub", int, description="Only the stock at this hub (its id).")


# Serializers: the stock and stock-takes ----------------------------------------------------------


class StockRowSerializer(serializers.Serializer):
    hub = serializers.IntegerField(source="hub_id")
    hub_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    state = serializers.ChoiceField(choices=State.choices)
    grade = serializers.ChoiceField(choices=Grade.choices, allow_blank=True)
    count = serializers.IntegerField()


class StockTakeSerializer(serializers.ModelSerializer):
    hub = ScopedRelatedField(
        queryset=Hub.objects.filter(closed_on__isnull=True), help_text=_("An open hub of your digibank.")
    )
    hub_name = serializers.CharField(source="hub.name", read_only=True)
    scan_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = StockTake
        fields = ["id", "hub", "hub_name", "started_by", "started_at", "closed_at", "scan_count"]
        read_only_fields = ["started_by", "started_at", "closed_at"]


class ScanSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text=_("The label as the scanner typed it."))


class StockTakeScanSerializer(serializers.ModelSerializer):
    class Meta:
        model = StockTakeScan
        fields = ["id", "stocktake", "scanned", "device", "scanned_at"]
        read_only_fields = fields
        extra_kwargs = {"device": {"help_text": _("The device with this tag; null: no device of your digibank.")}}


class MissingDeviceSerializer(serializers.ModelSerializer):
    description = serializers.CharField(read_only=True)

    class Meta:
        model = Device
        fields = ["id", "asset_tag", "kind", "description", "state"]
        read_only_fields = fields


class MisplacedScanSerializer(serializers.Serializer):
    scanned = serializers.CharField()
    device = serializers.IntegerField(source="device_id")
    asset_tag = serializers.CharField(source="device.asset_tag")
    hub = serializers.IntegerField(source="device.hub_id")
    hub_name = serializers.CharField(source="device.hub.name")
    state = serializers.ChoiceField(source="device.state", choices=State.choices)


class StockTakeResultSerializer(serializers.Serializer):
    scanned = serializers.IntegerField()
    found = serializers.IntegerField(help_text=_("Scanned, and on the shelf at this hub by the records."))
    all_in_order = serializers.BooleanField()
    missing_count = serializers.IntegerField()
    missing = MissingDeviceSerializer(
        many=True, help_text=_("On the shelf at this hub by the records, not scanned (the first 200).")
    )
    misplaced_count = serializers.IntegerField()
    misplaced = MisplacedScanSerializer(
        many=True, help_text=_("Scanned here, but recorded at another hub or as not on a shelf (the first 200).")
    )
    unknown_count = serializers.IntegerField()
    unknown = serializers.SerializerMethodField(help_text=_("Scanned codes that are no device of your digibank."))

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_unknown(self, result) -> list[str]:
        return [scan.scanned for scan in result.unknown]


@extend_schema_view(
    list=extend_schema(
        parameters=[HUB_FILTER, OPEN_FILTER], responses={200: StockTakeSerializer(many=True), 400: FIELD_ERRORS}
    )
)
class StockTakeViewSet(DeviceBankViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Stock-takes: scan every label at a hub, then compare with what the records say is there.
    Newest first."""

    queryset = (
        StockTake.objects.select_related("hub").annotate(scan_count=Count("scans")).order_by("-started_at", "-pk")
    )
    serializer_class = StockTakeSerializer
    read_permission = DEVICE_READ
    write_permission = DEVICE_WRITE

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        hub = int_param(self.request, "hub")
        if hub is not None:
            queryset = queryset.filter(hub_id=hub)
        if bool_param(self.request, "open"):
            queryset = queryset.filter(closed_at__isnull=True)
        return queryset

    def reread(self, stocktake: StockTake) -> StockTake:
        return self.get_queryset().get(pk=stocktake.pk)

    @extend_schema(request=StockTakeSerializer, responses={201: StockTakeSerializer})
    def create(self, request, *args, **kwargs):
        """Start a stock-take at a hub; one at a time per hub."""
        self.own_digibank()
        given = self.valid(StockTakeSerializer)
        try:
            stocktake = stock_services.stocktake_start(hub=given["hub"], actor=request.user)
        except DjangoValidationError as error:
            if hasattr(error, "error_dict"):
                raise
            raise DjangoValidationError({"hub": error.messages}) from None
        return self.answer(StockTakeSerializer, self.reread(stocktake), status=201)

    @extend_schema(responses=StockTakeScanSerializer(many=True))
    @action(detail=True, methods=["get"])
    def scans(self, request, pk=None):
        """The labels scanned so far, newest first, each with the device it names (null: unknown)."""
        stocktake = self.get_object()
        page = self.paginate_queryset(StockTakeScan.objects.filter(stocktake=stocktake).order_by("-scanned_at", "-pk"))
        return self.get_paginated_response(StockTakeScanSerializer(page, many=True).data)

    @extend_schema(request=ScanSerializer, responses={201: StockTakeScanSerializer})
    @scans.mapping.post
    def scan_record(self, request, pk=None):
        """Record one scanned label. A code that is no device of the digibank is kept too: the result
        shows it as unknown. The same label twice is refused."""
        stocktake = self.get_object()
        given = self.valid(ScanSerializer)
        scan = stock_services.stocktake_scan(stocktake=stocktake, code=given["code"], actor=request.user)
        return self.answer(StockTakeScanSerializer, scan, status=201)

    @extend_schema(request=None, responses=StockTakeSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Finish the stock-take: no more scans."""
        stocktake = stock_services.stocktake_close(stocktake=self.get_object(), actor=request.user)
        return self.answer(StockTakeSerializer, self.reread(stocktake))

    @extend_schema(responses=StockTakeResultSerializer)
    @action(detail=True, methods=["get"])
    def result(self, request, pk=None):
        """What the scans say against the records of the hub: found, missing, misplaced, unknown. The
        counts are whole; each list shows its first 200."""
        return self.answer(StockTakeResultSerializer, stocktake_result(self.get_object()))


class StockPagination(Pagination):
    """The API's pages, with the number of devices on all pages beside the number of lines."""

    def paginate_queryset(self, queryset, request, view=None):
        self.total = sum(row.count for row in queryset)
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["total"] = self.total
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["total"] = {
            "type": "integer",
            "description": str(_("Every device the digibank holds (not recycled or handed over).")),
        }
        schema.setdefault("required", []).append("total")
        return schema


class StockView(GenericAPIView):
    """The devices the digibank holds (all but recycled and handed over), counted per hub, type,
    state and grade, in the order of the lifecycle: one line per combination, paginated as every
    list; `total` counts the devices of all pages."""

    permission_classes = [HasPermission]
    read_permission = DEVICE_READ
    schema = ScopedSchema()
    pagination_class = StockPagination
    serializer_class = StockRowSerializer

    @extend_schema(parameters=[STOCK_HUB_FILTER], responses=StockRowSerializer(many=True))
    def get(self, request):
        tenancy = tenancy_of(request)
        hub = None
        hub_id = int_param(request, "hub")
        if hub_id is not None:
            hub = hubs_of(tenancy).filter(pk=hub_id).first()
            if hub is None:
                raise exceptions.ValidationError({"hub": [_("No hub of your digibank has this id.")]})
        page = self.paginate_queryset(stock_summary(tenancy, hub=hub))
        return self.get_paginated_response(StockRowSerializer(page, many=True).data)
