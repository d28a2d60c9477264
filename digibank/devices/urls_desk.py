"""The desk's screens of the device bank, under /staff/toestellen/ (app_name "devices")."""

from django.urls import path

from .views import desk

urlpatterns: list = [
    path("balie/", desk.Desk.as_view(), name="desk"),
    path("balie/terugnemen/", desk.TakeBack.as_view(), name="take_back"),
    path("uitleningen/", desk.LoanList.as_view(), name="loans"),
    path("uitleningen/<int:pk>/", desk.LoanDetail.as_view(), name="loan"),
    path("uitleningen/<int:pk>/overeenkomst.pdf", desk.LoanAgreementPdf.as_view(), name="loan_agreement"),
    path("uitleningen/<int:pk>/ondertekenen/", desk.LoanSign.as_view(), name="loan_sign"),
    path("uitleningen/<int:pk>/verlengen/", desk.LoanExtend.as_view(), name="loan_extend"),
    path("uitleningen/<int:pk>/melden/", desk.LoanReport.as_view(), name="loan_report"),
    path("uitleningen/<int:pk>/schenken/", desk.LoanHandOver.as_view(), name="loan_hand_over"),
    path("uitleningen/<int:pk>/terugnemen/", desk.CheckIn.as_view(), name="checkin"),
    path("uitleningen/<int:pk>/meegeven/", desk.LoanStart.as_view(), name="loan_start"),
    path("uitleningen/<int:pk>/waarborg-betaald/", desk.LoanDepositPaid.as_view(), name="loan_deposit_paid"),
    path("uitleningen/<int:pk>/annuleren/", desk.LoanCancel.as_view(), name="reservation_cancel"),
    path("reserveren/", desk.BookingNew.as_view(), name="booking_new"),
    path("incidenten/", desk.IncidentList.as_view(), name="incidents"),
    path("incidenten/<int:pk>/", desk.IncidentDetail.as_view(), name="incident"),
    path("wachtlijst/", desk.RequestList.as_view(), name="requests"),
    path("wachtlijst/<int:pk>/", desk.RequestDetail.as_view(), name="request"),
    path("wachtlijst/<int:pk>/verplaatsen/", desk.RequestMove.as_view(), name="request_move"),
    path("wachtlijst/<int:pk>/intrekken/", desk.RequestWithdraw.as_view(), name="request_withdraw"),
    path("aanbiedingen/", desk.OfferList.as_view(), name="offers"),
    path("aanbiedingen/<int:pk>/geweigerd/", desk.OfferDecline.as_view(), name="offer_decline"),
    path("regels/", desk.Rules.as_view(), name="rules"),
    path("regels/overeenkomst/", desk.AgreementPublish.as_view(), name="agreement_publish"),
]
