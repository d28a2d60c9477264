"""What guidance keeps of people besides the client link, and when it goes.

- A person who booked on the public site or was referred before becoming a client left a name and a phone
  number or e-mail address: they are erased 30 days after the appointment's time or the referral's close
  (the row stays for the counts; `erased_at` says when).
- When a client is anonymised (on request or by retention), the free text written about them goes: the
  help contacts' notes, the referrals' reasons, notes and outcomes, their history rows too."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from digibank.clients.signals import client_anonymised
from digibank.guidance.appointments.models import Appointment
from digibank.guidance.contacts.models import HelpContact
from digibank.guidance.referrals.models import OPEN, Referral

KEEP_DAYS = 30
ERASED = ""


@transaction.atomic
def erase_expired_details(now: dt.datetime | None = None) -> dict[str, int]:
    """Erase the names and contact details whose time is up; running it again erases nothing more."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=KEEP_DAYS)
    bookings = Appointment.objects.filter(client__isnull=True, erased_at__isnull=True, slot__ends_at__lt=cutoff)
    booking_ids = list(bookings.values_list("pk", flat=True))
    Appointment.objects.filter(pk__in=booking_ids).update(name=ERASED, phone=ERASED, email=ERASED, erased_at=now)
    Appointment.history.filter(id__in=booking_ids).update(name=ERASED, phone=ERASED, email=ERASED)
    referrals = Referral.objects.filter(client__isnull=True, erased_at__isnull=True, closed_at__lt=cutoff).exclude(
        status__in=OPEN
    )
    referral_ids = list(referrals.values_list("pk", flat=True))
    Referral.objects.filter(pk__in=referral_ids).update(person_name=ERASED, person_phone=ERASED, erased_at=now)
    Referral.history.filter(id__in=referral_ids).update(person_name=ERASED, person_phone=ERASED)
    return {"appointments": len(booking_ids), "referrals": len(referral_ids)}


@receiver(client_anonymised, dispatch_uid="guidance.erase_client")
def erase_client(sender, client, **kwargs) -> None:
    contacts = HelpContact.objects.filter(client=client)
    contacts.update(note=ERASED)
    HelpContact.history.filter(id__in=contacts.values("pk")).update(note=ERASED)
    fields = {"reason": ERASED, "internal_notes": ERASED, "outcome": ERASED}
    referrals = Referral.objects.filter(client=client)
    referrals.update(**fields)
    Referral.history.filter(id__in=referrals.values("pk")).update(**fields)
