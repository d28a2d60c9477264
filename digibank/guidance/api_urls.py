from rest_framework.routers import SimpleRouter

from digibank.guidance.e_services import api as e_services_api

router = SimpleRouter()
router.register("e-services", e_services_api.EServiceViewSet)

urlpatterns = [*router.urls]
