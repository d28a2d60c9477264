"""The catalogue of e-services in the API: list and read for every digibank's staff and the Department;
add and change for whoever keeps the service. Nothing is deleted: `active: false` takes one out of use."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, mixins, serializers, viewsets

from digibank.core.api import ScopedViewSetMixin
from digibank.core.roles import Perm
from digibank.guidance.e_services import selectors, services
from digibank.guidance.e_services.models import Category, EService, Need


class EServiceSerializer(serializers.ModelSerializer):
    category = serializers.ChoiceField(choices=Category.choices)
    needs = serializers.MultipleChoiceField(
        choices=Need.choices, required=False, help_text=_("What a person needs to use it; several may apply.")
    )
    flanders_wide = serializers.BooleanField(
        source="is_flanders_wide", read_only=True, help_text=_("Kept by the Department for all of Flanders.")
    )
    digibank: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text=_("The digibank of a local service; null for Flanders-wide.")
    )

    class Meta:
        model = EService
        fields = ["id", "name", "provider", "category", "link", "needs", "active", "flanders_wide", "digibank"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["needs"] = [n for n in Need.values if n in instance.needs]
        return data


class EServiceViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The essential e-services people get help with: the Flanders-wide ones (kept by the Department)
    and the digibank's own (kept by its coordinator). Another digibank's local service does not exist
    for the caller."""

    queryset = EService.objects.order_by("-active", "category", "name", "pk")
    serializer_class = EServiceSerializer
    read_permission = (Perm.GUIDANCE_VIEW, Perm.DEPARTMENT_VIEW)
    write_permission = (Perm.E_SERVICES_MANAGE, Perm.DEPARTMENT_E_SERVICES)

    @staticmethod
    def _fields(data) -> dict:
        fields = dict(data)
        if "needs" in fields:
            fields["needs"] = sorted(fields["needs"])
        return fields

    def perform_create(self, serializer):
        serializer.instance = services.e_service_create(
            digibank=selectors.digibank_of_new(self.tenancy),
            actor=self.request.user,
            **self._fields(serializer.validated_data),
        )

    def perform_update(self, serializer):
        service = serializer.instance
        if not selectors.may_keep(self.tenancy, service):
            raise exceptions.PermissionDenied(_("Only the Department changes a service for all of Flanders."))
        serializer.instance = services.e_service_update(
            service, actor=self.request.user, **self._fields(serializer.validated_data)
        )
