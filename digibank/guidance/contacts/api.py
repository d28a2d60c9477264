"""Help contacts and follow-ups in the API: list, read and log a contact, cancel one logged by mistake;
the hubs' open follow-ups and marking one done. Every answer that names a client is in the access log."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from digibank.clients.access import SEARCH, AccessLoggedViewSet, Shows
from digibank.clients.numbers import PATTERN as CLIENT_NUMBER_PATTERN
from digibank.clients.selectors import client_by_number
from digibank.core.api import ScopedRelatedField, ScopedViewSetMixin, chosen, int_param
from digibank.core.days import day_bounds
from digibank.core.roles import Perm
from digibank.core.validators import multi_line_text
from digibank.guidance.contacts import services
from digibank.guidance.contacts.models import (
    MAX_MINUTES,
    MIN_MINUTES,
    NOTE_LENGTH,
    AgeBand,
    Channel,
    FollowUp,
    HelpContact,
    Outcome,
    Status,
    Topic,
)
from digibank.guidance.contacts.note_guard import no_sensitive_data
from digibank.guidance.days import day_param, day_parameter
from digibank.guidance.e_services.selectors import e_services_seen_by
from digibank.network.models import Hub
from digibank.network.selectors import municipality_for_nis

NIS_CODE = r"^[0-9]{5}$"
HUB_FILTER = OpenApiParameter("hub", int, description="Only the rows of this hub.")
DAY_FILTER = day_parameter("Only the contacts of this day (YYYY-MM-DD, Brussels time).")


@extend_schema_field({"type": "string", "pattern": CLIENT_NUMBER_PATTERN, "maxLength": 20, "nullable": True})
class ClientNumberField(serializers.CharField):
    """The number on the client's card; null or absent for an anonymous visitor."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(RegexValidator(CLIENT_NUMBER_PATTERN, _("This is not a client number, e.g. K7QM-4XRA.")))


class HelpContactSerializer(serializers.ModelSerializer):
    client = serializers.SerializerMethodField(help_text=_("The client number; null for an anonymous visitor."))
    municipality = serializers.SerializerMethodField(help_text=_("NIS code where an anonymous visitor lives."))
    topics = serializers.MultipleChoiceField(choices=Topic.choices)
    age_band = serializers.ChoiceField(
        choices=AgeBand.choices, allow_blank=True, help_text=_("Only for an anonymous visitor.")
    )
    status = serializers.ChoiceField(choices=Status.choices)
    follow_up: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = HelpContact
        fields = [
            "id",
            "hub",
            "helper",
            "client",
            "age_band",
            "municipality",
            "started_at",
            "duration_minutes",
            "channel",
            "e_services",
            "topics",
            "outcome",
            "follow_up_on",
            "follow_up",
            "note",
            "status",
            "logged_at",
            "cancelled_at",
        ]
        read_only_fields = fields

    def get_client(self, contact: HelpContact) -> str | None:
        return contact.client.number if contact.client is not None else None

    def get_municipality(self, contact: HelpContact) -> str | None:
        return contact.municipality_id

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["topics"] = [t for t in Topic.values if t in instance.topics]
        return data


class HelpContactCreateSerializer(serializers.Serializer):
    """What the desk gives: the common case is a hub, a card number, the e-services, outcome and minutes."""

    hub = ScopedRelatedField(
        queryset=Hub.objects.select_related("digibank"),
        help_text=_("A hub of your digibank that helps with e-services."),
    )
    client = ClientNumberField(required=False, allow_null=True, max_length=20)
    age_band = serializers.ChoiceField(
        choices=AgeBand.choices, required=False, allow_blank=True, help_text=_("Only for an anonymous visitor.")
    )
    municipality = serializers.CharField(
        required=False,
        allow_null=True,
        validators=[RegexValidator(NIS_CODE)],
        max_length=5,
        help_text=_("NIS code where an anonymous visitor lives (optional)."),
    )
    started_at = serializers.DateTimeField(required=False, help_text=_("Default: now. Not in the future."))
    duration_minutes = serializers.IntegerField(min_value=MIN_MINUTES, max_value=MAX_MINUTES)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.WALK_IN)
    e_services = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False, max_length=50
    )
    topics = serializers.ListField(child=serializers.ChoiceField(choices=Topic.choices), required=False, max_length=7)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    follow_up_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("Required when the outcome is follow_up; only then.")
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=NOTE_LENGTH,
        validators=[multi_line_text, no_sensitive_data],
        help_text=_("Never sensitive data: a national register number, IBAN, password or PIN is refused."),
    )


class FollowUpSerializer(serializers.ModelSerializer):
    client = serializers.SerializerMethodField(help_text=_("The client number; null for an anonymous visitor."))

    class Meta:
        model = FollowUp
        fields = ["id", "hub", "contact", "client", "due_on", "done_at", "done_by"]
        read_only_fields = fields

    def get_client(self, follow_up: FollowUp) -> str | None:
        client = follow_up.contact.client
        return client.number if client is not None else None


@extend_schema_view(list=extend_schema(parameters=[HUB_FILTER, DAY_FILTER]))
class HelpContactViewSet(
    AccessLoggedViewSet,
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The digibank's help contacts, newest first (cancelled ones too, with their status). Nothing is
    deleted: a contact logged by mistake is cancelled."""

    queryset = HelpContact.objects.select_related("client", "follow_up").prefetch_related("e_services")
    serializer_class = HelpContactSerializer
    read_permission = Perm.CONTACTS_LOG
    write_permission = Perm.CONTACTS_LOG
    shows = {
        "list": Shows("api help contacts", client=None, action=SEARCH),
        "retrieve": Shows("api help contact", client="object.client"),
    }

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        hub_id = int_param(self.request, "hub")
        if hub_id is not None:
            queryset = queryset.filter(hub_id=hub_id)
        day = day_param(self.request)
        if day is not None:
            start, end = day_bounds(day)
            queryset = queryset.filter(started_at__gte=start, started_at__lt=end)
        return queryset.order_by("-started_at", "-pk")

    @extend_schema(request=HelpContactCreateSerializer, responses={201: HelpContactSerializer})
    def create(self, request):
        """Log a help contact: a client by card number, or an anonymous visitor by age band."""
        serializer = HelpContactCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        given = dict(serializer.validated_data)
        tenancy = chosen(self.tenancy)
        errors: dict[str, list[str]] = {}
        if given["hub"].digibank_id != tenancy.digibank_id:  # only a superuser sees other digibanks' hubs
            errors["hub"] = [str(_("This hub is not part of your digibank."))]
        client = None
        if given.get("client"):
            client = client_by_number(tenancy, given["client"])
            if client is None:
                errors["client"] = [str(_("No client of your digibank has this number."))]
        municipality = None
        if given.get("municipality"):
            municipality = municipality_for_nis(given["municipality"])
            if municipality is None:
                errors["municipality"] = [str(_("No Flemish municipality has this NIS code."))]
        wanted = set(given.get("e_services") or [])
        e_services = list(e_services_seen_by(tenancy).filter(pk__in=wanted))
        if len(e_services) != len(wanted):
            errors["e_services"] = [str(_("Choose e-services from the list."))]
        if errors:
            raise exceptions.ValidationError(errors)
        contact = services.contact_log(
            digibank=given["hub"].digibank,  # the chosen digibank's: the field sees only its hubs
            actor=request.user,
            hub=given["hub"],
            client=client,
            age_band=given.get("age_band") or "",
            municipality=municipality,
            started_at=given.get("started_at"),
            duration_minutes=given["duration_minutes"],
            channel=given.get("channel") or Channel.WALK_IN,
            e_services=e_services,
            topics=given.get("topics") or [],
            outcome=given["outcome"],
            follow_up_on=given.get("follow_up_on"),
            note=given.get("note") or "",
        )
        # The contact in hand answers (its hub, client and follow-up are known); its e-services read once.
        prefetch_related_objects([contact], "e_services")
        return Response(
            HelpContactSerializer(contact, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    def reread(self, contact: HelpContact) -> dict:
        return HelpContactSerializer(self.get_queryset().get(pk=contact.pk), context=self.get_serializer_context()).data

    @extend_schema(request=None, responses=HelpContactSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a contact logged by mistake: it stays, out of every count (a second time is a 400)."""
        contact = services.contact_cancel(self.get_object(), actor=request.user)
        return Response(self.reread(contact))


@extend_schema_view(list=extend_schema(parameters=[HUB_FILTER]))
class FollowUpViewSet(
    AccessLoggedViewSet, ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The hubs' follow-ups still to do, the most urgent first; `done` marks one done."""

    queryset = FollowUp.objects.select_related("contact", "contact__client")
    serializer_class = FollowUpSerializer
    read_permission = Perm.CONTACTS_LOG
    write_permission = Perm.CONTACTS_LOG
    shows = {
        "list": Shows("api follow-ups", client=None, action=SEARCH),
        "retrieve": Shows("api follow-up", client="object.contact.client"),
    }

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        queryset = queryset.filter(done_at__isnull=True, contact__status=Status.LOGGED)
        hub_id = int_param(self.request, "hub")
        if hub_id is not None:
            queryset = queryset.filter(hub_id=hub_id)
        return queryset.order_by("due_on", "pk")

    @extend_schema(request=None, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Mark the follow-up done (a second time is a 400)."""
        follow_up = services.follow_up_done(self.get_object(), actor=request.user)
        return Response(FollowUpSerializer(self.get_queryset().get(pk=follow_up.pk)).data)
