"""Guidance's screens, under /staff/begeleiding/ (app_name "guidance")."""

from django.urls import path

from digibank.guidance.appointments import views as appointments_views
from digibank.guidance.contacts import views as contacts_views
from digibank.guidance.day import views as day_views
from digibank.guidance.e_services import views as e_services_views
from digibank.guidance.feedback import views as feedback_views
from digibank.guidance.helpers import views as helpers_views
from digibank.guidance.queue import views as queue_views
from digibank.guidance.referrals import views as referrals_views

app_name = "guidance"
urlpatterns = [
    path("vandaag/", day_views.HubDayView.as_view(), name="hub_day"),
    path("e-diensten/", e_services_views.EServiceList.as_view(), name="e_services"),
    path("e-diensten/nieuw/", e_services_views.EServiceCreate.as_view(), name="e_service_new"),
    path("e-diensten/<int:pk>/", e_services_views.EServiceEdit.as_view(), name="e_service"),
    path("contacten/", contacts_views.ContactList.as_view(), name="contacts"),
    path("contacten/nieuw/", contacts_views.ContactNew.as_view(), name="contact_new"),
    path("contacten/<int:pk>/", contacts_views.ContactDetail.as_view(), name="contact"),
    path("contacten/<int:pk>/annuleren/", contacts_views.ContactCancel.as_view(), name="contact_cancel"),
    path("opvolgingen/", contacts_views.FollowUpList.as_view(), name="follow_ups"),
    path("opvolgingen/<int:pk>/klaar/", contacts_views.FollowUpDone.as_view(), name="follow_up_done"),
    path("afspraken/", appointments_views.AgendaHubs.as_view(), name="agenda_hubs"),
    path("afspraken/knooppunt/<int:pk>/", appointments_views.HubAgenda.as_view(), name="agenda"),
    path("afspraken/knooppunt/<int:pk>/tijdsloten/", appointments_views.SlotsGenerate.as_view(), name="slots_generate"),
    path("afspraken/tijdslot/<int:pk>/intrekken/", appointments_views.SlotWithdraw.as_view(), name="slot_withdraw"),
    path("afspraken/tijdslot/<int:pk>/boeken/", appointments_views.BookForClient.as_view(), name="slot_book"),
    path("afspraken/<int:pk>/annuleren/", appointments_views.AppointmentCancel.as_view(), name="appointment_cancel"),
    path("afspraken/<int:pk>/gekomen/", appointments_views.AppointmentAttended.as_view(), name="appointment_attended"),
    path(
        "afspraken/<int:pk>/niet-gekomen/", appointments_views.AppointmentNoShow.as_view(), name="appointment_no_show"
    ),
    path("afspraken/agenda-adressen/", appointments_views.Feeds.as_view(), name="feeds"),
    path("afspraken/agenda-adressen/<int:pk>/intrekken/", appointments_views.FeedRevoke.as_view(), name="feed_revoke"),
    path("wachtrij/", queue_views.QueueHubs.as_view(), name="queue"),
    path("wachtrij/<int:pk>/", queue_views.QueueTake.as_view(), name="queue_take"),
    path("wachtrij/<int:pk>/balie/", queue_views.QueueDesk.as_view(), name="queue_desk"),
    path("wachtrij/<int:pk>/scherm/", queue_views.ScreenRenew.as_view(), name="queue_screen_renew"),
    path("wachtrij/nummer/<int:pk>/", queue_views.QueueTicketPage.as_view(), name="queue_ticket"),
    path("wachtrij/nummer/<int:pk>/geholpen/", queue_views.TicketServed.as_view(), name="queue_ticket_served"),
    path("wachtrij/nummer/<int:pk>/weg/", queue_views.TicketLeft.as_view(), name="queue_ticket_left"),
    path("digihelpers/", helpers_views.HelperList.as_view(), name="helpers"),
    path("digihelpers/nieuw/", helpers_views.HelperCreate.as_view(), name="helper_new"),
    path("digihelpers/<int:pk>/", helpers_views.HelperPage.as_view(), name="helper"),
    path("digihelpers/<int:pk>/tijden/", helpers_views.AvailabilityAdd.as_view(), name="helper_time_add"),
    path("digihelpers/tijden/<int:pk>/weg/", helpers_views.AvailabilityRemove.as_view(), name="helper_time_remove"),
    path("digihelpers/<int:pk>/uren/", helpers_views.HoursRecord.as_view(), name="helper_hours"),
    path("digihelpers/uren/", helpers_views.HoursOverview.as_view(), name="helpers_overview"),
    path("digihelpers/wie-helpt/", helpers_views.HelperFinder.as_view(), name="helper_finder"),
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
    path("e-diensten/feedback/", feedback_views.Feedback.as_view(), name="feedback"),
]
