"""The REST API of the network. Serializers check the shape of input; every write is one service call,
whose ValidationError the shared exception handler answers as a 400 with field errors."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from digibank.core.api import (
    DIGIBANK_FILTER,
    DigibankFilterMixin,
    HasPermission,
    KnowsDigibank,
    ScopedRelatedField,
    ScopedSchema,
    ScopedViewSetMixin,
    TimeOfDayField,
    chosen,
    int_param,
)
from digibank.core.roles import Perm, Role
from digibank.core.tenancy import Tenancy, tenancy_of
from digibank.core.text import fold
from digibank.core.validators import single_line_text

from . import selectors, services
from .models import Digibank, Hub, HubException, Membership, Municipality, Partner, Weekday
from .services import HUB_FIELDS, PARTNER_FIELDS

# Network facts are read by the digibank's staff and by the Department (across all digibanks).
STAFF_OR_DEPARTMENT = (Perm.NETWORK_VIEW, Perm.DEPARTMENT_VIEW)

QUERY = OpenApiParameter("q", str, description="A postal code, NIS code or (part of) a municipality's name.")


def own_digibank(tenancy: Tenancy) -> Digibank:
    """The digibank the caller works in: where new rows go."""
    return selectors.own_digibank(chosen(tenancy))


# Serializers ------------------------------------------------------------------------------------


class MunicipalitySerializer(serializers.ModelSerializer):
    province_name = serializers.CharField(source="get_province_display", read_only=True)

    class Meta:
        model = Municipality
        fields = ["nis_code", "name", "name_fr", "province", "province_name"]


class DigibankSerializer(serializers.ModelSerializer):
    service_area: serializers.RelatedField = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text=_("NIS codes.")
    )

    class Meta:
        model = Digibank
        fields = [
            "id",
            "name",
            "slug",
            "phase",
            "email",
            "phone",
            "website",
            "description",
            "service_area",
            "created_at",
        ]
        # Slug and phase are the Department's to set.
        read_only_fields = ["slug", "phase", "created_at"]


ACCOUNT_EMAIL = (
    r"^[A-Za-z0-9_+-]+(\.[A-Za-z0-9_+-]+)*"  # the name: letters, digits and _ + -, dots between
    r"@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"  # a domain, its last part letters
)
# Shapes the schema states; whether such a municipality exists it cannot.
POSTAL_CODE = RegexValidator(r"^[0-9]{4}$", _("A postal code has four digits."))
NIS_CODE = r"^[0-9]{5}$"


@extend_schema_field({"type": "string", "pattern": NIS_CODE})
class NisCodeField(serializers.PrimaryKeyRelatedField):
    """A municipality named by its NIS code."""


class ServiceAreaSerializer(serializers.Serializer):
    service_area = serializers.ListField(
        child=serializers.RegexField(NIS_CODE),
        min_length=1,
        max_length=400,
        help_text=_("The NIS codes of every municipality the digibank serves."),
    )

    def validate_service_area(self, codes: list[str]) -> list[Municipality]:
        found = list(Municipality.objects.filter(pk__in=codes))
        unknown = sorted(set(codes) - {m.pk for m in found})
        if unknown:
            raise serializers.ValidationError(
                _("There is no Flemish municipality with NIS code %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return found


class PartnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["id", "digibank", *PARTNER_FIELDS, "enterprise_number_display", "is_active"]
        read_only_fields = ["digibank"]
        validators: list = []  # uniqueness within the digibank is the service's to check


class OpeningHoursSerializer(serializers.Serializer):
    weekday = serializers.ChoiceField(choices=Weekday.choices)
    opens = TimeOfDayField()
    closes = TimeOfDayField()

    def validate(self, attrs):
        # DRF passes a PATCH's `partial` on to nested rows; but a PATCH replaces the week whole.
        missing = {name: [field.error_messages["required"]] for name, field in self.fields.items() if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing, code="required")
        return attrs


class HubSerializer(serializers.ModelSerializer):
    municipality = NisCodeField(
        queryset=Municipality.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("NIS code; when null (or left out of a new hub) it is taken from the postal code."),
    )
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    opening_hours = OpeningHoursSerializer(many=True, required=False, help_text=_("The regular week."))
    services = serializers.ListField(child=serializers.CharField(), read_only=True)
    open_now = serializers.SerializerMethodField()

    class Meta:
        model = Hub
        fields = ["id", "digibank", *HUB_FIELDS, "municipality_name", "opening_hours", "services", "open_now"]
        read_only_fields = ["digibank"]
        # As the database's check constraints: a friendly field error instead of a constraint's name.
        extra_kwargs = {
            "postal_code": {"validators": [POSTAL_CODE]},
            "latitude": {"min_value": 49, "max_value": 52},
            "longitude": {"min_value": 2, "max_value": 7},
        }

    def get_open_now(self, hub: Hub) -> bool:
        return hub.is_open_at(self.context.get("now") or timezone.now())


class HubExceptionSerializer(serializers.ModelSerializer):
    hub = ScopedRelatedField(queryset=Hub.objects.all())
    opens = TimeOfDayField(required=False, allow_null=True)
    closes = TimeOfDayField(required=False, allow_null=True)

    class Meta:
        model = HubException
        fields = ["id", "hub", "starts_on", "ends_on", "opens", "closes", "reason", "is_closure"]


class StaffUserSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "username", "email", "first_name", "last_name"]


class MembershipSerializer(serializers.ModelSerializer):
    user = StaffUserSerializer(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "digibank", "role", "partner", "is_active", "created_at"]
        read_only_fields = fields


class MembershipGrantSerializer(serializers.Serializer):
    # A new account's user name is its e-mail address: the characters and length a user name allows, in the
    # shape Django's e-mail validator takes (a domain with a dot), which `format: email` alone does not say.
    email = serializers.EmailField(
        max_length=150,
        validators=[
            RegexValidator(
                ACCOUNT_EMAIL,
                _("Give an e-mail address like jan@example.be, with only letters, digits and . _ + - before the @."),
            )
        ],
    )
    role = serializers.ChoiceField(choices=Role.choices)
    first_name = serializers.CharField(
        validators=[single_line_text],
        max_length=150,
        required=False,
        allow_blank=True,
        help_text=_("Only needed for a new account."),
    )
    last_name = serializers.CharField(validators=[single_line_text], max_length=150, required=False, allow_blank=True)
    partner = ScopedRelatedField(queryset=Partner.objects.all(), required=False, allow_null=True)

    def validate_email(self, email: str) -> str:
        # As the schema's `format: email` says (RFC 5321); Django's validator lets a longer one pass.
        if len(email.partition("@")[0]) > 64:
            raise serializers.ValidationError(_("The part before the @ is at most 64 characters."))
        return email

    def validate_partner(self, partner: Partner | None) -> Partner | None:
        if partner is not None and not partner.is_active:
            raise serializers.ValidationError(_("This partner has left the digibank."))
        return partner


class PeriodSerializer(serializers.Serializer):
    opens = TimeOfDayField()
    closes = TimeOfDayField()


class DayHoursSerializer(serializers.Serializer):
    day = serializers.DateField()
    is_closed = serializers.BooleanField()
    note = serializers.CharField()
    periods = serializers.SerializerMethodField()

    @extend_schema_field(PeriodSerializer(many=True))
    def get_periods(self, day):
        return PeriodSerializer([{"opens": o, "closes": c} for o, c in day.periods], many=True).data


class PublicHubSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.name")
    digibank = serializers.CharField(source="digibank.name")
    services = serializers.ListField(child=serializers.CharField())
    is_local = serializers.BooleanField(help_text=_("The hub lies in the municipality searched for."))
    open_now = serializers.SerializerMethodField()
    today = serializers.SerializerMethodField()

    class Meta:
        model = Hub
        fields = [
            "id",
            "name",
            "street",
            "postal_code",
            "municipality",
            "digibank",
            "latitude",
            "longitude",
            "phone",
            "email",
            "wheelchair_accessible",
            "accessibility_notes",
            "services",
            "is_local",
            "open_now",
            "today",
        ]
        read_only_fields = fields

    def get_open_now(self, hub: Hub) -> bool:
        return hub.is_open_at(self.context["now"])

    @extend_schema_field(DayHoursSerializer)
    def get_today(self, hub: Hub):
        return DayHoursSerializer(hub.hours_on(timezone.localdate(self.context["now"]))).data


class FinderSerializer(serializers.Serializer):
    query = serializers.CharField()
    problem = serializers.ChoiceField(
        choices=["", "empty", "unknown_postal_code", "outside_flanders", "unknown_name"],
        help_text=_("Why no municipality was found; empty when one was, or when there are candidates."),
    )
    municipality = MunicipalitySerializer(allow_null=True)
    matched_former = serializers.CharField(
        help_text=_("The name of a municipality merged away in 2025 that the name or NIS code matched.")
    )
    matched_place = serializers.CharField(
        help_text=_("The name of a place inside the municipality (a deelgemeente) that the name matched.")
    )
    candidates = MunicipalitySerializer(many=True)
    hubs = PublicHubSerializer(many=True)


class ProvinceCoverageSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    total = serializers.IntegerField()
    covered = serializers.IntegerField()
    share = serializers.FloatField()
    uncovered = MunicipalitySerializer(many=True)


class CoverageSerializer(serializers.Serializer):
    provinces = ProvinceCoverageSerializer(many=True)
    flanders = ProvinceCoverageSerializer()


class DigibankRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ChoiceSerializer(serializers.Serializer):
    digibank_id = serializers.IntegerField()
    name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class MeSerializer(serializers.Serializer):
    user = StaffUserSerializer()
    digibank = DigibankRefSerializer(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())
    department_role = serializers.CharField()
    is_superuser = serializers.BooleanField()
    needs_choice = serializers.BooleanField()
    choices = ChoiceSerializer(many=True)


# Endpoints --------------------------------------------------------------------------------------


@extend_schema_view(list=extend_schema(parameters=[QUERY]))
class MunicipalityViewSet(viewsets.ReadOnlyModelViewSet):
    """The Flemish municipalities: reference data, the same for everyone."""

    queryset = Municipality.objects.order_by("name", "nis_code")
    serializer_class = MunicipalitySerializer
    permission_classes = [AllowAny]
    lookup_field = "nis_code"
    lookup_value_regex = r"\d{5}"

    def get_queryset(self):
        queryset = super().get_queryset()
        query = self.request.query_params.get("q", "").strip()[:100]
        if not query:
            return queryset
        if query.isdigit():
            found = selectors.find_place(query).municipality
            return queryset.filter(pk=found.pk) if found else queryset.none()
        folded = fold(query)
        if not folded:
            return queryset.none()
        # A name merged away in 2025 finds the municipality it became part of.
        named = Q(search_name__contains=folded) | Q(former__search_name__contains=folded)
        return queryset.filter(named).distinct()


class DigibankViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Digibanks: staff see their own, the Department all. A coordinator keeps their own details."""

    queryset = Digibank.objects.prefetch_related("service_area").order_by("name")
    serializer_class = DigibankSerializer
    read_permission = STAFF_OR_DEPARTMENT
    write_permission = Perm.NETWORK_MANAGE
    # PUT is only for the service area; the details are changed with PATCH.
    http_method_names = ["get", "patch", "put", "head", "options"]

    def partial_update(self, request, pk=None):
        digibank = self.get_object()
        serializer = self.get_serializer(digibank, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.digibank_update(digibank=digibank, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=digibank.pk)).data)

    @extend_schema(request=ServiceAreaSerializer, responses=DigibankSerializer)
    @action(detail=True, methods=["put"], url_path="service-area")
    def service_area(self, request, pk=None):
        """Replace the service area; refused while an open hub would fall outside it."""
        digibank = self.get_object()
        serializer = ServiceAreaSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.service_area_set(
            digibank=digibank, municipalities=serializer.validated_data["service_area"], actor=request.user
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=digibank.pk)).data)


@extend_schema_view(list=extend_schema(parameters=[DIGIBANK_FILTER]))
class PartnerViewSet(DigibankFilterMixin, ScopedViewSetMixin, viewsets.ModelViewSet):
    """The partners of the digibank. A partner that leaves gets `left_on`; it is never deleted."""

    queryset = Partner.objects.order_by("name", "pk")
    serializer_class = PartnerSerializer
    read_permission = STAFF_OR_DEPARTMENT
    write_permission = Perm.NETWORK_MANAGE
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def perform_create(self, serializer):
        serializer.instance = services.partner_create(
            digibank=own_digibank(self.tenancy), actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.partner_update(
            partner=serializer.instance, actor=self.request.user, **serializer.validated_data
        )


@extend_schema_view(list=extend_schema(parameters=[DIGIBANK_FILTER]))
class HubViewSet(DigibankFilterMixin, ScopedViewSetMixin, viewsets.ModelViewSet):
    """The hubs, with their regular week. A hub that closes gets `closed_on`; it is never deleted."""

    queryset = Hub.objects.with_hours().order_by("name", "pk")
    serializer_class = HubSerializer
    read_permission = STAFF_OR_DEPARTMENT
    write_permission = Perm.NETWORK_MANAGE
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": timezone.now()}

    @staticmethod
    def split_week(validated: dict) -> tuple[dict, list[tuple[int, dt.time, dt.time]] | None]:
        """The hub's fields, and its week as the services take it (None: not given)."""
        fields = dict(validated)
        week = fields.pop("opening_hours", None)
        return fields, None if week is None else [(p["weekday"], p["opens"], p["closes"]) for p in week]

    def perform_create(self, serializer):
        fields, week = self.split_week(serializer.validated_data)
        hub = services.hub_create(
            digibank=own_digibank(self.tenancy), actor=self.request.user, opening_hours=week or [], **fields
        )
        serializer.instance = self.get_queryset().get(pk=hub.pk)

    def perform_update(self, serializer):
        fields, week = self.split_week(serializer.validated_data)
        if week is None:
            hub = services.hub_update(hub=serializer.instance, actor=self.request.user, **fields)
        else:
            hub = services.hub_update_with_hours(
                hub=serializer.instance, actor=self.request.user, opening_hours=week, **fields
            )
        serializer.instance = self.get_queryset().get(pk=hub.pk)


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("hub", int)]))
class HubExceptionViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Closures and other hours of a hub. They are plans, so they may be removed."""

    queryset = HubException.objects.order_by("starts_on", "pk")
    serializer_class = HubExceptionSerializer
    read_permission = STAFF_OR_DEPARTMENT
    write_permission = Perm.NETWORK_MANAGE
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        hub_id = int_param(self.request, "hub")
        return queryset if hub_id is None else queryset.filter(hub_id=hub_id)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.hub_exception_add(hub=data.pop("hub"), actor=self.request.user, **data)

    def perform_destroy(self, instance):
        services.hub_exception_remove(exception=instance, actor=self.request.user)


class MembershipViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Who has which role in the digibank. A role is ended, never deleted."""

    queryset = Membership.objects.select_related("user", "partner").order_by(
        "-is_active", "user__last_name", "user__first_name", "pk"
    )
    serializer_class = MembershipSerializer
    read_permission = Perm.MEMBERS_MANAGE
    write_permission = Perm.MEMBERS_MANAGE
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=MembershipGrantSerializer, responses={201: MembershipSerializer})
    def create(self, request):
        """Give a role to the staff member with this e-mail; a new account is made when needed."""
        grant = MembershipGrantSerializer(data=request.data, context=self.get_serializer_context())
        grant.is_valid(raise_exception=True)
        membership = services.membership_grant_by_email(
            digibank=own_digibank(self.tenancy), actor=request.user, **grant.validated_data
        )
        return Response(self.get_serializer(membership).data, status=201)

    @extend_schema(request=None, responses=MembershipSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        membership = services.membership_end(membership=self.get_object(), actor=request.user)
        return Response(self.get_serializer(membership).data)


class PublicFinderView(APIView):
    """What the public finder shows: the municipality found (or why not) and the hubs serving it."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[QUERY], responses=FinderSerializer)
    def get(self, request):
        lookup = selectors.find_place(request.query_params.get("q", "").strip()[:100])
        hubs = list(selectors.hubs_serving(lookup.municipality)) if lookup.municipality else []
        result = {
            "query": lookup.query,
            "problem": lookup.problem,
            "municipality": lookup.municipality,
            "matched_former": lookup.matched_former,
            "matched_place": lookup.matched_place,
            "candidates": lookup.candidates or [],
            "hubs": hubs,
        }
        return Response(FinderSerializer(result, context={"now": timezone.now()}).data)


class CoverageView(APIView):
    """For the Department: how much of each province and of Flanders some digibank serves."""

    permission_classes = [HasPermission]
    read_permission = Perm.DEPARTMENT_VIEW

    @extend_schema(responses=CoverageSerializer)
    def get(self, request):
        provinces, flanders = selectors.coverage()
        return Response(CoverageSerializer({"provinces": provinces, "flanders": flanders}).data)


class MeView(APIView):
    """The caller's tenancy: the digibank they work in now, their roles there, and their choices."""

    permission_classes = [KnowsDigibank]
    schema = ScopedSchema()

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        tenancy = tenancy_of(request)
        digibank = {"id": tenancy.digibank_id, "name": tenancy.digibank_name} if tenancy.digibank_id else None
        return Response(
            MeSerializer(
                {
                    "user": request.user,
                    "digibank": digibank,
                    "roles": sorted(tenancy.roles),
                    "department_role": tenancy.department_role,
                    "is_superuser": tenancy.is_superuser,
                    "needs_choice": tenancy.needs_choice,
                    "choices": tenancy.choices,
                }
            ).data
        )
