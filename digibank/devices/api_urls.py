from django.urls import path
from rest_framework.routers import SimpleRouter

from digibank.devices.intake import api as intake_api
from digibank.devices.lending import api as lending_api
from digibank.devices.refurbishment import api as refurbishment_api
from digibank.devices.stock import api as stock_api
from digibank.devices.waiting_list import api as waiting_list_api
from digibank.devices.workbench import api as workbench_api

router = SimpleRouter()
router.register("donors", intake_api.DonorViewSet)
router.register("intake-batches", intake_api.IntakeBatchViewSet)
router.register("software-profiles", refurbishment_api.SoftwareProfileViewSet)
router.register("collections", refurbishment_api.CollectionViewSet)
router.register("devices", workbench_api.DeviceViewSet)
router.register("loans", lending_api.LoanViewSet)
router.register("incidents", lending_api.IncidentViewSet)
router.register("device-requests", waiting_list_api.DeviceRequestViewSet)
router.register("offers", waiting_list_api.OfferViewSet)
router.register("erasures", refurbishment_api.ErasureViewSet, basename="erasure")
router.register("repairs", refurbishment_api.RepairTicketViewSet, basename="repair")
router.register("agreements", lending_api.AgreementViewSet, basename="agreement")
router.register("stocktakes", stock_api.StockTakeViewSet, basename="stocktake")

urlpatterns = [
    *router.urls,
    path("lending-rules/", lending_api.LendingRulesView.as_view(), name="api-lending-rules"),
    path("partner-bookings/", lending_api.PartnerBookingView.as_view(), name="api-partner-bookings"),
    path("stock/", stock_api.StockView.as_view(), name="api-stock"),
]
