"""Guidance's screens, under /staff/begeleiding/ (app_name "guidance")."""

from django.urls import path

from digibank.guidance.e_services import views as e_services_views
from digibank.guidance.referrals import views as referrals_views

app_name = "guidance"
urlpatterns = [
    path("e-diensten/", e_services_views.EServiceList.as_view(), name="e_services"),
    path("e-diensten/nieuw/", e_services_views.EServiceCreate.as_view(), name="e_service_new"),
    path("e-diensten/<int:pk>/", e_services_views.EServiceEdit.as_view(), name="e_service"),
    path("doorverwijzingen/", referrals_views.ReferralList.as_view(), name="referrals"),
    path("doorverwijzingen/nieuw/", referrals_views.ReferralCreate.as_view(), name="referral_new"),
    path("doorverwijzingen/code/", referrals_views.ReferralByCode.as_view(), name="referral_by_code"),
    path("doorverwijzingen/instellingen/", referrals_views.ReferralSettingsEdit.as_view(), name="referral_settings"),
    path("doorverwijzingen/<int:pk>/", referrals_views.ReferralDetail.as_view(), name="referral"),
    path("doorverwijzingen/<int:pk>/aanvaarden/", referrals_views.ReferralAccept.as_view(), name="referral_accept"),
    path("doorverwijzingen/<int:pk>/plannen/", referrals_views.ReferralPlan.as_view(), name="referral_plan"),
    path("doorverwijzingen/<int:pk>/afronden/", referrals_views.ReferralComplete.as_view(), name="referral_complete"),
    path("doorverwijzingen/<int:pk>/weigeren/", referrals_views.ReferralDecline.as_view(), name="referral_decline"),
    path("doorverwijzingen/<int:pk>/intrekken/", referrals_views.ReferralWithdraw.as_view(), name="referral_withdraw"),
    path("doorverwijzingen/<int:pk>/notities/", referrals_views.ReferralNotes.as_view(), name="referral_notes"),
    path("doorverwijzingen/<int:pk>/koppelen/", referrals_views.ReferralLink.as_view(), name="referral_link"),
    path("doorverwijzingen/<int:pk>/strookje/", referrals_views.ReferralSlip.as_view(), name="referral_slip"),
]
