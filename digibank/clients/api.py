"""The REST API of the clients. Personal data: every endpoint is scoped to the one digibank the caller
works in (the Department and a superuser without a chosen digibank see no client), every read of a
record is logged, and every write is one service call, which logs itself."""

from __future__ import annotations

import re

from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from digibank.core.api import FIELD_ERRORS, ScopedRelatedField, ScopedViewSetMixin, chosen
from digibank.core.roles import Perm
from digibank.core.validators import multi_line_text
from digibank.network.models import Partner
from digibank.network.selectors import own_digibank

from . import selectors, services
from .access import SEARCH, AccessLoggedViewSet, Shows, log_search
from .models import AccessLog, Client, ClientEvent, Consent, Traits
from .numbers import PATTERN as CLIENT_NUMBER_PATTERN
from .numbers import normalise as normalise_number
from .services import CLIENT_FIELDS, TRAIT_FIELDS

# Optional for a client (DRF lets a blank one pass); when given, a Belgian postal code, as the schema states.
POSTAL_CODE = RegexValidator(r"^[0-9]{4}$", _("A postal code has four digits."))

QUERY = OpenApiParameter(
    "q", str, description="A client number, phone number, e-mail address or (parts of) names; empty: every client."
)
CLIENT_FILTER = OpenApiParameter(
    "client", str, pattern=CLIENT_NUMBER_PATTERN, description="Only the lines about the client with this number."
)

# What identifies the person; an anonymised client shows none of it.
PERSONAL_FIELDS = (
    "first_name last_name birth_date birth_year postal_code municipality municipality_name phone email"
).split()


def clean_query(raw: str) -> str:
    # A NUL cannot be sent to PostgreSQL; nobody types one.
    return raw.replace("\x00", "").strip()[:100]


# Serializers ------------------------------------------------------------------------------------


class ClientSerializer(serializers.ModelSerializer):
    referred_by = ScopedRelatedField(queryset=Partner.objects.all(), required=False, allow_null=True)
    municipality_name = serializers.CharField(source="municipality.name", read_only=True, default="")

    class Meta:
        model = Client
        fields = [
            "id",
            "number",
            *CLIENT_FIELDS[:5],  # names, birth date and year, postal code
            "municipality",
            "municipality_name",
            *CLIENT_FIELDS[5:],  # phone, e-mail, language, found via, referred by
            "status",
            "registered_at",
        ]
        read_only_fields = ["number", "municipality", "status", "registered_at"]
        extra_kwargs = {
            "postal_code": {"validators": [POSTAL_CODE]},
            "phone": {"help_text": _("Optional; stored in international form (+32470123456).")},
            "birth_date": {"help_text": _("The date of birth, or else at least `birth_year`. Adults only.")},
        }

    def to_representation(self, client: Client) -> dict:
        data = super().to_representation(client)
        if client.is_anonymised:
            for name in PERSONAL_FIELDS:
                data[name] = None if name in ("birth_date", "birth_year", "municipality") else ""
        return data


class TraitsSerializer(serializers.ModelSerializer):
    class Meta:
        model = Traits
        fields = TRAIT_FIELDS


class ClientRegisterSerializer(ClientSerializer):
    traits = TraitsSerializer(
        required=False, write_only=True, help_text=_("Only with a consent for traits in `consents`.")
    )
    consents = serializers.ListField(
        child=serializers.ChoiceField(choices=Consent.Scope.choices),
        required=False,
        write_only=True,
        max_length=len(Consent.Scope.choices),
        help_text=_("What the person agrees to besides the registration itself."),
    )
    confirm_new_person = serializers.BooleanField(
        default=False,
        write_only=True,
        help_text=_("Register even though possible duplicates were shown: it is another person."),
    )

    class Meta(ClientSerializer.Meta):
        fields = [*ClientSerializer.Meta.fields, "traits", "consents", "confirm_new_person"]


class PossibleDuplicateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Client
        fields = ["id", "number", "first_name", "last_name", "birth_date", "birth_year", "postal_code", "phone"]
        read_only_fields = fields


class DuplicatesSerializer(serializers.Serializer):
    non_field_errors = serializers.ListField(child=serializers.CharField())
    possible_duplicates = PossibleDuplicateSerializer(many=True)


class ConsentSerializer(serializers.ModelSerializer):
    notice_version = serializers.IntegerField(source="notice.version", read_only=True)
    is_active = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = [
            "id",
            "client",
            "scope",
            "notice_version",
            "given_at",
            "recorded_by",
            "withdrawn_at",
            "withdrawn_recorded_by",
            "is_active",
        ]
        read_only_fields = fields

    def get_is_active(self, consent: Consent) -> bool:
        return consent.withdrawn_at is None


class ConsentGiveSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=Consent.Scope.choices)


class ClientEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ClientEvent
        fields = ["id", "kind", "occurred_at", "actor", "summary", "ref"]
        read_only_fields = fields


class AnonymiseSerializer(serializers.Serializer):
    reason = serializers.CharField(
        validators=[multi_line_text], max_length=200, help_text=_("Why: the person asked, or retention.")
    )


class AccessLogSerializer(serializers.ModelSerializer):
    client_number = serializers.CharField(source="client.number", read_only=True, default="")
    actor_name = serializers.SerializerMethodField()

    class Meta:
        model = AccessLog
        fields = ["id", "at", "actor", "actor_name", "digibank", "client", "client_number", "action", "what"]
        read_only_fields = fields

    def get_actor_name(self, line: AccessLog) -> str:
        return (line.actor.get_full_name() or line.actor.get_username()) if line.actor else ""


# Endpoints --------------------------------------------------------------------------------------


class OwnDigibankMixin(ScopedViewSetMixin):
    """Clients are never read across digibanks, not even by a superuser who chose none."""

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset if self.tenancy.digibank_id is not None else queryset.none()


@extend_schema_view(
    list=extend_schema(parameters=[QUERY]),
    create=extend_schema(
        request=ClientRegisterSerializer,
        responses={
            201: ClientSerializer,
            400: OpenApiResponse(
                FIELD_ERRORS.response,
                description=f"{FIELD_ERRORS.description} When the person may be registered already, "
                "`possible_duplicates` lists who; send `confirm_new_person: true` to register anyway.",
            ),
        },
    ),
)
class ClientViewSet(
    AccessLoggedViewSet,
    OwnDigibankMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The digibank's clients. A read of a record is logged; a client is anonymised, never deleted."""

    queryset = Client.objects.select_related("municipality").order_by("last_name", "first_name", "pk")
    serializer_class = ClientSerializer
    read_permission = Perm.CLIENTS_VIEW
    write_permission = Perm.CLIENTS_MANAGE
    # PUT is only for the traits; the client's details are changed with PATCH.
    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    shows = {
        "list": Shows("api clients", client=None, action=SEARCH),
        "retrieve": Shows("api client"),
        "consents": Shows("api client consents"),
        "timeline": Shows("api client timeline"),
    }

    def get_serializer_class(self):
        return ClientRegisterSerializer if self.action == "create" else super().get_serializer_class()

    def list_queryset(self) -> QuerySet[Client]:
        query = clean_query(self.request.query_params.get("q", ""))
        if query:
            return selectors.client_search(self.tenancy, query).select_related("municipality")
        return self.get_queryset().filter(status=Client.Status.ACTIVE)

    def list(self, request, *args, **kwargs):
        """Search with `q` (as the desk's search box), or page through the active clients."""
        page = self.paginate_queryset(self.list_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        client = self.get_object()
        return Response(self.get_serializer(client).data)

    def create(self, request, *args, **kwargs):
        """Register a person. Possible duplicates (same name and date of birth, or same phone) are
        answered first, as a 400, unless `confirm_new_person` says it is someone else."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        traits = fields.pop("traits", None)
        consents = tuple(fields.pop("consents", ()))
        try:
            client = services.client_register(
                digibank=own_digibank(chosen(self.tenancy)),
                actor=request.user,
                traits=traits,
                consents=consents,
                new_person_confirmed=fields.pop("confirm_new_person"),
                **fields,
            )
        except services.PossibleDuplicates as error:
            log_search(self, "api clients possible duplicates")
            return Response(
                DuplicatesSerializer(
                    {"non_field_errors": error.messages, "possible_duplicates": error.duplicates}
                ).data,
                status=400,
            )
        return Response(
            ClientSerializer(self.get_queryset().get(pk=client.pk), context=self.get_serializer_context()).data,
            status=201,
        )

    def partial_update(self, request, *args, **kwargs):
        client = self.get_object()
        serializer = self.get_serializer(client, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        client = services.client_update(client=client, actor=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=client.pk)).data)

    @extend_schema(responses=ConsentSerializer(many=True))
    @action(detail=True, methods=["get"])
    def consents(self, request, pk=None):
        """The consents the client gave, the withdrawn ones too."""
        client = self.get_object()
        consents = Consent.objects.filter(client=client).select_related("notice").order_by("-given_at", "-pk")
        page = self.paginate_queryset(consents)
        return self.get_paginated_response(ConsentSerializer(page, many=True).data)

    @extend_schema(request=ConsentGiveSerializer, responses={201: ConsentSerializer})
    @consents.mapping.post
    def consent_give(self, request, pk=None):
        """Record a consent under the digibank's current privacy notice."""
        client = self.get_object()
        given = ConsentGiveSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        consent = services.consent_give(client=client, scope=given.validated_data["scope"], actor=request.user)
        return Response(ConsentSerializer(consent).data, status=201)

    @extend_schema(request=TraitsSerializer, responses=TraitsSerializer)
    @action(detail=True, methods=["put"])
    def traits(self, request, pk=None):
        """Replace the target-group traits; refused without the person's consent for them."""
        client = self.get_object()
        serializer = TraitsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # A PUT replaces: a trait left out is no longer known.
        values = {
            name: serializer.validated_data.get(name, Traits._meta.get_field(name).get_default())
            for name in TRAIT_FIELDS
        }
        traits = services.traits_set(client=client, actor=request.user, **values)
        return Response(TraitsSerializer(traits).data)

    @extend_schema(responses=ClientEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        """The client's journey, newest first, from every service."""
        client = self.get_object()
        page = self.paginate_queryset(ClientEvent.objects.filter(client=client).order_by("-occurred_at", "-pk"))
        return self.get_paginated_response(ClientEventSerializer(page, many=True).data)

    @extend_schema(request=AnonymiseSerializer, responses=ClientSerializer)
    @action(detail=True, methods=["post"])
    def anonymise(self, request, pk=None):
        """Erase the person: every identifying field goes; the events and counts stay."""
        client = self.get_object()
        given = AnonymiseSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        services.client_anonymise(client=client, actor=request.user, reason=given.validated_data["reason"])
        return Response(self.get_serializer(self.get_queryset().get(pk=client.pk)).data)


class ConsentViewSet(OwnDigibankMixin, viewsets.GenericViewSet):
    """A consent is withdrawn, never deleted; withdrawing the one for traits removes the traits."""

    queryset = Consent.objects.select_related("notice").order_by("-given_at", "pk")
    serializer_class = ConsentSerializer
    read_permission = Perm.CLIENTS_VIEW
    write_permission = Perm.CLIENTS_MANAGE

    @extend_schema(request=None, responses=ConsentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        consent = services.consent_withdraw(consent=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=consent.pk)).data)


@extend_schema_view(
    list=extend_schema(
        parameters=[CLIENT_FILTER],
        responses={200: AccessLogSerializer(many=True), 400: FIELD_ERRORS},
    )
)
class AccessLogViewSet(OwnDigibankMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Who read, searched, exported or changed which client record. Nobody can change it."""

    queryset = AccessLog.objects.select_related("actor", "client").order_by("-at", "-pk")
    serializer_class = AccessLogSerializer
    read_permission = Perm.CLIENTS_AUDIT  # and no write permission: read-only
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if "client" not in self.request.query_params:
            return queryset
        raw = self.request.query_params["client"]
        number = normalise_number(raw) if re.fullmatch(CLIENT_NUMBER_PATTERN, raw) else ""
        if not number:
            raise exceptions.ValidationError({"client": [_("This is not a client number, e.g. K7QM-4XRA.")]})
        return queryset.filter(client__number=number)
