"""The technician's and coordinator's screens, under /staff/toestellen/."""

from django.urls import path

from digibank.devices.intake import views as intake_views
from digibank.devices.refurbishment import views as refurbishment_views
from digibank.devices.stock import views as stock_views
from digibank.devices.workbench import views as workbench_views

urlpatterns = [
    path("toestellen/", stock_views.DeviceList.as_view(), name="devices"),
    path("toestellen/<int:pk>/", workbench_views.DeviceDetail.as_view(), name="device"),
    path("toestellen/<int:pk>/wijzig/", workbench_views.DeviceUpdate.as_view(), name="device_edit"),
    path("toestellen/<int:pk>/etiket/", workbench_views.DeviceLabel.as_view(), name="device_label"),
    path("toestellen/<int:pk>/stap/", workbench_views.DeviceTransition.as_view(), name="device_transition"),
    path("toestellen/<int:pk>/wislog/", workbench_views.ErasureImport.as_view(), name="erasure_import"),
    path("toestellen/<int:pk>/wissing/", workbench_views.ErasureRecordCreate.as_view(), name="erasure_record"),
    path("toestellen/<int:pk>/controle/", workbench_views.ReadyCheckCreate.as_view(), name="ready_check"),
    path("toestellen/<int:pk>/herstelling/", workbench_views.RepairOpen.as_view(), name="repair_open"),
    path("toestellen/<int:pk>/verplaatsen/", workbench_views.DeviceTransfer.as_view(), name="device_transfer"),
    path("toestellen/<int:pk>/recyclage/", workbench_views.DeviceRecycle.as_view(), name="device_recycle"),
    path("wissingen/<int:pk>/attest/", refurbishment_views.ErasureCertificate.as_view(), name="erasure_certificate"),
    path("herstellingen/", refurbishment_views.RepairList.as_view(), name="repairs"),
    path("herstellingen/<int:pk>/afsluiten/", refurbishment_views.RepairClose.as_view(), name="repair_close"),
    path("schenkers/", intake_views.DonorList.as_view(), name="donors"),
    path("schenkers/<int:pk>/", intake_views.DonorDetail.as_view(), name="donor"),
    path("ontvangst/", intake_views.BatchList.as_view(), name="batches"),
    path("ontvangst/nieuw/", intake_views.BatchCreate.as_view(), name="batch_new"),
    path("ontvangst/<int:pk>/", intake_views.BatchDetail.as_view(), name="batch"),
    path("ontvangst/<int:pk>/etiketten/", intake_views.BatchLabels.as_view(), name="batch_labels"),
    path("ontvangst/<int:pk>/attest/", intake_views.BatchCertificate.as_view(), name="batch_certificate"),
    path("softwareprofielen/", refurbishment_views.SoftwareProfileList.as_view(), name="profiles"),
    path("recyclage/", refurbishment_views.CollectionList.as_view(), name="collections"),
    path("recyclage/<int:pk>/", refurbishment_views.CollectionDetail.as_view(), name="collection"),
    path("inventaris/", stock_views.StockTakeList.as_view(), name="stocktakes"),
    path("inventaris/<int:pk>/", stock_views.StockTakeDetail.as_view(), name="stocktake"),
    path("inventaris/<int:pk>/afsluiten/", stock_views.StockTakeClose.as_view(), name="stocktake_close"),
]
