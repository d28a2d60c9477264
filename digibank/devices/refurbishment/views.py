"""Refurbishment's screens: repairs, erasure certificates, software profiles and collections."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from digibank.core.roles import Perm
from digibank.core.views import (
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    StaffView,
    submit,
)
from digibank.devices.common.api import pdf_response
from digibank.devices.common.views import ListWithCreate
from digibank.devices.refurbishment import services as refurbishment_services
from digibank.devices.refurbishment.forms import (
    CollectionForm,
    RepairCloseForm,
    SoftwareProfileForm,
)
from digibank.devices.refurbishment.models import CollectionBatch, ErasureRecord, RepairTicket, SoftwareProfile
from digibank.network.selectors import own_digibank


class ErasureCertificate(StaffView, ScopedMixin, generic.View):
    permission = Perm.DEVICES_VIEW
    model = ErasureRecord

    def get(self, request, pk):
        from digibank.devices.refurbishment.documents import erasure_certificate_pdf

        record = get_object_or_404(self.get_queryset().select_related("device", "operator"), pk=pk)
        return pdf_response(erasure_certificate_pdf(record), f"erasure-{record.number}")


# --- repairs ---------------------------------------------------------------------------------


class RepairList(ScopedListView):
    """The open repair tickets, oldest first: the work waiting."""

    permission = Perm.DEVICES_VIEW
    model = RepairTicket
    template_name = "devices/stock/repair_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(status=RepairTicket.Status.OPEN)
            .select_related("device", "device__hub", "technician")
            .order_by("opened_at", "pk")
        )


class RepairClose(StaffView, ScopedMixin, generic.View):
    permission = Perm.DEVICES_MANAGE
    model = RepairTicket
    template_name = "devices/stock/repair_close.html"

    def load(self, pk) -> RepairTicket:
        return get_object_or_404(self.get_queryset().select_related("device", "technician"), pk=pk)

    def render_form(self, ticket, form, status=200):
        return render(self.request, self.template_name, {"object": ticket, "form": form}, status=status)

    def get(self, request, pk):
        ticket = self.load(pk)
        return self.render_form(ticket, RepairCloseForm(instance=ticket))

    def post(self, request, pk):
        ticket = self.load(pk)
        form = RepairCloseForm(request.POST, instance=ticket)
        if submit(
            request,
            form,
            lambda data: refurbishment_services.repair_close(ticket=ticket, actor=request.user, **data),
            _("The repair is done."),
        ):
            return redirect("devices:device", pk=ticket.device_id)
        return self.render_form(ticket, form, status=400)


# --- software profiles -----------------------------------------------------------------------


class SoftwareProfileList(ListWithCreate):
    permission = Perm.DEVICES_MANAGE
    model = SoftwareProfile
    template_name = "devices/stock/profile_list.html"
    form_class = SoftwareProfileForm
    created_message = gettext_lazy("Software profile added.")

    def get_queryset(self):
        return super().get_queryset().order_by("-active", "name")

    def create(self, data):
        return refurbishment_services.software_profile_create(
            digibank=own_digibank(self.tenancy), actor=self.request.user, **data
        )

    def created_url(self, obj):
        return self.request.path


# --- recycling -------------------------------------------------------------------------------


class CollectionList(ListWithCreate):
    permission = Perm.DEVICES_MANAGE
    model = CollectionBatch
    template_name = "devices/stock/collection_list.html"
    form_class = CollectionForm
    created_message = gettext_lazy("Collection added: retired devices can now be handed over with it.")
    created_url_name = "devices:collection"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .annotate(device_count=Count("devices"), total_kg=Sum("devices__weight_kg"))
            .order_by("-handed_over_on", "-pk")
        )

    def create(self, data):
        return refurbishment_services.collection_create(
            digibank=own_digibank(self.tenancy), actor=self.request.user, **data
        )


class CollectionDetail(ScopedDetailView):
    permission = Perm.DEVICES_MANAGE
    model = CollectionBatch
    template_name = "devices/stock/collection_detail.html"

    def get_context_data(self, **kwargs):
        devices = self.object.devices.select_related("hub").order_by("asset_tag")
        totals = devices.aggregate(count=Count("pk"), kg=Sum("weight_kg"))
        page = Paginator(devices, 50).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            devices=page, page_obj=page, is_paginated=page.has_other_pages(), totals=totals, **kwargs
        )
