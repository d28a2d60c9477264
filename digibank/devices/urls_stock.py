"""The technician's and coordinator's screens, under /staff/toestellen/."""

from django.urls import path

from .views import stock as views

urlpatterns = [
    path("toestellen/", views.DeviceList.as_view(), name="devices"),
    path("toestellen/<int:pk>/", views.DeviceDetail.as_view(), name="device"),
    path("toestellen/<int:pk>/wijzig/", views.DeviceUpdate.as_view(), name="device_edit"),
    path("toestellen/<int:pk>/etiket/", views.DeviceLabel.as_view(), name="device_label"),
    path("toestellen/<int:pk>/stap/", views.DeviceTransition.as_view(), name="device_transition"),
    path("toestellen/<int:pk>/wislog/", views.ErasureImport.as_view(), name="erasure_import"),
    path("toestellen/<int:pk>/wissing/", views.ErasureRecordCreate.as_view(), name="erasure_record"),
    path("toestellen/<int:pk>/controle/", views.ReadyCheckCreate.as_view(), name="ready_check"),
    path("toestellen/<int:pk>/herstelling/", views.RepairOpen.as_view(), name="repair_open"),
    path("toestellen/<int:pk>/verplaatsen/", views.DeviceTransfer.as_view(), name="device_transfer"),
    path("toestellen/<int:pk>/recyclage/", views.DeviceRecycle.as_view(), name="device_recycle"),
    path("wissingen/<int:pk>/attest/", views.ErasureCertificate.as_view(), name="erasure_certificate"),
    path("herstellingen/", views.RepairList.as_view(), name="repairs"),
    path("herstellingen/<int:pk>/afsluiten/", views.RepairClose.as_view(), name="repair_close"),
    path("schenkers/", views.DonorList.as_view(), name="donors"),
    path("schenkers/<int:pk>/", views.DonorDetail.as_view(), name="donor"),
    path("ontvangst/", views.BatchList.as_view(), name="batches"),
    path("ontvangst/nieuw/", views.BatchCreate.as_view(), name="batch_new"),
    path("ontvangst/<int:pk>/", views.BatchDetail.as_view(), name="batch"),
    path("ontvangst/<int:pk>/etiketten/", views.BatchLabels.as_view(), name="batch_labels"),
    path("ontvangst/<int:pk>/attest/", views.BatchCertificate.as_view(), name="batch_certificate"),
    path("softwareprofielen/", views.SoftwareProfileList.as_view(), name="profiles"),
    path("recyclage/", views.CollectionList.as_view(), name="collections"),
    path("recyclage/<int:pk>/", views.CollectionDetail.as_view(), name="collection"),
    path("inventaris/", views.StockTakeList.as_view(), name="stocktakes"),
    path("inventaris/<int:pk>/", views.StockTakeDetail.as_view(), name="stocktake"),
    path("inventaris/<int:pk>/afsluiten/", views.StockTakeClose.as_view(), name="stocktake_close"),
]
