"""The REST API of the device bank: intake, the devices and their lifecycle, repairs, stock-takes and the
stock in numbers, loans at the desk and partners' bookings, incidents, the waiting list with its offers,
the lending rules and agreement texts, and the printed papers (certificates, labels, the loan agreement).
Scoped like every endpoint to the digibank the caller works in; every write is one service call, whose
ValidationError the shared exception handler answers as a 400 with field errors.

A device shows no borrower: reading the stock needs only `devices.view`. Loans, incidents, requests
and offers name clients, so they need the desk's permissions, and a read of them is logged in the
clients' access log as every read of a person's record is."""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from digibank.clients import selectors as client_selectors
from digibank.clients.access import SEARCH, AccessLoggedViewSet, Shows
from digibank.clients.models import Client
from digibank.clients.numbers import PATTERN as CLIENT_NUMBER_PATTERN
from digibank.core.api import (
    FIELD_ERRORS,
    HasPermission,
    ScopedRelatedField,
    ScopedSchema,
    ScopedViewSetMixin,
    chosen,
    int_param,
)
from digibank.core.pagination import Pagination
from digibank.core.roles import Perm
from digibank.core.tenancy import Tenancy, tenancy_of
from digibank.core.validators import multi_line_text, single_line_text
from digibank.network.models import Hub, Partner
from digibank.network.selectors import own_digibank

from . import documents, services
from .lifecycle import REQUESTABLE_KINDS, Kind, State
from .models import (
    READY_CHECKLIST,
    AgreementText,
    CollectionBatch,
    Condition,
    Device,
    DeviceEvent,
    DeviceRequest,
    Donor,
    ErasureRecord,
    Grade,
    Incident,
    IntakeBatch,
    LendingRules,
    Loan,
    LoanItem,
    Offer,
    ReadyCheck,
    RepairTicket,
    SoftwareProfile,
    StockTake,
    StockTakeScan,
)
from .stock import hubs_of, stock_summary, stocktake_result
from .tags import TAG_PATTERN, normalise_tag

# Who sees what: the stock without borrowers; loans and what names a borrower; the waiting list.
DEVICE_READ = Perm.DEVICES_VIEW
DEVICE_WRITE = Perm.DEVICES_MANAGE
DESK = Perm.LOANS_MANAGE
WAITING_LIST = (Perm.REQUESTS_MANAGE, Perm.LOANS_MANAGE)

SPEC_FIELDS = ["processor", "memory_gb", "storage_gb", "storage_serial", "screen_inches", "battery_health"]
# What a technician moves a device to by hand; the other states come with a loan, an erasure or recycling.
MANUAL_TARGETS = [(s.value, s.label) for s in (State.WIPING, State.IN_REPAIR, State.READY, State.RETIRED)]
# What a client reports during a loan, the usual first, in the words of the check-in form.
REPORT_KINDS = [
    (Incident.Kind.LOST.value, Incident.Kind.LOST.label),
    (Incident.Kind.STOLEN.value, Incident.Kind.STOLEN.label),
    (Incident.Kind.DAMAGED.value, Incident.Kind.DAMAGED.label),
    (Incident.Kind.MISSING_PART.value, _("missing part (for example a charger)")),
]
MISSING_KINDS = [(k.value, k.label) for k in (Incident.Kind.MISSING_PART, Incident.Kind.LOST, Incident.Kind.STOLEN)]


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


STATE_FILTER = OpenApiParameter("state", str, enum=State.values, description="Only devices in this state.")
KIND_FILTER = OpenApiParameter("kind", str, enum=Kind.values, description="Only devices of this type.")
HUB_FILTER = OpenApiParameter("hub", int, description="Only at this hub (its id).")
BATCH_FILTER = OpenApiParameter("batch", int, description="Only the devices of this intake batch (its id).")
GRADE_FILTER = OpenApiParameter("grade", str, enum=Grade.values, description="Only ready devices of this grade.")
DEVICE_QUERY = OpenApiParameter("q", str, description="An asset tag (as scanned or typed) or a serial number.")
LOAN_STATUS_FILTER = OpenApiParameter("status", str, enum=Loan.Status.values, description="Only loans in this status.")
OVERDUE_FILTER = OpenApiParameter("overdue", bool, description="Only loans in progress past their due date.")
CLIENT_FILTER = OpenApiParameter(
    "client", str, pattern=CLIENT_NUMBER_PATTERN, description="Only those of the client with this number."
)

INCIDENT_STATUS_FILTER = OpenApiParameter("status", str, enum=Incident.Status.values)
REQUEST_KIND_FILTER = OpenApiParameter("kind", str, enum=Kind.values, description="Only requests for this type.")
REQUEST_STATUS_FILTER = OpenApiParameter("status", str, enum=DeviceRequest.Status.values)
REPAIR_STATUS_FILTER = OpenApiParameter("status", str, enum=RepairTicket.Status.values)
REPAIR_DEVICE_FILTER = OpenApiParameter("device", int, description="Only the repairs of this device (its id).")
STOCK_HUB_FILTER = OpenApiParameter("hub", int, description="Only the stock at this hub (its id).")
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


# Serializers: loans ------------------------------------------------------------------------------


class LoanItemSerializer(serializers.ModelSerializer):
    asset_tag = serializers.CharField(source="device.asset_tag")
    kind = serializers.ChoiceField(source="device.kind", choices=Kind.choices)
    description = serializers.CharField(source="device.description")
    returned_condition = serializers.ChoiceField(choices=Condition.choices, allow_blank=True, read_only=True)

    class Meta:
        model = LoanItem
        fields = ["device", "asset_tag", "kind", "description", "open", "returned_at", "returned_condition", "missing"]
        read_only_fields = fields


class LoanSerializer(serializers.ModelSerializer):
    client_number = serializers.SerializerMethodField()
    client_name = serializers.SerializerMethodField()
    partner_name = serializers.SerializerMethodField()
    hub_name = serializers.CharField(source="hub.name")
    is_overdue = serializers.SerializerMethodField()
    items = LoanItemSerializer(many=True)

    class Meta:
        model = Loan
        fields = [
            "id",
            "number",
            "status",
            "client",
            "client_number",
            "client_name",
            "partner",
            "partner_name",
            "hub",
            "hub_name",
            "starts_on",
            "due_on",
            "is_overdue",
            "extensions",
            "deposit",
            "deposit_status",
            "deposit_payment",
            "signed_at",
            "signed_by_name",
            "conditions",
            "goals_plan",
            "checked_out_at",
            "closed_at",
            "items",
        ]
        read_only_fields = fields

    def get_client_number(self, loan: Loan) -> str:
        return client_number(loan.client)

    def get_client_name(self, loan: Loan) -> str:
        return client_name(loan.client)

    def get_partner_name(self, loan: Loan) -> str:
        return loan.partner.name if loan.partner else ""

    def get_is_overdue(self, loan: Loan) -> bool:
        return loan.is_overdue()


class CheckOutSerializer(serializers.Serializer):
    client = ClientNumberField(max_length=20, help_text=_("The client number on the card, e.g. K7QM-4XRA."))
    hub = ScopedRelatedField(
        queryset=Hub.objects.all(),
        required=False,
        help_text=_(
            "The hub where the loan is handed over: an open hub of your digibank that lends. "
            "Without it, the hub where the (first) device is, as at the desk."
        ),
    )
    tags = serializers.ListField(
        child=AssetTagField(max_length=40),
        min_length=1,
        max_length=50,
        help_text=_("The asset tags of the device and its accessories, as scanned or typed."),
    )
    increased_allowance = serializers.BooleanField(
        default=False, help_text=_("The client has the increased allowance.")
    )
    household_size = serializers.IntegerField(min_value=1, max_value=50, required=False, allow_null=True)
    household_income = serializers.DecimalField(
        max_digits=9,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        allow_null=True,
        help_text=_("The household's income per year or per month, as the lending rules' income_period says."),
    )
    training_done = serializers.BooleanField(default=False, help_text=_("The training asked was completed."))
    goals_plan = serializers.CharField(validators=[multi_line_text], max_length=2000, allow_blank=True, default="")
    deposit_payment = serializers.ChoiceField(
        choices=[c for c in Loan.DepositPayment.choices if c[0]],
        required=False,
        help_text=_("When the rules ask a deposit: paid now, waived, or still to pay (owed)."),
    )


class ReturnedItemSerializer(serializers.Serializer):
    tag = AssetTagField(max_length=40, help_text=_("The asset tag of a device of the loan."))
    present = serializers.BooleanField(default=True, help_text=_("False: it did not come back."))
    condition = serializers.ChoiceField(choices=Condition.choices, default=Condition.GOOD)
    damage = serializers.CharField(validators=[multi_line_text], max_length=500, allow_blank=True, default="")


class CheckInSerializer(serializers.Serializer):
    items: serializers.ListSerializer = serializers.ListSerializer(
        child=ReturnedItemSerializer(),
        max_length=50,
        help_text=_("Every device of the loan, each once: what came back and how."),
    )
    deposit_kept = serializers.DecimalField(
        max_digits=7, decimal_places=2, default=Decimal("0"), help_text=_("Only for damage or something missing.")
    )
    missing_kind = serializers.ChoiceField(
        choices=MISSING_KINDS, default=Incident.Kind.MISSING_PART, help_text=_("What happened to what is missing.")
    )
    note = serializers.CharField(validators=[multi_line_text], max_length=500, allow_blank=True, default="")

    def validate_items(self, items: list[dict]) -> list[dict]:
        tags = [normalise_tag(item["tag"]) or item["tag"] for item in items]
        if len(set(tags)) != len(tags):
            raise serializers.ValidationError(_("Each device is listed once."))
        return items


class SignSerializer(serializers.Serializer):
    signed_by_name = serializers.CharField(
        validators=[single_line_text], max_length=200, help_text=_("The name as the client wrote it.")
    )


class IncidentSerializer(serializers.ModelSerializer):
    loan_number = serializers.SerializerMethodField()
    asset_tag = serializers.CharField(source="device.asset_tag")

    class Meta:
        model = Incident
        fields = [
            "id",
            "loan",
            "loan_number",
            "device",
            "asset_tag",
            "kind",
            "description",
            "deposit_kept",
            "status",
            "reported_by",
            "reported_at",
            "closed_at",
            "resolution",
        ]
        read_only_fields = fields

    def get_loan_number(self, incident: Incident) -> str:
        return incident.loan.number if incident.loan else ""


class IncidentCloseSerializer(serializers.Serializer):
    resolution = serializers.CharField(validators=[multi_line_text], max_length=300, help_text=_("How it was settled."))


class IncidentReportSerializer(serializers.Serializer):
    tag = AssetTagField(max_length=40, help_text=_("The asset tag of the device of the loan."))
    kind = serializers.ChoiceField(choices=REPORT_KINDS, help_text=_("Lost or stolen: the device leaves the stock."))
    description = serializers.CharField(
        validators=[multi_line_text],
        max_length=500,
        allow_blank=True,
        default="",
        help_text=_("What the client told; for a theft, the police report number if there is one."),
    )


class PartnerBookingSerializer(serializers.Serializer):
    partner = ScopedRelatedField(queryset=Partner.objects.all(), help_text=_("The partner organisation that books."))
    hub = ScopedRelatedField(queryset=Hub.objects.all(), help_text=_("The hub where the set is picked up."))
    starts_on = serializers.DateField(help_text=_("The day the set is picked up."))
    tags = serializers.ListField(
        child=AssetTagField(max_length=40),
        min_length=1,
        max_length=200,
        help_text=_("The asset tags of every device of the set, as scanned or typed."),
    )


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        validators=[multi_line_text],
        max_length=300,
        allow_blank=True,
        default="",
        help_text=_("Why the booking is cancelled."),
    )


class AgreementTextSerializer(serializers.ModelSerializer):
    published_by_name = serializers.SerializerMethodField()

    class Meta:
        model = AgreementText
        fields = ["id", "version", "text", "published_at", "published_by", "published_by_name"]
        read_only_fields = ["version", "published_at", "published_by"]
        extra_kwargs = {"text": {"max_length": 20_000}}

    def get_published_by_name(self, agreement: AgreementText) -> str:
        user = agreement.published_by
        return (user.get_full_name() or user.get_username()) if user else ""


# Serializers: the waiting list and lending rules -------------------------------------------------


@extend_schema_serializer(component_name="WaitingRequest")  # "DeviceRequest" is the device serializer's input
class DeviceRequestSerializer(serializers.ModelSerializer):
    client_number = serializers.CharField(source="client.number")
    client_name = serializers.SerializerMethodField()

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
            "requested_at",
            "queued_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_client_name(self, request: DeviceRequest) -> str:
        return client_name(request.client)


class DeviceRequestCreateSerializer(serializers.Serializer):
    client = ClientNumberField(max_length=20, help_text=_("The client number on the card, e.g. K7QM-4XRA."))
    hub = ScopedRelatedField(queryset=Hub.objects.all())
    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in REQUESTABLE_KINDS])
    urgent_partner = ScopedRelatedField(
        queryset=Partner.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The referring partner that says the need is urgent."),
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


class LendingRulesSerializer(serializers.ModelSerializer):
    class Meta:
        model = LendingRules
        fields = services.RULE_FIELDS


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


class DonorViewSet(DeviceBankViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin):
    """Who hands over equipment: a partner of the digibank or another organisation."""

    queryset = Donor.objects.order_by("name", "pk")
    serializer_class = DonorSerializer
    read_permission = DEVICE_READ
    write_permission = DEVICE_WRITE

    def perform_create(self, serializer):
        serializer.instance = services.donor_create(
            digibank=self.own_digibank(), actor=self.request.user, **serializer.validated_data
        )


class IntakeBatchViewSet(DeviceBankViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin):
    """One hand-over by a donor at a hub; its items are taken in one by one."""

    queryset = IntakeBatch.objects.select_related("donor").order_by("-received_on", "-pk")
    serializer_class = IntakeBatchSerializer
    read_permission = DEVICE_READ
    write_permission = DEVICE_WRITE

    def perform_create(self, serializer):
        batch = services.batch_receive(
            digibank=self.own_digibank(), actor=self.request.user, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=batch.pk)

    @extend_schema(request=DeviceSerializer, responses={201: DeviceSerializer})
    @action(detail=True, methods=["post"])
    def devices(self, request, pk=None):
        """Take in one donated item: it gets its asset tag and starts 'received' at the batch's hub."""
        batch = self.get_object()
        fields = self.valid(DeviceSerializer)
        device = services.device_intake(batch=batch, actor=request.user, **fields)
        return self.answer(DeviceSerializer, Device.objects.select_related("hub").get(pk=device.pk), status=201)

    @extend_schema(responses={(200, "application/pdf"): PDF})
    @action(detail=True, methods=["get"])
    def certificate(self, request, pk=None):
        """The donor's summary certificate: every item of the batch and how its data was erased, or
        what became of it."""
        batch = self.get_object()
        return pdf_response(documents.batch_certificate_pdf(batch), f"certificate-batch-{batch.pk}")

    @extend_schema(responses={(200, "application/pdf"): PDF})
    @action(detail=True, methods=["get"])
    def labels(self, request, pk=None):
        """A sheet of asset-tag labels (3 × 8 of 70 × 37 mm) for every device of the batch, in the
        order they were taken in."""
        batch = self.get_object()
        return pdf_response(documents.batch_labels_pdf(batch), f"labels-batch-{batch.pk}")


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
        serializer.instance = services.collection_create(
            digibank=self.own_digibank(), actor=self.request.user, **serializer.validated_data
        )


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
        device = services.device_update(device=device, actor=request.user, **fields)
        return self.answer(DeviceSerializer, self.reread(device))

    @extend_schema(request=TransitionSerializer, responses=DeviceSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the device by hand to the next state of its life: start wiping, send to repair, mark
        ready (with a grade), retire (with a reason). A refused move changes nothing."""
        device = self.get_object()
        given = self.valid(TransitionSerializer)
        device = services.device_transition(
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
        record = services.erasure_record(device=device, actor=request.user, **fields)
        return self.answer(ErasureRecordSerializer, record, status=201)

    @extend_schema(request=ErasureLogSerializer, responses={201: ErasureRecordSerializer})
    @action(detail=True, methods=["post"], url_path="erasure-log")
    def erasure_log(self, request, pk=None):
        """Import the log of nwipe or ShredOS itself: the disk in it must be the device's, by serial
        number; the method, verification, date and result are the log's."""
        device = self.get_object()
        given = self.valid(ErasureLogSerializer)
        record = services.erasure_import(
            device=device, actor=request.user, log_text=given["log"], medium=given["medium"]
        )
        return self.answer(ErasureRecordSerializer, record, status=201)

    @extend_schema(request=ReadyCheckSerializer, responses={201: ReadyCheckSerializer})
    @action(detail=True, methods=["post"], url_path="ready-check")
    def ready_check(self, request, pk=None):
        """The ready checklist, every item ticked, with the software profile installed."""
        device = self.get_object()
        given = self.valid(ReadyCheckSerializer)
        check = services.ready_check_record(
            device=device, actor=request.user, software_profile=given["software_profile"], items=given["items"]
        )
        return self.answer(ReadyCheckSerializer, check, status=201)

    @extend_schema(request=RepairTicketSerializer, responses={201: RepairTicketSerializer})
    @action(detail=True, methods=["post"])
    def repairs(self, request, pk=None):
        """Open a repair ticket (the fault, and the trainee who works on it); the device goes into repair."""
        device = self.get_object()
        given = self.valid(RepairTicketSerializer)
        ticket = services.repair_open(
            device=device, actor=request.user, fault=given["fault"], trainee=given.get("trainee", "")
        )
        return self.answer(RepairTicketSerializer, ticket, status=201)

    @extend_schema(request=TransferSerializer, responses=DeviceSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        """Move a device in stock to another hub of the digibank."""
        device = self.get_object()
        given = self.valid(TransferSerializer)
        device = services.device_transfer(device=device, hub=given["hub"], note=given["note"], actor=request.user)
        return self.answer(DeviceSerializer, self.reread(device))

    @extend_schema(request=RecycleSerializer, responses=DeviceSerializer)
    @action(detail=True, methods=["post"])
    def recycle(self, request, pk=None):
        """Hand a retired device to the recycler in a collection, with its weight."""
        device = self.get_object()
        given = self.valid(RecycleSerializer)
        device = services.device_recycle(
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
        device = services.device_hand_over(device=device, client=client, actor=request.user, note=given["note"])
        return self.answer(DeviceSerializer, self.reread(device))

    @extend_schema(responses=DeviceEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        """The device's history, newest first: every move, transfer, erasure, repair and check, with who."""
        device = self.get_object()
        events = DeviceEvent.objects.filter(device=device).select_related("actor").order_by("-occurred_at", "-pk")
        page = self.paginate_queryset(events)
        return self.get_paginated_response(DeviceEventSerializer(page, many=True).data)


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
        return pdf_response(documents.erasure_certificate_pdf(record), f"erasure-{record.number}")


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
        ticket = services.repair_close(ticket=ticket, actor=request.user, **given)
        return self.answer(RepairTicketSerializer, self.get_queryset().get(pk=ticket.pk))


LOAN_ITEMS = Prefetch("items", queryset=LoanItem.objects.select_related("device").order_by("pk"))


@extend_schema_view(
    list=extend_schema(
        parameters=[LOAN_STATUS_FILTER, OVERDUE_FILTER, CLIENT_FILTER],
        responses={200: LoanSerializer(many=True), 400: FIELD_ERRORS},
    )
)
class LoanViewSet(DeviceBankViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Loans from check-out to check-in, and reservations (offers, partners' bookings). A loan ends
    returned or cancelled; it is never deleted."""

    queryset = Loan.objects.select_related("client", "partner", "hub").prefetch_related(LOAN_ITEMS)
    serializer_class = LoanSerializer
    read_permission = DESK
    write_permission = DESK
    shows = {
        "list": Shows("api loans", client=None, action=SEARCH),
        "retrieve": Shows("api loan {object.number}", client="object.client"),
        "agreement": Shows("api loan agreement {object.number}", client="object.client"),
    }

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        status = choice_param(self.request, "status", Loan.Status.choices)
        if status:
            queryset = queryset.filter(status=status)
        client = client_param(self.request, self.tenancy)
        if client is not None:
            queryset = queryset.filter(client=client)
        if bool_param(self.request, "overdue"):
            today = timezone.localdate()
            return queryset.filter(status=Loan.Status.ON_LOAN, due_on__lt=today).order_by("due_on", "pk")
        return queryset.order_by("-created_at", "-pk")

    def retrieve(self, request, *args, **kwargs):
        loan = self.get_object()
        return self.answer(LoanSerializer, loan)

    def reread(self, loan: Loan) -> Loan:
        return self.get_queryset().get(pk=loan.pk)

    @extend_schema(
        request=CheckOutSerializer,
        responses={201: LoanSerializer},
        description="Check out at the desk: the client's number and the scanned tags of a device and its "
        "accessories. Every reason the rules refuse it is answered as a field error (`client`, `tags`, "
        "`income`, `training_done`, `goals_plan`, `deposit_payment` ...).",
    )
    def create(self, request, *args, **kwargs):
        """Lend a device and its accessories to a client."""
        digibank = self.own_digibank()
        given = self.valid(CheckOutSerializer)
        errors: dict[str, list[str]] = {}
        client = find_client(self.tenancy, given["client"])
        if client is None:
            errors["client"] = [str(_("No client of your digibank has this number: check what was typed."))]
        devices, problems = services.find_devices(digibank_id=digibank.pk, codes=given["tags"])
        errors.update(problems)
        if errors:
            raise DjangoValidationError(errors)
        attestation = services.Attestation(
            increased_allowance=given["increased_allowance"],
            household_size=given.get("household_size"),
            household_income=given.get("household_income"),
            training_done=given["training_done"],
            goals_plan=given["goals_plan"],
        )
        loan = services.loan_check_out(
            digibank=digibank,
            hub=given.get("hub"),
            client=client,
            devices=devices,
            actor=request.user,
            attestation=attestation,
            deposit_payment=given.get("deposit_payment", ""),
        )
        return self.answer(LoanSerializer, self.reread(loan), status=201)

    @extend_schema(request=CheckInSerializer, responses=LoanSerializer)
    @action(detail=True, methods=["post"], url_path="check-in")
    def check_in(self, request, pk=None):
        """Take the loan back: say for every device whether it came back and how. Damage or a missing
        device is an incident; (part of) the deposit may be kept for it."""
        loan = self.get_object()
        given = self.valid(CheckInSerializer)
        items = given["items"]
        devices, problems = services.find_devices(digibank_id=loan.digibank_id, codes=[i["tag"] for i in items])
        if problems:
            raise DjangoValidationError({"items": problems["tags"]})
        by_tag = {device.asset_tag: device for device in devices}
        returned = [
            services.ReturnedItem(
                device=by_tag[normalise_tag(item["tag"])],
                present=item["present"],
                condition=item["condition"],
                damage=item["damage"],
            )
            for item in items
        ]
        try:
            loan = services.loan_check_in(
                loan=loan,
                actor=request.user,
                items=returned,
                deposit_kept=given["deposit_kept"],
                missing_kind=given["missing_kind"],
                note=given["note"],
            )
        except DjangoValidationError as error:
            raise renamed(error, {"tags": "items"}) from None
        return self.answer(LoanSerializer, self.reread(loan))

    @extend_schema(request=None, responses=LoanSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Extend the loan by the digibank's extension period, where its rules allow it."""
        loan = services.loan_extend(loan=self.get_object(), actor=request.user)
        return self.answer(LoanSerializer, self.reread(loan))

    @extend_schema(request=SignSerializer, responses=LoanSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Record that the client signed the agreement on screen."""
        loan = self.get_object()
        given = self.valid(SignSerializer)
        loan = services.loan_sign(loan=loan, actor=request.user, signed_by_name=given["signed_by_name"])
        return self.answer(LoanSerializer, self.reread(loan))

    @extend_schema(request=None, responses=LoanSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """A partner picks up its booked set: the reservation becomes a loan, from today."""
        loan = services.loan_start(loan=self.get_object(), actor=request.user)
        return self.answer(LoanSerializer, self.reread(loan))

    @extend_schema(request=CancelSerializer, responses=LoanSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a partner's booking; its devices are ready again. A device offered to someone on the
        waiting list is not cancelled here: the offer is declined (offers/{id}/decline/)."""
        loan = self.get_object()
        given = self.valid(CancelSerializer)
        loan = services.booking_cancel(loan=loan, actor=request.user, reason=given["reason"])
        return self.answer(LoanSerializer, self.reread(loan))

    @extend_schema(request=IncidentReportSerializer, responses={201: IncidentSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        """Record what the client reports during the loan. A lost or stolen device leaves the stock
        (the loan ends when nothing of it is left); the incident stays open until it is settled."""
        loan = self.get_object()
        given = self.valid(IncidentReportSerializer)
        devices, problems = services.find_devices(digibank_id=loan.digibank_id, codes=[given["tag"]])
        if problems:
            raise DjangoValidationError({"tag": problems["tags"]})
        try:
            incident = services.incident_report(
                loan=loan,
                device=devices[0],
                kind=given["kind"],
                actor=request.user,
                description=given["description"],
            )
        except DjangoValidationError as error:
            raise renamed(error, {"device": "tag"}) from None
        incident = Incident.objects.select_related("loan", "device").get(pk=incident.pk)
        return self.answer(IncidentSerializer, incident, status=201)

    @extend_schema(responses={(200, "application/pdf"): PDF})
    @action(detail=True, methods=["get"])
    def agreement(self, request, pk=None):
        """The loan agreement to print and sign: the borrower, the devices, the dates, the conditions
        and the agreement text in the version of the loan. Reading it is in the access log."""
        loan = self.get_object()
        pdf = documents.loan_agreement_pdf(loan)
        return pdf_response(pdf, f"agreement-{loan.number}")


class PartnerBookingView(APIView):
    """A partner organisation books a set of devices ahead (for a course), under the digibank's
    rules for partners. The set is reserved until it is picked up (loans/{id}/start/)."""

    permission_classes = [HasPermission]
    read_permission = DESK
    write_permission = DESK
    schema = ScopedSchema()

    @extend_schema(
        request=PartnerBookingSerializer,
        responses={201: LoanSerializer},
        description="Every reason the rules refuse it is answered as a field error (`partner`, `hub`, "
        "`starts_on`, `tags`).",
    )
    def post(self, request):
        digibank = own_digibank(chosen(tenancy_of(request)))
        serializer = PartnerBookingSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        given = serializer.validated_data
        devices, problems = services.find_devices(digibank_id=digibank.pk, codes=given["tags"])
        if problems:
            raise DjangoValidationError(problems)
        loan = services.partner_booking(
            digibank=digibank,
            hub=given["hub"],
            partner=given["partner"],
            devices=devices,
            starts_on=given["starts_on"],
            actor=request.user,
        )
        loan = LoanViewSet.queryset.get(pk=loan.pk)
        return Response(LoanSerializer(loan, context={"request": request}).data, status=201)


@extend_schema_view(
    list=extend_schema(
        parameters=[INCIDENT_STATUS_FILTER], responses={200: IncidentSerializer(many=True), 400: FIELD_ERRORS}
    )
)
class IncidentViewSet(DeviceBankViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Damage, a missing part, a loss or a theft; closed with how it was settled, never deleted."""

    queryset = Incident.objects.select_related("loan", "device").order_by("-reported_at", "-pk")
    serializer_class = IncidentSerializer
    read_permission = DESK
    write_permission = DESK

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        status = choice_param(self.request, "status", Incident.Status.choices)
        return queryset.filter(status=status) if status else queryset

    @extend_schema(request=IncidentCloseSerializer, responses=IncidentSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        incident = self.get_object()
        given = self.valid(IncidentCloseSerializer)
        incident = services.incident_close(incident=incident, actor=request.user, resolution=given["resolution"])
        return self.answer(IncidentSerializer, self.get_queryset().get(pk=incident.pk))


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
        mark the need urgent, with the reason."""
        digibank = self.own_digibank()
        given = self.valid(DeviceRequestCreateSerializer)
        client = find_client(self.tenancy, given.pop("client"))
        if client is None:
            raise DjangoValidationError(
                {"client": _("No client of your digibank has this number: check what was typed.")}
            )
        device_request = services.request_create(digibank=digibank, client=client, actor=request.user, **given)
        return self.answer(DeviceRequestSerializer, self.reread(device_request), status=201)

    @extend_schema(request=QueueMoveSerializer, responses=DeviceRequestSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move someone in the queue, just before another request or to the end, with a written reason."""
        device_request = self.get_object()
        given = self.valid(QueueMoveSerializer)
        device_request = services.request_move(
            request=device_request, before=given.get("before"), reason=given["reason"], actor=request.user
        )
        return self.answer(DeviceRequestSerializer, self.reread(device_request))

    @extend_schema(request=None, responses=DeviceRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The client no longer waits; a device offered to them goes to the next person."""
        device_request = services.request_withdraw(request=self.get_object(), actor=request.user)
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
        offer = services.offer_decline(offer=self.get_object(), actor=request.user)
        return self.answer(OfferSerializer, self.get_queryset().get(pk=offer.pk))


class LendingRulesView(APIView):
    """How the digibank the caller works in lends: its local choices (adults only, always)."""

    permission_classes = [HasPermission]
    read_permission = (Perm.LOANS_MANAGE, Perm.LENDING_RULES)
    write_permission = Perm.LENDING_RULES
    schema = ScopedSchema()

    @extend_schema(responses=LendingRulesSerializer)
    def get(self, request):
        rules = services.rules_for(own_digibank(chosen(tenancy_of(request))))
        return Response(LendingRulesSerializer(rules).data)

    @extend_schema(request=LendingRulesSerializer, responses=LendingRulesSerializer)
    def patch(self, request):
        """Change some of the rules; what is left out stays as it is."""
        digibank = own_digibank(chosen(tenancy_of(request)))
        serializer = LendingRulesSerializer(services.rules_for(digibank), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        rules = services.rules_update(digibank=digibank, actor=request.user, **serializer.validated_data)
        return Response(LendingRulesSerializer(rules).data)


class AgreementViewSet(DeviceBankViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The versions of the loan agreement of the digibank, newest first. A loan keeps the version it
    was made under; the first loan publishes the platform's default text as version 1."""

    queryset = AgreementText.objects.select_related("published_by").order_by("-version", "-pk")
    serializer_class = AgreementTextSerializer
    read_permission = (Perm.LOANS_MANAGE, Perm.LENDING_RULES)
    write_permission = Perm.LENDING_RULES

    @extend_schema(request=AgreementTextSerializer, responses={201: AgreementTextSerializer})
    def create(self, request, *args, **kwargs):
        """Publish a new version of the agreement text: the loans from now on are made under it."""
        digibank = self.own_digibank()
        given = self.valid(AgreementTextSerializer)
        agreement = services.agreement_publish(digibank=digibank, text=given["text"], actor=request.user)
        return self.answer(AgreementTextSerializer, self.get_queryset().get(pk=agreement.pk), status=201)


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
            stocktake = services.stocktake_start(hub=given["hub"], actor=request.user)
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
        scan = services.stocktake_scan(stocktake=stocktake, code=given["code"], actor=request.user)
        return self.answer(StockTakeScanSerializer, scan, status=201)

    @extend_schema(request=None, responses=StockTakeSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Finish the stock-take: no more scans."""
        stocktake = services.stocktake_close(stocktake=self.get_object(), actor=request.user)
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
