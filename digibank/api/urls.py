from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.authtoken.views import obtain_auth_token

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("v1/auth/token/", obtain_auth_token, name="api-token"),
    path("v1/", include("digibank.network.api_urls")),
    path("v1/", include("digibank.clients.api_urls")),
    path("v1/", include("digibank.devices.api_urls")),
    path("v1/", include("digibank.guidance.api_urls")),
    path("v1/", include("digibank.impact.api_urls")),
]
