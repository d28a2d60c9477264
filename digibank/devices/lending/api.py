"""Lending in the API: loans (check-out, check-in, extend, sign, deposit, start, cancel), incidents,
partner bookings, the lending rules and the agreement texts."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from digibank.clients.access import SEARCH, Shows
from digibank.core.api import (
    FIELD_ERRORS,
    HasPermission,
    ScopedRelatedField,
    ScopedSchema,
    chosen,
)
from digibank.core.roles import Perm
from digibank.core.tenancy import tenancy_of
from digibank.core.validators import multi_line_text, single_line_text
from digibank.devices.common.api import (
    CLIENT_FILTER,
    DESK,
    PDF,
    AssetTagField,
    ClientNumberField,
    DeviceBankViewSet,
    bool_param,
    choice_param,
    client_name,
    client_number,
    client_param,
    find_client,
    pdf_response,
    renamed,
)
from digibank.devices.lending import documents as lending_documents
from digibank.devices.lending import eligibility as lending_eligibility
from digibank.devices.lending import incidents as lending_incidents
from digibank.devices.lending import rules as lending_rules
from digibank.devices.lending import services as lending_services
from digibank.devices.lending.models import AgreementText, Incident, LendingRules, Loan, LoanItem
from digibank.devices.register import services as register_services
from digibank.devices.register.lifecycle import Kind
from digibank.devices.register.models import Condition
from digibank.devices.tags import normalise_tag
from digibank.network.models import Hub, Partner
from digibank.network.selectors import own_digibank

# What a client reports during a loan, the usual first, in the words of the check-in form.
REPORT_KINDS = [
    (Incident.Kind.LOST.value, Incident.Kind.LOST.label),
    (Incident.Kind.STOLEN.value, Incident.Kind.STOLEN.label),
    (Incident.Kind.DAMAGED.value, Incident.Kind.DAMAGED.label),
    (Incident.Kind.MISSING_PART.value, _("missing part (for example a charger)")),
]


MISSING_KINDS = [(k.value, k.label) for k in (Incident.Kind.MISSING_PART, Incident.Kind.LOST, Incident.Kind.STOLEN)]


LOAN_STATUS_FILTER = OpenApiParameter("status", str, enum=Loan.Status.values, description="Only loans in this status.")


OVERDUE_FILTER = OpenApiParameter("overdue", bool, description="Only loans in progress past their due date.")


INCIDENT_STATUS_FILTER = OpenApiParameter("status", str, enum=Incident.Status.values)


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


class LendingRulesSerializer(serializers.ModelSerializer):
    class Meta:
        model = LendingRules
        fields = lending_services.RULE_FIELDS


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
        devices, problems = register_services.find_devices(digibank_id=digibank.pk, codes=given["tags"])
        errors.update(problems)
        if errors:
            raise DjangoValidationError(errors)
        attestation = lending_eligibility.Attestation(
            increased_allowance=given["increased_allowance"],
            household_size=given.get("household_size"),
            household_income=given.get("household_income"),
            training_done=given["training_done"],
            goals_plan=given["goals_plan"],
        )
        loan = lending_services.loan_check_out(
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
        devices, problems = register_services.find_devices(
            digibank_id=loan.digibank_id, codes=[i["tag"] for i in items]
        )
        if problems:
            raise DjangoValidationError({"items": problems["tags"]})
        by_tag = {device.asset_tag: device for device in devices}
        returned = [
            lending_services.ReturnedItem(
                device=by_tag[normalise_tag(item["tag"])],
                present=item["present"],
                condition=item["condition"],
                damage=item["damage"],
            )
            for item in items
        ]
        try:
            loan = lending_services.loan_check_in(
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
        loan = lending_services.loan_extend(loan=self.get_object(), actor=request.user)
        return self.answer(LoanSerializer, self.reread(loan))

    @extend_schema(request=SignSerializer, responses=LoanSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Record that the client signed the agreement on screen."""
        loan = self.get_object()
        given = self.valid(SignSerializer)
        loan = lending_services.loan_sign(loan=loan, actor=request.user, signed_by_name=given["signed_by_name"])
        return self.answer(LoanSerializer, self.reread(loan))

    @extend_schema(request=None, responses=LoanSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """A partner picks up its booked set: the reservation becomes a loan, from today."""
        loan = lending_services.loan_start(loan=self.get_object(), actor=request.user)
        return self.answer(LoanSerializer, self.reread(loan))

    @extend_schema(request=CancelSerializer, responses=LoanSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a partner's booking; its devices are ready again. A device offered to someone on the
        waiting list is not cancelled here: the offer is declined (offers/{id}/decline/)."""
        loan = self.get_object()
        given = self.valid(CancelSerializer)
        loan = lending_services.booking_cancel(loan=loan, actor=request.user, reason=given["reason"])
        return self.answer(LoanSerializer, self.reread(loan))

    @extend_schema(request=IncidentReportSerializer, responses={201: IncidentSerializer})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        """Record what the client reports during the loan. A lost or stolen device leaves the stock
        (the loan ends when nothing of it is left); the incident stays open until it is settled."""
        loan = self.get_object()
        given = self.valid(IncidentReportSerializer)
        devices, problems = register_services.find_devices(digibank_id=loan.digibank_id, codes=[given["tag"]])
        if problems:
            raise DjangoValidationError({"tag": problems["tags"]})
        try:
            incident = lending_incidents.incident_report(
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
        pdf = lending_documents.loan_agreement_pdf(loan)
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
        devices, problems = register_services.find_devices(digibank_id=digibank.pk, codes=given["tags"])
        if problems:
            raise DjangoValidationError(problems)
        loan = lending_services.partner_booking(
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
        incident = lending_incidents.incident_close(
            incident=incident, actor=request.user, resolution=given["resolution"]
        )
        return self.answer(IncidentSerializer, self.get_queryset().get(pk=incident.pk))


class LendingRulesView(APIView):
    """How the digibank the caller works in lends: its local choices (adults only, always)."""

    permission_classes = [HasPermission]
    read_permission = (Perm.LOANS_MANAGE, Perm.LENDING_RULES)
    write_permission = Perm.LENDING_RULES
    schema = ScopedSchema()

    @extend_schema(responses=LendingRulesSerializer)
    def get(self, request):
        rules = lending_rules.rules_for(own_digibank(chosen(tenancy_of(request))))
        return Response(LendingRulesSerializer(rules).data)

    @extend_schema(request=LendingRulesSerializer, responses=LendingRulesSerializer)
    def patch(self, request):
        """Change some of the rules; what is left out stays as it is."""
        digibank = own_digibank(chosen(tenancy_of(request)))
        serializer = LendingRulesSerializer(lending_rules.rules_for(digibank), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        rules = lending_services.rules_update(digibank=digibank, actor=request.user, **serializer.validated_data)
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
        agreement = lending_services.agreement_publish(digibank=digibank, text=given["text"], actor=request.user)
        return self.answer(AgreementTextSerializer, self.get_queryset().get(pk=agreement.pk), status=201)
