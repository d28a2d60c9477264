"""Appointments in the API: slots (list with filters, generate, withdraw), appointments (list, read,
book for a client, cancel, attended, no-show), and the public booking (no token, rate-limited)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from digibank.clients.access import SEARCH, AccessLoggedViewSet, Shows
from digibank.clients.numbers import PATTERN as CLIENT_NUMBER_PATTERN
from digibank.clients.selectors import client_by_number
from digibank.core.api import FIELD_ERRORS, ErrorSerializer, ScopedRelatedField, ScopedViewSetMixin, chosen, int_param
from digibank.core.days import day_bounds
from digibank.core.roles import Perm
from digibank.core.validators import single_line_text
from digibank.guidance.appointments import selectors, services
from digibank.guidance.appointments.models import Appointment, Kind, Slot
from digibank.guidance.appointments.ratelimit import rate_limited
from digibank.guidance.days import day_param, day_parameter
from digibank.guidance.selectors import staff_of
from digibank.network.models import Hub

MANAGE = Perm.APPOINTMENTS_MANAGE

HUB_FILTER = OpenApiParameter("hub", int, description="Only at this hub (its id).")
DAY_FILTER = day_parameter("Only on this day (Brussels).")
FREE_FILTER = OpenApiParameter("free", bool, description="true: only open, unbooked slots to come.")
STATUS_FILTER = OpenApiParameter("status", str, enum=Appointment.Status.values, description="Only in this status.")


def free_param(request) -> bool:
    raw = request.query_params.get("free")
    if raw is None or raw.lower() in ("false", "0"):
        return False
    if raw.lower() in ("true", "1"):
        return True
    raise exceptions.ValidationError({"free": [_("Give true or false.")]})


class SlotSerializer(serializers.ModelSerializer):
    hub: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True)
    helper: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    kind = serializers.ChoiceField(choices=Kind.choices, read_only=True)
    status = serializers.ChoiceField(choices=Slot.Status.choices, read_only=True)
    free = serializers.SerializerMethodField(help_text=_("Open, not booked and still to come."))

    class Meta:
        model = Slot
        fields = ["id", "hub", "starts_at", "ends_at", "kind", "helper", "status", "free"]

    def get_free(self, slot) -> bool:
        return slot.is_open and not getattr(slot, "taken", False) and slot.starts_at > timezone.now()


class GenerateSerializer(serializers.Serializer):
    hub = ScopedRelatedField(queryset=Hub.objects.all(), help_text=_("A hub of your digibank that takes appointments."))
    first_day = serializers.DateField()
    last_day = serializers.DateField(help_text=_("At most 92 days after the first."))
    length = serializers.ChoiceField(choices=list(services.LENGTHS), help_text=_("Minutes per slot."))
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.E_SERVICES)
    helper = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**63 - 1,
        help_text=_("A staff member; none: the desk."),
    )


class GeneratedSerializer(serializers.Serializer):
    added = serializers.IntegerField(min_value=0)


class AppointmentSerializer(serializers.ModelSerializer):
    slot = SlotSerializer(read_only=True)
    client = serializers.SerializerMethodField(help_text=_("The client's number, when booked for a client."))
    who = serializers.CharField(read_only=True, help_text=_("The client's name, or the name given when booking."))
    status = serializers.ChoiceField(choices=Appointment.Status.choices, read_only=True)
    booked_via = serializers.ChoiceField(choices=Appointment.Via.choices, read_only=True)
    phone = serializers.CharField(read_only=True, help_text=_("Given when booking on the public site (E.164)."))
    email = serializers.CharField(read_only=True, help_text=_("Given when booking on the public site."))

    class Meta:
        model = Appointment
        fields = ["id", "slot", "client", "who", "phone", "email", "booked_via", "status", "created_at"]
        read_only_fields = fields

    def get_client(self, appointment) -> str | None:
        return appointment.client.number if appointment.client_id else None


class BookForClientSerializer(serializers.Serializer):
    slot = ScopedRelatedField(queryset=Slot.objects.all())
    client = serializers.CharField(
        validators=[RegexValidator(CLIENT_NUMBER_PATTERN, _("This is not a client number, e.g. K7QM-4XRA."))],
        help_text=_("The number on the client's card."),
    )


@extend_schema_view(
    list=extend_schema(parameters=[HUB_FILTER, DAY_FILTER, FREE_FILTER], responses={200: SlotSerializer(many=True)})
)
class SlotViewSet(ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The times a hub offers for appointments. Made from the hub's opening hours (`generate`), taken out
    with `withdraw`; never deleted."""

    queryset = Slot.objects.select_related("hub", "helper").order_by("starts_at", "pk")
    serializer_class = SlotSerializer
    read_permission = (MANAGE, Perm.GUIDANCE_VIEW)
    write_permission = MANAGE

    def get_queryset(self):
        return super().get_queryset().annotate(taken=selectors._taken())

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        hub = int_param(self.request, "hub")
        if hub is not None:
            queryset = queryset.filter(hub_id=hub)
        day = day_param(self.request)
        if day is not None:
            start, end = day_bounds(day)
            queryset = queryset.filter(starts_at__gte=start, starts_at__lt=end)
        if free_param(self.request):
            queryset = queryset.filter(status=Slot.Status.OPEN, taken=False, starts_at__gt=timezone.now())
        return queryset

    @extend_schema(request=GenerateSerializer, responses={201: GeneratedSerializer})
    @action(detail=False, methods=["post"])
    def generate(self, request):
        """Open slots at a hub for every day of a range, within its opening hours; existing ones are kept."""
        chosen(self.tenancy)
        given = GenerateSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        helper_id = data.pop("helper", None)
        helper = None
        if helper_id is not None:
            helper = staff_of(self.tenancy).filter(pk=helper_id).first()
            if helper is None:
                raise DjangoValidationError({"helper": [_("Choose a staff member of your digibank.")]})
        added = services.slots_generate(actor=request.user, helper=helper, **data)
        return Response({"added": added}, status=201)

    @extend_schema(request=None, responses=SlotSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Take the slot out of the agenda (a booked one is cancelled first)."""
        slot = services.slot_withdraw(self.get_object(), actor=request.user)
        return Response(SlotSerializer(self.get_queryset().get(pk=slot.pk)).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[HUB_FILTER, DAY_FILTER, STATUS_FILTER], responses={200: AppointmentSerializer(many=True)}
    )
)
class AppointmentViewSet(
    AccessLoggedViewSet, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Bookings of slots: by staff for a client, or by a person on the public site. Cancelled, attended and
    no-show are final; nothing is deleted."""

    queryset = Appointment.objects.select_related("slot__hub", "slot__helper", "client").order_by(
        "slot__starts_at", "pk"
    )
    serializer_class = AppointmentSerializer
    read_permission = MANAGE
    write_permission = MANAGE
    shows = {
        "list": Shows("api appointments", client=None, action=SEARCH),
        "retrieve": Shows("api appointment", client="object.client"),
    }

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        hub = int_param(self.request, "hub")
        if hub is not None:
            queryset = queryset.filter(slot__hub_id=hub)
        day = day_param(self.request)
        if day is not None:
            start, end = day_bounds(day)
            queryset = queryset.filter(slot__starts_at__gte=start, slot__starts_at__lt=end)
        wanted = self.request.query_params.get("status")
        if wanted is not None:
            if wanted not in Appointment.Status.values:
                raise exceptions.ValidationError({"status": [_("Choose a status from the list.")]})
            queryset = queryset.filter(status=wanted)
        return queryset

    def answer(self, appointment, code=200):
        return Response(AppointmentSerializer(self.get_queryset().get(pk=appointment.pk)).data, status=code)

    @extend_schema(request=BookForClientSerializer, responses={201: AppointmentSerializer})
    def create(self, request, *args, **kwargs):
        """Book a slot for a client of the digibank, by the number on their card."""
        chosen(self.tenancy)
        given = BookForClientSerializer(data=request.data, context=self.get_serializer_context())
        given.is_valid(raise_exception=True)
        client = client_by_number(self.tenancy, given.validated_data["client"])
        if client is None:
            raise DjangoValidationError({"client": [_("No client of your digibank has this number.")]})
        appointment = services.appointment_book(
            slot=given.validated_data["slot"], via=Appointment.Via.STAFF, actor=request.user, client=client
        )
        return self.answer(appointment, 201)

    def _status(self, status_: str):
        appointment = services.appointment_set_status(self.get_object(), status=status_, actor=self.request.user)
        return self.answer(appointment)

    @extend_schema(request=None, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel: the slot is free again."""
        return self._status(Appointment.Status.CANCELLED)

    @extend_schema(request=None, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"])
    def attended(self, request, pk=None):
        """The person came (once the time has begun)."""
        return self._status(Appointment.Status.ATTENDED)

    @extend_schema(request=None, responses=AppointmentSerializer)
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request, pk=None):
        """The person did not come (once the time has begun)."""
        return self._status(Appointment.Status.NO_SHOW)


class PublicBookingSerializer(serializers.Serializer):
    slot = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text=_("A free slot's id."))
    name = serializers.CharField(max_length=100, validators=[single_line_text])
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class PublicBookedSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    hub = serializers.CharField()
    link = serializers.URLField(help_text=_("The person's own page of the booking: to see or cancel it."))


TOO_MANY = OpenApiResponse(ErrorSerializer, description="Too many bookings from this address in the hour.")


class PublicBookingView(APIView):
    """Book a free slot without an account: a name and a phone number or e-mail address. Answers only the
    booking made (with its own signed link), never anyone else's; limited per address and hour."""

    permission_classes = [AllowAny]

    @extend_schema(
        request=PublicBookingSerializer,
        responses={201: PublicBookedSerializer, 400: FIELD_ERRORS, 429: TOO_MANY},
    )
    def post(self, request):
        if rate_limited(request):
            return Response(
                {"detail": str(_("Too many bookings from your address. Try again in an hour."))},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        given = PublicBookingSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        slot = selectors.public_slot(data.pop("slot"))
        if slot is None:
            raise DjangoValidationError({"slot": [_("This time is not offered. Choose another time.")]})
        appointment = services.appointment_book(slot=slot, via=Appointment.Via.PUBLIC, **data)
        booked = {
            "starts_at": slot.starts_at,
            "ends_at": slot.ends_at,
            "hub": slot.hub.name,
            "link": services.booking_link(appointment),
        }
        return Response(PublicBookedSerializer(booked).data, status=201)
