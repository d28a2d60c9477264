"""Days in guidance: the day a screen or an API list is asked for. The moments a day or a period spans
are `digibank.core.days`'s, shared with the Department's figures."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions


def day_asked(request, name: str = "dag") -> dt.date:
    """The day in `?dag=`: 2026-12-03 as a date field sends it, or a typed Belgian 3/12/2026; today when
    none, and today with a message saying so when it is not a day (31/2/2026)."""
    raw = request.GET.get(name, "").strip()
    if raw:
        try:
            day = forms.DateField().to_python(raw)
        except ValidationError:
            day = None
            messages.warning(
                request, _("“%(raw)s” is not a day: today is shown.") % {"raw": raw[:20]}, fail_silently=True
            )
        if day is not None:
            return day
    return timezone.localdate()


# The API's `?day=`: an ISO date of 1900-2199, and one the calendar has (2026-02-30 is refused too).
DAY_PATTERN = r"^(19|2[01])[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


def day_parameter(description: str) -> OpenApiParameter:
    """The schema of an API list's `?day=`, stating the pattern `day_param` enforces."""
    return OpenApiParameter(
        "day", {"type": "string", "format": "date", "pattern": DAY_PATTERN}, description=description
    )


def day_param(request) -> dt.date | None:
    """The day in an API request's `?day=`, None when not given; a 400 with the field's error when it
    is not a day."""
    raw = request.query_params.get("day")
    if raw is None:
        return None
    try:
        day = dt.date.fromisoformat(raw) if re.fullmatch(DAY_PATTERN, raw) else None
    except ValueError:
        day = None
    if day is None:
        raise exceptions.ValidationError({"day": [_("Give a day as YYYY-MM-DD, for example 2026-12-03.")]})
    return day
