"""Two desks at the same second on one referral: the row lock lets exactly one step through, the others get
the Dutch refusal of an illegal step. Real row locks need PostgreSQL: on SQLite these are deselected."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from digibank.guidance.referrals import services
from digibank.guidance.referrals.models import Referral, Status
from digibank.guidance.tests.factories import ReferralFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("concurrency")]
RACERS = 8


def race(works) -> list[object]:
    barrier = threading.Barrier(len(works))
    results: list[object] = [None] * len(works)

    def run(i):
        try:
            barrier.wait()
            results[i] = works[i]()
        except Exception as error:  # noqa: BLE001 - the outcome is what we test
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(works))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.parametrize("step", ["accept", "decline"])
def test_desks_taking_the_same_step_at_once_take_it_once(zuid, bob, step):
    """Eight desks accept (or decline) one referral at the same second: one step is taken, the others are
    refused with the Dutch message of an illegal step. (Accepting and declining at once may both succeed, one
    after the other: an accepted referral may still be declined.)"""
    referral = ReferralFactory(to_hub=zuid)
    if step == "accept":
        works = [lambda: services.referral_accept(referral, actor=bob)] * RACERS
    else:
        works = [lambda: services.referral_decline(referral, actor=bob, reason="Volzet.")] * RACERS
    results = race(works)
    done = [r for r in results if isinstance(r, Referral)]
    assert len(done) == 1, results
    assert all(isinstance(r, ValidationError) for r in results if r not in done), results
    referral.refresh_from_db()
    assert referral.status == (Status.ACCEPTED if step == "accept" else Status.DECLINED)
    assert referral.history.count() == 2  # created, and the one step
