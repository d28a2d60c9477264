"""The register's reads: a digibank's hubs, a device by its asset tag, the device search."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from digibank.core.tenancy import Tenancy
from digibank.devices.register.models import Device
from digibank.devices.tags import normalise_tag
from digibank.network.models import Hub


def hubs_of(tenancy: Tenancy) -> QuerySet[Hub]:
    """The hubs of the digibank, open ones first, for the filters and the forms."""
    return Hub.objects.visible_to(tenancy).order_by("closed_on", "name")


def device_by_tag(tenancy: Tenancy, text: str) -> Device | None:
    """The device whose label was scanned or typed, if the text is an asset tag of this digibank."""
    tag = normalise_tag(text)
    if not tag:
        return None
    return Device.objects.visible_to(tenancy).filter(asset_tag=tag).first()


def device_search(
    tenancy: Tenancy,
    *,
    hub: Hub | None = None,
    kind: str = "",
    state: str = "",
    grade: str = "",
    query: str = "",
) -> QuerySet[Device]:
    """The devices that match the filters. Each word of the query must be found in the serial
    number, the make, the model or the asset tag."""
    devices = Device.objects.visible_to(tenancy).select_related("hub")
    if hub is not None:
        devices = devices.filter(hub=hub)
    if kind:
        devices = devices.filter(kind=kind)
    if state:
        devices = devices.filter(state=state)
    if grade:
        devices = devices.filter(grade=grade)
    for word in query.split()[:6]:
        devices = devices.filter(
            Q(serial_number__icontains=word)
            | Q(make__icontains=word)
            | Q(model_name__icontains=word)
            | Q(asset_tag__icontains=word)
        )
    return devices.order_by("asset_tag")
