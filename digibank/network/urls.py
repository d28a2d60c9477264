from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("", views.Home.as_view(), name="home"),
    path("kies/", views.Choose.as_view(), name="choose"),
    path("partners/", views.PartnerList.as_view(), name="partners"),
    path("partners/nieuw/", views.PartnerCreate.as_view(), name="partner_create"),
    path("partners/<int:pk>/", views.PartnerDetail.as_view(), name="partner"),
    path("partners/<int:pk>/wijzig/", views.PartnerUpdate.as_view(), name="partner_update"),
    path("knooppunten/", views.HubList.as_view(), name="hubs"),
    path("knooppunten/nieuw/", views.HubCreate.as_view(), name="hub_create"),
    path("knooppunten/<int:pk>/", views.HubDetail.as_view(), name="hub"),
    path("knooppunten/<int:pk>/wijzig/", views.HubUpdate.as_view(), name="hub_update"),
    path("knooppunten/<int:pk>/uitzondering/", views.HubExceptionCreate.as_view(), name="hub_exception_create"),
    path("uitzonderingen/<int:pk>/verwijder/", views.HubExceptionRemove.as_view(), name="hub_exception_remove"),
    path("instellingen/", views.DigibankSettings.as_view(), name="settings"),
    path("rollen/", views.MembershipList.as_view(), name="members"),
    path("rollen/nieuw/", views.MembershipCreate.as_view(), name="member_create"),
    path("rollen/<int:pk>/beeindig/", views.MembershipEnd.as_view(), name="member_end"),
    path("departement/", views.DepartmentOverview.as_view(), name="department"),
    path("departement/digibanken/nieuw/", views.DepartmentDigibankStart.as_view(), name="department_start"),
    path("departement/digibanken/<int:pk>/fase/", views.DepartmentDigibankPhase.as_view(), name="department_phase"),
    path("departement/digibanken/<int:pk>/", views.DepartmentDigibank.as_view(), name="department_digibank"),
    path("departement/dekking/", views.Coverage.as_view(), name="coverage"),
]
