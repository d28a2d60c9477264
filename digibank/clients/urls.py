from django.urls import path

from . import views

app_name = "clients"
urlpatterns = [
    path("", views.ClientSearch.as_view(), name="search"),
    path("nieuw/", views.ClientRegister.as_view(), name="register"),
    path("<int:pk>/", views.ClientDetail.as_view(), name="client"),
    path("<int:pk>/wijzig/", views.ClientUpdate.as_view(), name="client_update"),
    path("<int:pk>/kenmerken/", views.TraitsUpdate.as_view(), name="traits"),
    path("<int:pk>/tijdlijn/", views.ClientTimeline.as_view(), name="timeline"),
    path("<int:pk>/toestemming/", views.ConsentGive.as_view(), name="consent_give"),
    path("<int:pk>/kaart/", views.ClientCard.as_view(), name="card"),
    path("<int:pk>/export/", views.ClientExport.as_view(), name="export"),
    path("<int:pk>/wissen/", views.ClientErase.as_view(), name="erase"),
    path("toestemmingen/<int:pk>/intrekken/", views.ConsentWithdraw.as_view(), name="consent_withdraw"),
    path("toegangslog/", views.AccessLogList.as_view(), name="access_log"),
    path("privacyverklaring/", views.PrivacyNoticeCurrent.as_view(), name="notice"),
    path("privacyverklaring/<int:pk>/", views.PrivacyNoticeVersion.as_view(), name="notice_version"),
    path("bewaartermijn/", views.RetentionOverview.as_view(), name="retention"),
    path("<int:pk>/bewaren/", views.RetentionPostpone.as_view(), name="retention_postpone"),
]
