"""The Department's figures in the API: the reach of every digibank, the circularity figures (a
digibank's own, the Department's across Flanders: counts below 5 are null, with a flag), and the
Department's CO2e factors per type of device."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from digibank.core.api import FIELD_ERRORS, HasPermission, ScopedSchema
from digibank.core.roles import Perm
from digibank.core.tenancy import tenancy_of
from digibank.devices.register.lifecycle import Kind

from . import circularity, selectors, services
from .feedback import feedback_for_department


class ReachSerializer(serializers.Serializer):
    digibank_id = serializers.IntegerField()
    name = serializers.CharField()
    registered = serializers.IntegerField(allow_null=True, help_text="null when fewer than 5")
    active = serializers.IntegerField(allow_null=True, help_text="null when fewer than 5")


class ReachView(APIView):
    """Clients per digibank for the Department; counts below 5 are null."""

    permission_classes = [HasPermission]
    read_permission = Perm.DEPARTMENT_VIEW

    @extend_schema(responses=ReachSerializer(many=True))
    def get(self, request):
        return Response(ReachSerializer(selectors.reach_per_digibank(), many=True).data)


# A day from 2000 to 2100, as circularity.Period.checked allows: the schema states the range by the year.
PERIOD_DAY = {"type": "string", "format": "date", "pattern": "^(20[0-9]{2}|2100)-"}
PERIOD = [
    OpenApiParameter("start", PERIOD_DAY, description="First day of the period; default 1 January this year."),
    OpenApiParameter("end", PERIOD_DAY, description="Last day of the period; default 31 December this year."),
]


def _kg(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=14, decimal_places=2, **kwargs)


class PeriodQuerySerializer(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


def _period(request) -> circularity.Period:
    # A plain dict: DRF takes an empty value in a QueryDict for one not given; "?start=" is no date.
    query = PeriodQuerySerializer(data=request.query_params.dict())
    query.is_valid(raise_exception=True)
    # Django's ValidationError, answered as a 400 with the field's message by core.api.
    return circularity.Period.checked(query.validated_data.get("start"), query.validated_data.get("end"))


class KindLineSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    reused = serializers.IntegerField(help_text="Devices of this type lent or handed over for the first time.")
    kg_co2e_per_device = serializers.DecimalField(
        source="factor.kg_co2e", max_digits=7, decimal_places=1, allow_null=True, default=None
    )
    co2e_kg = _kg(allow_null=True, help_text="null: no factor for this type, not counted")
    source = serializers.CharField(source="factor.source", allow_null=True, default=None)  # type: ignore[assignment]


class CircularitySerializer(serializers.Serializer):
    start = serializers.DateField(source="period.start")
    end = serializers.DateField(source="period.end")
    taken_in = serializers.IntegerField(source="figures.taken_in", help_text="Devices recorded at intake.")
    refurbished = serializers.IntegerField(source="figures.refurbished", help_text="Devices that became ready.")
    lent = serializers.IntegerField(source="figures.lent", help_text="Loans checked out.")
    handed_over = serializers.IntegerField(source="figures.handed_over", help_text="Devices given to keep.")
    recycled = serializers.IntegerField(source="figures.recycled")
    recycled_kg = _kg(source="figures.recycled_kg")
    reused = serializers.IntegerField(
        source="figures.reused", help_text="Devices lent or handed over for the first time, each counted once."
    )
    co2e_kg = _kg(source="figures.co2e_kg", help_text="CO2e avoided by that reuse.")
    not_counted = serializers.IntegerField(
        source="figures.not_counted", help_text="Reused devices of a type without a factor."
    )
    per_kind = KindLineSerializer(source="lines", many=True)


NULL_BELOW_5 = "null when fewer than 5"


class PublishedSerializer(serializers.Serializer):
    taken_in = serializers.IntegerField(allow_null=True, help_text=NULL_BELOW_5)
    refurbished = serializers.IntegerField(allow_null=True, help_text=NULL_BELOW_5)
    lent = serializers.IntegerField(allow_null=True, help_text=NULL_BELOW_5)
    handed_over = serializers.IntegerField(allow_null=True, help_text=NULL_BELOW_5)
    recycled = serializers.IntegerField(allow_null=True, help_text=NULL_BELOW_5)
    recycled_kg = _kg(allow_null=True, help_text="null when `recycled` is null")
    reused = serializers.IntegerField(allow_null=True, help_text=NULL_BELOW_5)
    co2e_kg = _kg(allow_null=True, help_text="null when `reused` is null")
    suppressed = serializers.BooleanField(help_text="true when at least one figure of this line is withheld")


class DigibankRowSerializer(PublishedSerializer):
    digibank_id = serializers.IntegerField()
    name = serializers.CharField()


class FlandersSerializer(PublishedSerializer):
    """The total of every digibank, hidden cells included; a figure is null when it would let the
    hidden cells be worked out."""


class DepartmentCircularitySerializer(serializers.Serializer):
    start = serializers.DateField(source="period.start")
    end = serializers.DateField(source="period.end")
    digibanks = DigibankRowSerializer(source="rows", many=True)
    flanders = FlandersSerializer()


class CircularityView(APIView):
    """The circularity figures of the digibank you work in, for a period (default: this calendar year)."""

    permission_classes = [HasPermission]
    read_permission = Perm.DEVICES_VIEW
    schema = ScopedSchema()

    @extend_schema(parameters=PERIOD, responses={200: CircularitySerializer, 400: FIELD_ERRORS})
    def get(self, request):
        result = circularity.circularity_of(tenancy_of(request), _period(request))
        return Response(CircularitySerializer(result).data)


class DepartmentCircularityView(APIView):
    """Every digibank's circularity figures and the total for Flanders, for the Department: counts
    below 5 are null and the line says `suppressed`, and so is an amount that would betray one."""

    permission_classes = [HasPermission]
    read_permission = Perm.DEPARTMENT_VIEW

    @extend_schema(parameters=PERIOD, responses={200: DepartmentCircularitySerializer, 400: FIELD_ERRORS})
    def get(self, request):
        result = circularity.circularity_per_digibank(_period(request))
        return Response(DepartmentCircularitySerializer(result).data)


class EmissionFactorSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    kg_co2e = serializers.DecimalField(
        max_digits=7,
        decimal_places=1,
        min_value=0,
        help_text="What making a new device of this type emits (kg CO2e): reuse avoids it.",
    )
    source = serializers.CharField(  # type: ignore[assignment]  # a declared field, not Field.source
        max_length=300, allow_blank=True, help_text="The public source: title, publisher, year. Required."
    )
    source_url = serializers.URLField(max_length=200, required=False, allow_blank=True, default="")
    updated_at = serializers.DateTimeField(read_only=True)


class EmissionFactorsView(APIView):
    """The CO2e factor per type of device, each with its public source. A type missing from the
    list has no factor: its reuse is not counted. Any staff member reads them; the Department's
    programme officer sets them."""

    permission_classes = [HasPermission]
    read_permission = (Perm.DEVICES_VIEW, Perm.DEPARTMENT_VIEW)
    write_permission = Perm.DEPARTMENT_FACTORS

    def _answer(self):
        factors = circularity.emission_factors().values()
        return Response(EmissionFactorSerializer(sorted(factors, key=lambda f: f.kind), many=True).data)

    @extend_schema(responses=EmissionFactorSerializer(many=True))
    def get(self, request):
        return self._answer()

    @extend_schema(
        request=EmissionFactorSerializer,
        responses={200: EmissionFactorSerializer, 400: FIELD_ERRORS},
        description="Set the factor of one type, named by `kind`, with its source; the other types keep theirs.",
    )
    def put(self, request):
        given = EmissionFactorSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        factor = services.emission_factor_set(
            kind=data["kind"],
            kg_co2e=data["kg_co2e"],
            source=data["source"],
            source_url=data.get("source_url", ""),
            actor=request.user,
        )
        return Response(EmissionFactorSerializer(factor).data)


class PublishedFeedbackSerializer(serializers.Serializer):
    e_service = serializers.IntegerField(source="e_service_id")
    name = serializers.CharField()
    provider = serializers.CharField()
    contacts = serializers.IntegerField(allow_null=True, min_value=5, help_text="Null when below 5.")
    solved = serializers.IntegerField(
        allow_null=True, min_value=5, help_text="Null when below 5 or when it would give a count below 5 away."
    )
    share_solved = serializers.FloatField(allow_null=True, min_value=0, max_value=1)
    suppressed = serializers.BooleanField()
    topics = serializers.SerializerMethodField(help_text="The most common topics with at least 5 contacts.")

    def get_topics(self, row) -> list[str]:
        return [value for value, _count in row.topics]


class DepartmentFeedbackView(APIView):
    """Per Flanders-wide e-service, the help contacts across Flanders in the period, the solved ones and
    the common topics, for the Department: counts below 5 are null and the row says `suppressed`."""

    permission_classes = [HasPermission]
    read_permission = Perm.DEPARTMENT_VIEW

    @extend_schema(parameters=PERIOD, responses={200: PublishedFeedbackSerializer(many=True), 400: FIELD_ERRORS})
    def get(self, request):
        return Response(PublishedFeedbackSerializer(feedback_for_department(_period(request)), many=True).data)
