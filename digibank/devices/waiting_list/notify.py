"""Telling a client that a device is waiting for them (an offer), only with their consent."""

from __future__ import annotations

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from digibank.devices.lending.notify import send_to_client
from digibank.devices.waiting_list.models import Offer


def tell_offer(offer_id: int) -> str:
    """Tell the client a device is waiting for them; the desk sees the offer either way."""
    offer = Offer.objects.select_related("loan__hub", "loan__digibank", "request__client").get(pk=offer_id)
    client = offer.request.client
    with translation.override("nl"):
        text = _(
            "%(digibank)s: a %(kind)s is ready for you at %(hub)s. Come and get it before %(date)s, "
            "or we offer it to the next person."
        ) % {
            "digibank": offer.loan.digibank.name,
            "kind": offer.request.get_kind_display(),
            "hub": offer.loan.hub.name,
            "date": date_format(offer.expires_on, "j F"),
        }
        channel = send_to_client(client, _("A device is ready for you"), text)
    if channel:
        Offer.objects.filter(pk=offer.pk).update(notified_by=channel)
    return channel
