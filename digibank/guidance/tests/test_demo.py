"""The demo's digihelpers: made once, whatever the number of runs; digihelper.gent is one of them."""

from __future__ import annotations

import pytest

from digibank.guidance.helpers.models import Availability, Digihelper, HelperHours

pytestmark = pytest.mark.django_db


def test_the_demo_has_digihelpers_made_once():
    from digibank.guidance.demo import seed_guidance_demo
    from digibank.network.demo import seed_demo

    seed_demo()
    seed_guidance_demo()
    counts = (Digihelper.objects.count(), Availability.objects.count(), HelperHours.objects.count())
    seed_demo()
    seed_guidance_demo()
    assert (Digihelper.objects.count(), Availability.objects.count(), HelperHours.objects.count()) == counts
    assert counts == (2, 3, 4)
    rita = Digihelper.objects.get(user__username="digihelper.gent")
    assert rita.display_name == "Rita Claes" and rita.digibank.slug == "gent"
    assert {"itsme", "Jobbonus"} <= set(rita.skills.values_list("name", flat=True))
    assert rita.hubs.count() == 2 and rita.availability.count() == 2
    assert Digihelper.objects.get(name="Jef Van Damme").user is None
