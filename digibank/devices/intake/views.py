"""Intake's screens: donors, batches received, their labels and certificates."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from digibank.core.roles import Perm
from digibank.core.views import (
    ScopedDetailView,
    ScopedListView,
    ScopedMixin,
    StaffView,
    add_service_errors,
    submit,
)
from digibank.devices.common.api import pdf_response
from digibank.devices.common.views import ListWithCreate, WritesNeedManage, keep_query
from digibank.devices.intake import services as intake_services
from digibank.devices.intake.forms import BatchForm, DonorForm
from digibank.devices.intake.models import Donor, IntakeBatch
from digibank.devices.intake.selectors import donors_of
from digibank.devices.register.forms import DeviceForm
from digibank.devices.register.selectors import hubs_of
from digibank.network.selectors import active_partners, own_digibank

# --- donors and intake -----------------------------------------------------------------------


class DonorList(ListWithCreate):
    permission = Perm.DEVICES_VIEW
    model = Donor
    template_name = "devices/stock/donor_list.html"
    form_class = DonorForm
    created_message = gettext_lazy("Donor added.")
    created_url_name = "devices:donor"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("partner")
            .annotate(batch_count=Count("batches"))
            .order_by("name", "pk")
        )

    def form_kwargs(self):
        partners = active_partners(self.tenancy)
        return {"partners": partners}

    def create(self, data):
        return intake_services.donor_create(digibank=own_digibank(self.tenancy), actor=self.request.user, **data)


class DonorDetail(ScopedDetailView):
    permission = Perm.DEVICES_VIEW
    model = Donor
    template_name = "devices/stock/donor_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("partner")

    def get_context_data(self, **kwargs):
        batches = (
            self.object.batches.select_related("hub")
            .annotate(device_count=Count("devices"))
            .order_by("-received_on", "-pk")
        )
        page = Paginator(batches, 25).get_page(self.request.GET.get("page"))
        return super().get_context_data(batches=page, page_obj=page, is_paginated=page.has_other_pages(), **kwargs)


class BatchList(ScopedListView):
    permission = Perm.DEVICES_VIEW
    model = IntakeBatch
    template_name = "devices/stock/batch_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("donor", "hub")
            .annotate(device_count=Count("devices"))
            .order_by("-received_on", "-pk")
        )


class BatchCreate(StaffView, generic.View):
    """A donor's hand-over at a hub; the items are added on the batch's page."""

    permission = Perm.DEVICES_MANAGE
    template_name = "devices/stock/batch_form.html"

    def make_form(self, data=None):
        donors = donors_of(self.tenancy)
        hubs = hubs_of(self.tenancy).filter(closed_on__isnull=True)
        initial = {"donor": self.request.GET.get("donor")} if data is None else None
        return BatchForm(data, initial=initial, donors=donors, hubs=hubs)

    def get(self, request):
        return render(request, self.template_name, {"form": self.make_form()})

    def post(self, request):
        form = self.make_form(request.POST)
        created: list[IntakeBatch] = []

        def receive(data):
            created.append(
                intake_services.batch_receive(digibank=own_digibank(self.tenancy), actor=request.user, **data)
            )

        if submit(request, form, receive, _("Batch opened: now add its items.")):
            return redirect("devices:batch", pk=created[0].pk)
        return render(request, self.template_name, {"form": form}, status=400)


class BatchDetail(WritesNeedManage, StaffView, ScopedMixin, generic.View):
    """Intake: the items of a batch, and the form to add the next one. After "Add" the same page
    comes back with an empty form, so a pile of laptops is taken in with the keyboard alone."""

    permission = Perm.DEVICES_VIEW
    model = IntakeBatch
    template_name = "devices/stock/batch_detail.html"

    def load(self, pk) -> IntakeBatch:
        return get_object_or_404(self.get_queryset().select_related("donor", "hub", "received_by"), pk=pk)

    def render_page(self, batch, form=None, status=200):
        devices = batch.devices.order_by("-received_at", "-pk")
        page = Paginator(devices, 25).get_page(self.request.GET.get("page"))
        if form is None and self.tenancy.can(Perm.DEVICES_MANAGE):
            kind = self.request.GET.get("kind", "")
            form = DeviceForm(initial={"kind": kind} if kind else None)
        context = {
            "object": batch,
            "form": form,
            "devices": page,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "keep_query": keep_query(self.request),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_page(self.load(pk))

    def post(self, request, pk):
        batch = self.load(pk)
        form = DeviceForm(request.POST)
        if form.is_valid():
            try:
                device = intake_services.device_intake(batch=batch, actor=request.user, **form.device_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Added: %(device)s. Stick its label on it.") % {"device": device})
                # The next item is most often of the same type: keep it chosen, the rest empty.
                return redirect(f"{request.path}?{urlencode({'kind': device.kind})}")
        return self.render_page(batch, form, status=400)


class BatchLabels(StaffView, ScopedMixin, generic.View):
    permission = Perm.DEVICES_VIEW
    model = IntakeBatch

    def get(self, request, pk):
        from digibank.devices.intake.documents import batch_labels_pdf

        batch = get_object_or_404(self.get_queryset().select_related("donor", "hub"), pk=pk)
        return pdf_response(batch_labels_pdf(batch), f"labels-batch-{batch.pk}")


class BatchCertificate(StaffView, ScopedMixin, generic.View):
    """The donor's summary certificate: every item of the batch and how its data was erased."""

    permission = Perm.DEVICES_VIEW
    model = IntakeBatch

    def get(self, request, pk):
        from digibank.devices.intake.documents import batch_certificate_pdf

        batch = get_object_or_404(self.get_queryset().select_related("donor", "hub"), pk=pk)
        return pdf_response(batch_certificate_pdf(batch), f"certificate-batch-{batch.pk}")
