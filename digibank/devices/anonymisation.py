"""What the device bank keeps of a person besides the client link, and how it goes when the person
is anonymised: the name written as a signature, the goals plan, and the free text staff wrote
about them on the waiting list (also in the history tables). Loans, devices and incidents stay, so
the counts stay right."""

from __future__ import annotations

from django.dispatch import receiver

from digibank.clients.signals import client_anonymised
from digibank.devices.lending.models import Loan
from digibank.devices.waiting_list.models import DeviceRequest, QueueMove

ERASED = ""


@receiver(client_anonymised, dispatch_uid="devices.erase_client")
def erase_client(sender, client, **kwargs) -> None:
    loans = Loan.objects.filter(client=client)
    loans.update(signed_by_name=ERASED, goals_plan=ERASED)
    Loan.history.filter(id__in=loans.values("pk")).update(signed_by_name=ERASED, goals_plan=ERASED)
    requests = DeviceRequest.objects.filter(client=client)
    requests.update(urgent_reason=ERASED)
    DeviceRequest.history.filter(id__in=requests.values("pk")).update(urgent_reason=ERASED)
    QueueMove.objects.filter(request__client=client).update(reason=ERASED)
