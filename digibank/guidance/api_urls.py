from rest_framework.routers import SimpleRouter

from digibank.guidance.e_services import api as e_services_api
from digibank.guidance.helpers import api as helpers_api

router = SimpleRouter()
router.register("e-services", e_services_api.EServiceViewSet)
router.register("digihelpers", helpers_api.DigihelperViewSet)
router.register("helper-hours", helpers_api.HelperHoursViewSet)

urlpatterns = [*router.urls]
