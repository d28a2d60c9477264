"""Digihelpers in the API: list, read, add and change helpers (no delete: `active: false` ends one), add and
remove their weekly times, and list and record the hours they gave. Scoped: another digibank's helper does
not exist for the caller."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from digibank.core.api import ScopedRelatedField, ScopedViewSetMixin, TimeOfDayField, chosen, int_param
from digibank.core.roles import Perm
from digibank.core.tenancy import tenancy_of
from digibank.core.validators import multi_line_text, single_line_text
from digibank.guidance.e_services.models import EService
from digibank.guidance.helpers import selectors, services
from digibank.guidance.helpers.models import MOST_MINUTES, Availability, Digihelper, HelperHours
from digibank.guidance.selectors import staff_of
from digibank.network.models import Hub, Weekday
from digibank.network.selectors import own_digibank


class AccountField(serializers.PrimaryKeyRelatedField):
    """A staff account with a role in the caller's digibank; any other 'does not exist'."""

    def get_queryset(self):
        return staff_of(tenancy_of(self.context["request"]))


class SkillField(serializers.PrimaryKeyRelatedField):
    """An e-service the caller's digibank sees (Flanders-wide or its own)."""

    def get_queryset(self):
        return EService.objects.visible_to(tenancy_of(self.context["request"]))


class AvailabilitySerializer(serializers.ModelSerializer):
    """A weekly time of a digihelper at one of their hubs."""

    hub = ScopedRelatedField(queryset=Hub.objects.all(), help_text=_("One of the helper's hubs."))
    weekday = serializers.ChoiceField(choices=Weekday.choices, help_text=_("0 is Monday, 6 is Sunday."))
    starts = TimeOfDayField()
    ends = TimeOfDayField(
        help_text=_("Later than `starts`, the same day; the helper's times on one day may not overlap.")
    )

    class Meta:
        model = Availability
        fields = ["id", "hub", "weekday", "starts", "ends"]
        read_only_fields = ["id"]


class DigihelperSerializer(serializers.ModelSerializer):
    user = AccountField(
        queryset=get_user_model().objects.none(),
        required=False,
        allow_null=True,
        help_text=_("A staff account of the digibank; null for a helper without a log-in, who then needs a name."),
    )
    name = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        validators=[single_line_text],
        help_text=_("Only for a helper without a staff account; the account's name is used otherwise."),
    )
    display_name = serializers.CharField(read_only=True)
    email = serializers.EmailField(required=False, allow_blank=True, max_length=254)
    phone = serializers.CharField(
        required=False, allow_blank=True, max_length=30, help_text=_("Stored in international form (+32470123456).")
    )
    hubs = ScopedRelatedField(many=True, queryset=Hub.objects.all(), required=False)
    skills = SkillField(many=True, queryset=EService.objects.all(), required=False, help_text=_("E-service ids."))
    availability = AvailabilitySerializer(many=True, read_only=True)

    class Meta:
        model = Digihelper
        fields = [
            "id",
            "user",
            "name",
            "display_name",
            "phone",
            "email",
            "hubs",
            "skills",
            "active",
            "since",
            "ended_on",
            "availability",
        ]
        read_only_fields = ["ended_on"]


@extend_schema_view(
    list=extend_schema(summary="The digibank's digihelpers, active first"),
    create=extend_schema(summary="Add a digihelper"),
    update=extend_schema(summary="Change a digihelper (active: false ends one)"),
    partial_update=extend_schema(summary="Change part of a digihelper"),
)
class DigihelperViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The volunteers of the digibank, with their hubs, skills and weekly times. Nothing is deleted."""

    queryset = Digihelper.objects.all()
    serializer_class = DigihelperSerializer
    read_permission = Perm.HELPERS_MANAGE
    write_permission = Perm.HELPERS_MANAGE

    def get_queryset(self):
        return selectors.helpers_of(self.tenancy)

    def perform_create(self, serializer):
        serializer.instance = services.helper_create(
            digibank=own_digibank(chosen(self.tenancy)), actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.helper_update(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )

    @extend_schema(
        summary="Add a weekly time to a digihelper",
        request=AvailabilitySerializer,
        responses={201: AvailabilitySerializer},
    )
    @action(detail=True, methods=["post"])
    def availability(self, request, pk=None):
        """A weekly time at one of the helper's hubs, as on the helper's page: refused when it overlaps
        another of their times that day. A time is removed with `DELETE helper-availability/{id}/`."""
        helper = self.get_object()
        serializer = AvailabilitySerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        time = services.availability_add(helper=helper, actor=request.user, **serializer.validated_data)
        return Response(AvailabilitySerializer(time, context=self.get_serializer_context()).data, status=201)


@extend_schema_view(
    retrieve=extend_schema(summary="A weekly time of a digihelper"),
    destroy=extend_schema(summary="Remove a weekly time the digihelper no longer keeps (its history stays)"),
)
class HelperAvailabilityViewSet(
    ScopedViewSetMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """The digihelpers' weekly times, one by one: added under the helper, removed here, as on the screens."""

    queryset = Availability.objects.all()
    serializer_class = AvailabilitySerializer
    read_permission = Perm.HELPERS_MANAGE
    write_permission = Perm.HELPERS_MANAGE

    def perform_destroy(self, instance):
        services.availability_remove(instance, actor=self.request.user)


class HelperHoursSerializer(serializers.ModelSerializer):
    helper = ScopedRelatedField(queryset=Digihelper.objects.all())
    hub = ScopedRelatedField(queryset=Hub.objects.all())
    minutes = serializers.IntegerField(min_value=1, max_value=MOST_MINUTES, help_text=_("From 1 to 720."))
    note = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        validators=[multi_line_text],
        help_text=_("What the time was for; never personal data of the people helped."),
    )

    class Meta:
        model = HelperHours
        fields = ["id", "helper", "day", "hub", "minutes", "note", "recorded_by", "recorded_at"]
        read_only_fields = ["recorded_by", "recorded_at"]


HELPER_FILTER = OpenApiParameter("helper", int, description="Only the hours of this digihelper.")


@extend_schema_view(
    list=extend_schema(summary="Hours given by digihelpers, newest first", parameters=[HELPER_FILTER]),
    create=extend_schema(summary="Record hours a digihelper gave"),
)
class HelperHoursViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Time digihelpers gave outside help contacts, recorded by the coordinator. Not changed nor deleted."""

    queryset = HelperHours.objects.all()
    serializer_class = HelperHoursSerializer
    read_permission = Perm.HELPERS_MANAGE
    write_permission = Perm.HELPERS_MANAGE

    def get_queryset(self):
        hours = selectors.hours_of(self.tenancy)
        helper_id = int_param(self.request, "helper")
        return hours if helper_id is None else hours.filter(helper_id=helper_id)

    def perform_create(self, serializer):
        chosen(self.tenancy)
        serializer.instance = services.hours_record(actor=self.request.user, **serializer.validated_data)
