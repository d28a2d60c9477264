from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("donors", api.DonorViewSet)
router.register("intake-batches", api.IntakeBatchViewSet)
router.register("software-profiles", api.SoftwareProfileViewSet)
router.register("collections", api.CollectionViewSet)
router.register("devices", api.DeviceViewSet)
router.register("loans", api.LoanViewSet)
router.register("incidents", api.IncidentViewSet)
router.register("device-requests", api.DeviceRequestViewSet)
router.register("offers", api.OfferViewSet)
router.register("erasures", api.ErasureViewSet, basename="erasure")
router.register("repairs", api.RepairTicketViewSet, basename="repair")
router.register("agreements", api.AgreementViewSet, basename="agreement")
router.register("stocktakes", api.StockTakeViewSet, basename="stocktake")

urlpatterns = [
    *router.urls,
    path("lending-rules/", api.LendingRulesView.as_view(), name="api-lending-rules"),
    path("partner-bookings/", api.PartnerBookingView.as_view(), name="api-partner-bookings"),
    path("stock/", api.StockView.as_view(), name="api-stock"),
]
