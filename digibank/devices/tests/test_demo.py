"""The demo's device bank: made once, whatever the number of runs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from digibank.devices.lending import rules as lending_rules
from digibank.devices.register.lifecycle import State
from digibank.devices.register.models import Device

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_device_bank_made_once():
    from digibank.devices.demo import seed_demo_devices
    from digibank.devices.lending.models import Loan
    from digibank.devices.refurbishment.models import CollectionBatch
    from digibank.devices.waiting_list.models import DeviceRequest
    from digibank.network.demo import seed_demo

    seed_demo()
    seed_demo_devices()
    devices = Device.objects.count()
    seed_demo()
    seed_demo_devices()
    assert Device.objects.count() == devices >= 12
    today = timezone.localdate()
    open_loans = Loan.objects.filter(status=Loan.Status.ON_LOAN)
    assert open_loans.count() == 2 and sum(loan.due_on < today for loan in open_loans) == 1
    assert Loan.objects.filter(status=Loan.Status.RETURNED).count() == 1
    states = set(Device.objects.values_list("state", flat=True))
    assert {State.READY, State.ON_LOAN, State.RETURNED, State.IN_REPAIR, State.RECYCLED} <= states
    assert CollectionBatch.objects.count() == 1
    assert DeviceRequest.objects.filter(status=DeviceRequest.Status.WAITING).count() == 1
    assert lending_rules.rules_for(Device.objects.first().digibank).deposit == Decimal("20.00")
