"""Referrals in the API: list, read, make, the receiving hub's steps, the referrer's withdrawal and the
lookup by the slip's code (`?code=` on the list). The receiving side reads the whole referral
(`shown_as: handler`); a referrer who does not handle referrals reads the status and the outcome only
(`shown_as: referrer`), through a serializer of its own that has no other field to leak."""

from __future__ import annotations

import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from digibank.clients.access import SEARCH, AccessLoggedViewSet, Shows
from digibank.clients.numbers import PATTERN as CLIENT_NUMBER_PATTERN
from digibank.clients.selectors import client_by_number
from digibank.core.api import ScopedRelatedField, ScopedViewSetMixin, chosen
from digibank.core.roles import Perm
from digibank.core.validators import multi_line_text, single_line_text
from digibank.guidance.contacts.note_guard import no_sensitive_data
from digibank.guidance.e_services.models import EService
from digibank.guidance.referrals import selectors, services
from digibank.guidance.referrals.models import CODE_ALPHABET, ConsentHow, Referral, Service, normalise_code
from digibank.network.models import Digibank, Hub

CODE_PATTERN = (
    "^[" + CODE_ALPHABET + CODE_ALPHABET.lower() + "]{4}[- ]?[" + CODE_ALPHABET + CODE_ALPHABET.lower() + "]{4}$"
)


class ReferrerReferralSerializer(serializers.ModelSerializer):
    """What a referrer reads: the status and the outcome, nothing more."""

    shown_as = serializers.ChoiceField(choices=[("referrer", "referrer")], read_only=True, default="referrer")
    person = serializers.CharField(source="person_display", read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "shown_as",
            "code",
            "person",
            "service",
            "e_service",
            "to_hub",
            "status",
            "planned_on",
            "outcome",
            "decline_reason",
            "created_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["shown_as"] = "referrer"
        return data


class ReferralSerializer(ReferrerReferralSerializer):
    """What the receiving side reads: the whole referral, its internal notes too."""

    shown_as = serializers.ChoiceField(choices=[("handler", "handler")], read_only=True, default="handler")
    client_number = serializers.CharField(source="client.number", read_only=True, allow_null=True, default=None)

    class Meta(ReferrerReferralSerializer.Meta):
        fields = [
            *ReferrerReferralSerializer.Meta.fields,
            "client",
            "client_number",
            "person_name",
            "person_phone",
            "consent_how",
            "consent_at",
            "reason",
            "referred_by",
            "from_partner",
            "internal_notes",
            "changed_at",
            "closed_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["shown_as"] = "handler"
        return data


SHOWN = PolymorphicProxySerializer(
    component_name="ReferralShown",
    serializers={"handler": ReferralSerializer, "referrer": ReferrerReferralSerializer},
    resource_type_field_name="shown_as",
)


class ReferralCreateSerializer(serializers.Serializer):
    to_hub = ScopedRelatedField(queryset=Hub.objects.all(), help_text=_("A hub of your digibank."))
    service = serializers.ChoiceField(choices=Service.choices)
    e_service = ScopedRelatedField(queryset=EService.objects.all(), required=False, allow_null=True)
    client = serializers.CharField(
        max_length=20,
        required=False,
        validators=[RegexValidator(CLIENT_NUMBER_PATTERN, _("This is not a client number, e.g. K7QM-4XRA."))],
        help_text=_("The client number on the card; leave it out for a person not yet a client."),
    )
    person_name = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        validators=[single_line_text],
        help_text=_("Only for a person not yet a client."),
    )
    person_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, validators=[single_line_text])
    consent_how = serializers.ChoiceField(
        choices=ConsentHow.choices, help_text=_("How the person agreed to be referred: required.")
    )
    reason = serializers.CharField(max_length=300, validators=[multi_line_text, no_sensitive_data])


class PlanSerializer(serializers.Serializer):
    planned_on = serializers.DateField(help_text=_("Today or later."))


class CompleteSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=300, validators=[multi_line_text])


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, validators=[multi_line_text])


CODE = OpenApiParameter(
    "code",
    {"type": "string", "pattern": CODE_PATTERN},
    OpenApiParameter.QUERY,
    description="Only the referral with this code on its slip, as typed or scanned (e.g. acde-fghj).",
)


@extend_schema_view(
    list=extend_schema(parameters=[CODE], responses=SHOWN),
    retrieve=extend_schema(responses=SHOWN),
)
class ReferralViewSet(
    ScopedViewSetMixin,
    AccessLoggedViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Referrals of the digibank: all of them for the receiving side; for a referrer, the ones they or their
    organisation made, with the status and the outcome only."""

    queryset = Referral.objects.order_by("-created_at", "-pk")
    serializer_class = ReferralSerializer
    read_permission = (Perm.REFERRALS_HANDLE, Perm.REFERRALS_MAKE)
    write_permission = (Perm.REFERRALS_HANDLE, Perm.REFERRALS_MAKE)
    shows = {
        "list": Shows("api referrals", client=None, action=SEARCH),
        "retrieve": Shows("api referral", client="object.client"),
    }

    def get_queryset(self):
        return selectors.referrals_for(self.tenancy).order_by("-created_at", "-pk")

    def filter_queryset(self, queryset):
        """`?code=` finds the referral of a slip: the desk scans or types it."""
        queryset = super().filter_queryset(queryset)
        raw = self.request.query_params.get("code")
        if self.action != "list" or raw is None:
            return queryset
        if not re.fullmatch(CODE_PATTERN, raw):
            raise serializers.ValidationError({"code": [_("Scan the slip or type the code on it.")]})
        return queryset.filter(code=normalise_code(raw))

    def get_serializer_class(self):
        if selectors.handles(self.tenancy):
            return ReferralSerializer
        return ReferrerReferralSerializer

    def answer(self, referral: Referral, status: int = 200) -> Response:
        self.object = referral
        fresh = self.get_queryset().get(pk=referral.pk)
        return Response(self.get_serializer_class()(fresh, context=self.get_serializer_context()).data, status=status)

    def given(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def handler_only(self) -> None:
        if not selectors.handles(self.tenancy):
            raise exceptions.PermissionDenied(_("Only the receiving side handles a referral."))

    @extend_schema(request=ReferralCreateSerializer, responses={201: SHOWN})
    def create(self, request, *args, **kwargs):
        """Refer a person (a client by card number, or a name and phone of someone not yet a client) to a
        service at a hub of your digibank, with how they agreed to it."""
        if not self.tenancy.can(Perm.REFERRALS_MAKE):
            raise exceptions.PermissionDenied()
        tenancy = chosen(self.tenancy)
        given = self.given(ReferralCreateSerializer)
        number = given.pop("client", None)
        client = None
        if number:
            client = client_by_number(tenancy, number)
            if client is None:
                raise serializers.ValidationError({"client": [_("No client of your digibank has this number.")]})
        referral = services.referral_create(
            digibank=Digibank.objects.get(pk=tenancy.digibank_id),
            actor=request.user,
            client=client,
            from_partner=selectors.partner_of(tenancy),
            **given,
        )
        return self.answer(referral, status=201)

    @extend_schema(request=None, responses=SHOWN)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """The receiving hub takes the referral on."""
        self.handler_only()
        return self.answer(services.referral_accept(self.get_object(), actor=request.user))

    @extend_schema(request=PlanSerializer, responses=SHOWN)
    @action(detail=True, methods=["post"])
    def plan(self, request, pk=None):
        """The day the person is expected (again, to move it)."""
        self.handler_only()
        referral = self.get_object()
        given = self.given(PlanSerializer)
        return self.answer(services.referral_plan(referral, actor=request.user, planned_on=given["planned_on"]))

    @extend_schema(request=CompleteSerializer, responses=SHOWN)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """The person was served; the outcome is what the referrer reads."""
        self.handler_only()
        referral = self.get_object()
        given = self.given(CompleteSerializer)
        return self.answer(services.referral_complete(referral, actor=request.user, outcome=given["outcome"]))

    @extend_schema(request=DeclineSerializer, responses=SHOWN)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """The receiving hub cannot help; the reason is what the referrer reads."""
        self.handler_only()
        referral = self.get_object()
        given = self.given(DeclineSerializer)
        return self.answer(services.referral_decline(referral, actor=request.user, reason=given["reason"]))

    @extend_schema(request=None, responses=SHOWN)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The referrer takes the referral back."""
        referral = self.get_object()
        withdrawn = services.referral_withdraw(
            referral, actor=request.user, actor_partner=selectors.partner_of(self.tenancy)
        )
        return self.answer(withdrawn)
