import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from digibank.clients import services
from digibank.clients.models import AccessLog, Client, ClientEvent, Consent, RetentionPolicy
from digibank.clients.retention import (
    anonymise_due_clients,
    clients_due,
    months_before,
    retention_policy_set,
    retention_postpone,
)
from digibank.clients.tests.factories import ClientFactory

TODAY = dt.date(2026, 6, 15)


def inactive_since(day: dt.date, **extra):
    return ClientFactory(last_activity_at=timezone.make_aware(dt.datetime.combine(day, dt.time(12))), **extra)


def test_months_before_clamps_to_the_end_of_a_shorter_month():
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 24) == dt.date(2024, 1, 15)
    assert months_before(dt.date(2026, 11, 30), -3) == dt.date(2027, 2, 28)


@pytest.mark.django_db
def test_clients_without_activity_for_24_months_are_due(digibank_a, digibank_b):
    due = inactive_since(dt.date(2024, 6, 14), digibank=digibank_a)
    inactive_since(dt.date(2024, 6, 15), digibank=digibank_a)  # exactly 24 months: not yet
    inactive_since(dt.date(2025, 1, 1), digibank=digibank_a)
    inactive_since(dt.date(2020, 1, 1), digibank=digibank_b)  # another digibank's
    gone = inactive_since(dt.date(2020, 1, 1), digibank=digibank_a)
    services.client_anonymise(client=gone, actor=None, reason="test")
    assert list(clients_due(digibank_a, today=TODAY)) == [due]


@pytest.mark.django_db
def test_each_digibank_sets_its_own_period(digibank_a, alice):
    client = inactive_since(dt.date(2025, 5, 1), digibank=digibank_a)
    assert list(clients_due(digibank_a, today=TODAY)) == []
    retention_policy_set(digibank=digibank_a, months=12, actor=alice)
    assert list(clients_due(digibank_a, today=TODAY)) == [client]
    with pytest.raises(ValidationError):
        retention_policy_set(digibank=digibank_a, months=0, actor=alice)
    assert RetentionPolicy.objects.get(digibank=digibank_a).months == 12


@pytest.mark.django_db
def test_a_postponed_client_is_due_again_once_the_date_has_passed(digibank_a, alice):
    client = inactive_since(dt.date(2020, 1, 1), digibank=digibank_a)
    retention_postpone(
        client=client, until=timezone.localdate() + dt.timedelta(days=30), reason="lening loopt nog", actor=alice
    )
    today = timezone.localdate()
    assert list(clients_due(digibank_a, today=today)) == []
    assert list(clients_due(digibank_a, today=today + dt.timedelta(days=30))) == []
    assert list(clients_due(digibank_a, today=today + dt.timedelta(days=31))) == [client]
    line = AccessLog.objects.get(client=client, action=AccessLog.Action.CHANGE)
    assert line.actor == alice and "retention postponed" in line.what and "lening" not in line.what


@pytest.mark.django_db
@pytest.mark.parametrize(
    "days, reason, field",
    [
        (30, "  ", "reason"),
        (0, "nog bezig", "until"),
        (-5, "nog bezig", "until"),
        (400, "nog bezig", "until"),  # more than 12 months ahead
    ],
)
def test_postponing_needs_a_reason_and_a_date_within_a_year(digibank_a, alice, days, reason, field):
    client = inactive_since(dt.date(2020, 1, 1), digibank=digibank_a)
    with pytest.raises(ValidationError) as error:
        retention_postpone(
            client=client, until=timezone.localdate() + dt.timedelta(days=days), reason=reason, actor=alice
        )
    assert field in error.value.message_dict
    client.refresh_from_db()
    assert client.retention_postponed_until is None and not AccessLog.objects.filter(client=client).exists()


@pytest.mark.django_db
def test_the_job_anonymises_the_due_clients_of_every_digibank_once(digibank_a, digibank_b):
    old_a = inactive_since(dt.date(2020, 1, 1), digibank=digibank_a)
    old_b = inactive_since(dt.date(2020, 1, 1), digibank=digibank_b)
    recent = inactive_since(timezone.localdate() - dt.timedelta(days=10), digibank=digibank_a)

    assert anonymise_due_clients.call() == 2

    old_a.refresh_from_db(), old_b.refresh_from_db(), recent.refresh_from_db()
    assert old_a.is_anonymised and old_b.is_anonymised and not recent.is_anonymised
    assert AccessLog.objects.get(client=old_a, action=AccessLog.Action.ERASE).what == "anonymised: retention"

    before = list(Client.objects.order_by("pk").values()), AccessLog.objects.count()
    assert anonymise_due_clients.call() == 0  # idempotent: the second run changes nothing
    assert (list(Client.objects.order_by("pk").values()), AccessLog.objects.count()) == before


@pytest.mark.django_db
def test_run_retention_queues_the_job_on_the_database_backend(digibank_a):
    out = io.StringIO()
    call_command("run_retention", stdout=out)
    job = DBTaskResult.objects.get()
    assert job.task_path == "digibank.clients.retention.anonymise_due_clients"
    assert job.status == TaskResultStatus.READY and str(job.id) in out.getvalue()


@pytest.mark.django_db
def test_the_job_runs_at_once_on_the_immediate_backend(digibank_a, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    inactive_since(dt.date(2020, 1, 1), digibank=digibank_a)
    result = anonymise_due_clients.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == 1


def dump_everything() -> str:
    """Every table, but the reference data of places and municipalities: their names are no one's
    ("Sint-Margriete" holds "griet") and they are the same before and after an erasure."""
    out = io.StringIO()
    call_command(
        "dumpdata",
        exclude=["network.Place", "network.Municipality", "network.PostalCode", "network.FormerMunicipality"],
        stdout=out,
    )
    # Re-encoded without \\u escapes, so "Sébastien" is found however the serializer wrote it.
    return json.dumps(json.loads(out.getvalue()), ensure_ascii=False).lower()


@pytest.mark.django_db(transaction=True)
def test_after_retention_the_person_is_gone_from_every_table_and_the_counts_stay(digibank_a, bob):
    """The erasure test of issue 3: the real queue, the real worker, the whole database."""
    client = services.client_register(
        digibank=digibank_a,
        actor=bob,
        first_name="Sébastien",
        last_name="Van den Broeck",
        birth_date=dt.date(1961, 3, 5),
        postal_code="9000",
        phone="0470 12 34 56",
        email="Seb.VDB@example.be",
        traits={"income": "leefloon"},
        consents=(Consent.Scope.TRAITS,),
    )
    long_ago = timezone.now() - dt.timedelta(days=3 * 365)
    services.record_event(client=client, kind="loan", actor=bob, summary="laptop voor Sébastien", occurred_at=long_ago)
    services.record_event(client=client, kind="contact", actor=bob, summary="gsm 0470 12 34 56", occurred_at=long_ago)
    Client.objects.filter(pk=client.pk).update(last_activity_at=long_ago)
    events = ClientEvent.objects.filter(client=client).count()
    needles = [
        "sébastien",
        "sebastien",  # the folded search text
        "vandenbroeck",  # the folded name joined, for search and the duplicate check
        "van den broeck",
        "+32470123456",
        "0470 12 34 56",
        "0470123456",
        "470123456",
        "470 12 34 56",
        "seb.vdb@example.be",
        "1961-03-05",
        client.number.lower(),
    ]
    before = dump_everything()
    # The search would find the person as stored: names, folded name, phone, e-mail, birth date, number.
    assert [needle for needle in needles if needle not in before] == ["0470123456"]

    call_command("run_retention", stdout=io.StringIO())
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    job = DBTaskResult.objects.get()
    assert job.status == TaskResultStatus.SUCCESSFUL and job.task_result.return_value == 1
    after = dump_everything()
    assert [needle for needle in needles if needle in after] == []
    assert ClientEvent.objects.filter(client=client).count() == events == 3
    client.refresh_from_db()
    assert client.is_anonymised and client.municipality.name == "Gent" and client.age_band == "65-74"
