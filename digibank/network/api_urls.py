from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("municipalities", api.MunicipalityViewSet)
router.register("digibanks", api.DigibankViewSet)
router.register("partners", api.PartnerViewSet)
router.register("hubs", api.HubViewSet)
router.register("hub-exceptions", api.HubExceptionViewSet)
router.register("memberships", api.MembershipViewSet)

urlpatterns = [
    *router.urls,
    path("public/finder/", api.PublicFinderView.as_view(), name="api-public-finder"),
    path("coverage/", api.CoverageView.as_view(), name="api-coverage"),
    path("me/", api.MeView.as_view(), name="api-me"),
]
