from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api
from .api_figures import urlpatterns as figures_urlpatterns

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

urlpatterns = [
    *router.urls,
    path("lending-rules/", api.LendingRulesView.as_view(), name="api-lending-rules"),
    *figures_urlpatterns,
]
