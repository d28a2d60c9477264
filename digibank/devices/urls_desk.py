"""The desk's screens of the device bank, under /staff/toestellen/ (app_name "devices")."""

from django.urls import path

from digibank.devices.lending import incident_views as lending_incident_views
from digibank.devices.lending import rules_views as lending_rules_views
from digibank.devices.lending import views as lending_views
from digibank.devices.waiting_list import views as waiting_list_views

urlpatterns: list = [
    path("balie/", lending_views.Desk.as_view(), name="desk"),
    path("balie/terugnemen/", lending_views.TakeBack.as_view(), name="take_back"),
    path("uitleningen/", lending_views.LoanList.as_view(), name="loans"),
    path("uitleningen/<int:pk>/", lending_views.LoanDetail.as_view(), name="loan"),
    path("uitleningen/<int:pk>/overeenkomst.pdf", lending_views.LoanAgreementPdf.as_view(), name="loan_agreement"),
    path("uitleningen/<int:pk>/ondertekenen/", lending_views.LoanSign.as_view(), name="loan_sign"),
    path("uitleningen/<int:pk>/verlengen/", lending_views.LoanExtend.as_view(), name="loan_extend"),
    path("uitleningen/<int:pk>/melden/", lending_views.LoanReport.as_view(), name="loan_report"),
    path("uitleningen/<int:pk>/schenken/", lending_views.LoanHandOver.as_view(), name="loan_hand_over"),
    path("uitleningen/<int:pk>/terugnemen/", lending_views.CheckIn.as_view(), name="checkin"),
    path("uitleningen/<int:pk>/meegeven/", lending_views.LoanStart.as_view(), name="loan_start"),
    path("uitleningen/<int:pk>/waarborg-betaald/", lending_views.LoanDepositPaid.as_view(), name="loan_deposit_paid"),
    path("uitleningen/<int:pk>/annuleren/", lending_views.LoanCancel.as_view(), name="reservation_cancel"),
    path("reserveren/", lending_rules_views.BookingNew.as_view(), name="booking_new"),
    path("incidenten/", lending_incident_views.IncidentList.as_view(), name="incidents"),
    path("incidenten/<int:pk>/", lending_incident_views.IncidentDetail.as_view(), name="incident"),
    path("wachtlijst/", waiting_list_views.RequestList.as_view(), name="requests"),
    path("wachtlijst/<int:pk>/", waiting_list_views.RequestDetail.as_view(), name="request"),
    path("wachtlijst/<int:pk>/verplaatsen/", waiting_list_views.RequestMove.as_view(), name="request_move"),
    path("wachtlijst/<int:pk>/intrekken/", waiting_list_views.RequestWithdraw.as_view(), name="request_withdraw"),
    path("aanbiedingen/", waiting_list_views.OfferList.as_view(), name="offers"),
    path("aanbiedingen/<int:pk>/geweigerd/", waiting_list_views.OfferDecline.as_view(), name="offer_decline"),
    path("regels/", lending_rules_views.Rules.as_view(), name="rules"),
    path("regels/overeenkomst/", lending_rules_views.AgreementPublish.as_view(), name="agreement_publish"),
]
