"""Feedback per e-service in the API: the digibank's figures for a period (counts only, no people)."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, views
from rest_framework.response import Response

from digibank.core.api import HasPermission, ScopedSchema
from digibank.core.roles import Perm
from digibank.core.tenancy import tenancy_of
from digibank.guidance.contacts.models import Topic
from digibank.guidance.feedback import selectors
from digibank.guidance.feedback.forms import period_from

DAY = r"^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
PERIOD = [
    OpenApiParameter(
        "start", {"type": "string", "pattern": DAY}, description="First day (YYYY-MM-DD); default 1 January."
    ),
    OpenApiParameter(
        "end", {"type": "string", "pattern": DAY}, description="Last day (YYYY-MM-DD); default 31 December."
    ),
]


class FeedbackRowSerializer(serializers.Serializer):
    e_service = serializers.IntegerField(source="e_service_id")
    name = serializers.CharField()
    provider = serializers.CharField()
    contacts = serializers.IntegerField(min_value=0)
    solved = serializers.IntegerField(min_value=0)
    share_solved = serializers.FloatField(
        allow_null=True, min_value=0, max_value=1, help_text=_("Solved contacts as a share of all (0 to 1).")
    )
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=Topic.choices),
        source="top_topic_values",
        help_text=_("The most common topics, most common first."),
    )


class FeedbackView(views.APIView):
    """Per e-service, the digibank's help contacts in the period, how many were solved and the most
    common topics; the most contacts first."""

    permission_classes = [HasPermission]
    read_permission = Perm.CONTACTS_LOG
    schema = ScopedSchema()

    @extend_schema(parameters=PERIOD, responses=FeedbackRowSerializer(many=True))
    def get(self, request):
        # A day given must be a day: an empty `start=` is no "default" but a mistake (the schema says so too).
        wrong = {
            name: [_("Give a day as YYYY-MM-DD.")]
            for name in ("start", "end")
            if name in request.query_params and not re.fullmatch(DAY, request.query_params[name])
        }
        if wrong:
            raise exceptions.ValidationError(wrong)
        form, period = period_from(request.query_params)
        if period is None:
            raise exceptions.ValidationError({name: list(errors) for name, errors in form.errors.items()})
        rows = selectors.feedback_of(tenancy_of(request), *period)
        return Response(FeedbackRowSerializer(rows, many=True).data)
