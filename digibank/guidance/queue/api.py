"""The walk-in queue in the API: a hub's tickets of a day; take a number (create), call the next to a
desk, mark a called number served or left. Numbers only: no ticket names anyone."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from digibank.core.api import FIELD_ERRORS, ScopedRelatedField, ScopedViewSetMixin, chosen, int_param
from digibank.core.roles import Perm
from digibank.core.validators import single_line_text
from digibank.guidance.days import day_param, day_parameter
from digibank.guidance.queue import services
from digibank.guidance.queue.models import DESK_LENGTH, Purpose, QueueTicket, Status
from digibank.network.models import Hub

HUB_FILTER = OpenApiParameter("hub", int, description="Only the tickets of this hub.")
DAY_FILTER = day_parameter("The day (Europe/Brussels) of the tickets, as YYYY-MM-DD; today when not given.")
STATUS_FILTER = OpenApiParameter("status", str, enum=Status.values, description="Only tickets in this status.")


class QueueTicketSerializer(serializers.ModelSerializer):
    purpose = serializers.ChoiceField(choices=Purpose.choices, allow_blank=True)
    status = serializers.ChoiceField(choices=Status.choices)

    class Meta:
        model = QueueTicket
        fields = [
            "id",
            "hub",
            "day",
            "number",
            "purpose",
            "status",
            "taken_at",
            "called_at",
            "called_by",
            "desk",
            "finished_at",
        ]
        read_only_fields = fields


class TakeSerializer(serializers.Serializer):
    hub = ScopedRelatedField(queryset=Hub.objects.all(), help_text=_("The hub where the person takes a number."))
    purpose = serializers.ChoiceField(
        choices=Purpose.choices, allow_blank=True, default="", help_text=_("What the person came for, if they say.")
    )


class CallNextSerializer(serializers.Serializer):
    hub = ScopedRelatedField(queryset=Hub.objects.all(), help_text=_("The hub whose queue is called."))
    desk = serializers.CharField(
        max_length=DESK_LENGTH,
        validators=[single_line_text],
        help_text=_("The desk the person is called to, shown on the waiting-room screen, e.g. Desk 2."),
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[HUB_FILTER, DAY_FILTER, STATUS_FILTER],
        description="The tickets of a day (today unless `day` is given), by hub and number.",
    ),
    create=extend_schema(
        request=TakeSerializer,
        responses={201: QueueTicketSerializer, 400: FIELD_ERRORS},
        description="Take a number at a hub: the next of the day (1, 2, 3 …). Two takes at the same second "
        "never get the same number.",
    ),
)
class QueueTicketViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The walk-in queue: numbers handed out at a hub, called to a desk, served or left. Never deleted."""

    queryset = QueueTicket.objects.order_by("hub", "number", "pk")
    serializer_class = QueueTicketSerializer
    read_permission = Perm.QUEUE_MANAGE
    write_permission = Perm.QUEUE_MANAGE

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        queryset = queryset.filter(day=day_param(self.request) or timezone.localdate())
        hub = int_param(self.request, "hub")
        if hub is not None:
            queryset = queryset.filter(hub_id=hub)
        status = self.request.query_params.get("status")
        if status is not None:
            if status not in Status.values:
                raise exceptions.ValidationError({"status": [_("Choose a status from the list.")]})
            queryset = queryset.filter(status=status)
        return queryset

    def answer(self, ticket: QueueTicket, status: int = 200) -> Response:
        return Response(QueueTicketSerializer(ticket, context=self.get_serializer_context()).data, status=status)

    def valid(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def create(self, request, *args, **kwargs):
        chosen(self.tenancy)
        given = self.valid(TakeSerializer)
        ticket = services.ticket_take(hub=given["hub"], actor=request.user, purpose=given["purpose"])
        return self.answer(ticket, status=201)

    @extend_schema(
        request=CallNextSerializer,
        responses={200: QueueTicketSerializer, 400: FIELD_ERRORS},
        description="Call the oldest number waiting at the hub today to a desk. Two desks calling at the same "
        "second get different numbers; when nobody waits, a 400 says so in `non_field_errors`.",
    )
    @action(detail=False, methods=["post"], url_path="call-next")
    def call_next(self, request):
        chosen(self.tenancy)
        given = self.valid(CallNextSerializer)
        return self.answer(services.ticket_call_next(hub=given["hub"], desk=given["desk"], actor=request.user))

    @extend_schema(request=None, responses={200: QueueTicketSerializer, 400: FIELD_ERRORS})
    @action(detail=True, methods=["post"])
    def served(self, request, pk=None):
        """The called person was helped (final)."""
        return self.answer(services.ticket_serve(ticket=self.get_object(), actor=request.user))

    @extend_schema(request=None, responses={200: QueueTicketSerializer, 400: FIELD_ERRORS})
    @action(detail=True, methods=["post"])
    def left(self, request, pk=None):
        """The person went away, before or after being called (final)."""
        return self.answer(services.ticket_leave(ticket=self.get_object(), actor=request.user))
