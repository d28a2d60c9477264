"""The Department's CO2e factors: read the Belgian way, and a page that costs the same queries
however many factors are set."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from digibank.devices.register.lifecycle import Kind
from digibank.impact import services
from digibank.impact.forms import EmissionFactorForm
from digibank.impact.models import EmissionFactor


def test_a_factor_reads_a_belgian_number():
    with translation.override("nl-be"):
        factor = EmissionFactorForm({"kind": "laptop", "kg_co2e": "1.250,5"})
        assert factor.is_valid(), factor.errors
        assert factor.cleaned_data["kg_co2e"] == Decimal("1250.5")


def test_the_english_screens_refuse_a_decimal_comma_rather_than_misread_it():
    with translation.override("en"):
        comma = EmissionFactorForm({"kind": "laptop", "kg_co2e": "27,5"})
        point = EmissionFactorForm({"kind": "laptop", "kg_co2e": "27.5"})
        assert not comma.is_valid() and "kg_co2e" in comma.errors
        assert point.is_valid() and point.cleaned_data["kg_co2e"] == Decimal("27.5")


@pytest.mark.django_db
def test_emission_factors_page_queries_do_not_grow_with_the_factors_set(login, dave, django_assert_num_queries):
    web = login(dave)
    kinds = iter(Kind.values)

    def make():
        services.emission_factor_set(kind=next(kinds), kg_co2e=Decimal("50.0"), source="Testbron 2026", actor=dave)

    make()
    with CaptureQueriesContext(connection) as few:
        assert web.get(reverse("impact:factors")).status_code == 200
    for _ in range(8):
        make()
    with django_assert_num_queries(len(few)):
        response = web.get(reverse("impact:factors"))
    assert response.status_code == 200 and len(few) <= 20
    assert sum(factor is not None for _, _, factor in response.context["rows"]) == EmissionFactor.objects.count() >= 9
