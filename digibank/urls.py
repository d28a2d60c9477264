from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from digibank.core import views as core_views

urlpatterns = [
    path("", include("digibank.public.urls")),
    path("staff/clienten/", include("digibank.clients.urls")),
    path("staff/toestellen/", include("digibank.devices.urls")),
    path("staff/begeleiding/", include("digibank.guidance.urls")),
    path("wachtkamer/", include("digibank.guidance.queue.screen_urls")),
    path("staff/", include("digibank.impact.urls")),
    path("staff/", include("digibank.network.urls")),
    path("api/", include("digibank.api.urls")),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("wachtwoord/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("wachtwoord/verstuurd/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("wachtwoord/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("wachtwoord/klaar/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("health/", core_views.health, name="health"),
    path("favicon.ico", core_views.favicon, name="favicon"),
]

handler404 = "digibank.core.api.not_found"
