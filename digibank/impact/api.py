from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from digibank.core.api import HasPermission
from digibank.core.roles import Perm

from . import selectors


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
