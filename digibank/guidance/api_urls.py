from rest_framework.routers import SimpleRouter

from digibank.guidance.e_services import api as e_services_api
from digibank.guidance.queue import api as queue_api

router = SimpleRouter()
router.register("e-services", e_services_api.EServiceViewSet)
router.register("queue-tickets", queue_api.QueueTicketViewSet)

urlpatterns = [*router.urls]
