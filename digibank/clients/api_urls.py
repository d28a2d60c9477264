from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("clients", api.ClientViewSet)
router.register("consents", api.ConsentViewSet)
router.register("access-log", api.AccessLogViewSet)

urlpatterns = router.urls
