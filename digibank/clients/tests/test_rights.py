import datetime as dt
import json

import pytest

from digibank.clients import rights, services
from digibank.clients.models import AccessLog, Consent

from .pdf import pdf_text

pytestmark = pytest.mark.django_db


def register(digibank, actor, **overrides):
    fields = {
        "first_name": "Sébastien",
        "last_name": "Van den Broeck",
        "birth_date": dt.date(1961, 3, 5),
        "postal_code": "9000",
        "phone": "0470 12 34 56",
        "email": "seb.vdb@example.be",
    }
    return services.client_register(digibank=digibank, actor=actor, **{**fields, **overrides})


PERSONAL = ["Sébastien", "Van den Broeck", "sebastien", "+32470123456", "470 12 34 56", "seb.vdb", "1961-03-05"]


def test_json_export_holds_everything_about_the_person(digibank_a, bob):
    client = register(digibank_a, bob, traits={"income": "leefloon"}, consents=(Consent.Scope.TRAITS,))
    services.record_event(client=client, kind="contact", actor=bob, summary="hulp bij itsme")

    data = rights.export_json(client, actor=bob)

    json.dumps(data)  # plain JSON values only
    details = data["client"]
    assert (details["first_name"], details["last_name"]) == ("Sébastien", "Van den Broeck")
    assert (details["phone"], details["email"], details["birth_date"]) == (
        "+32470123456",
        "seb.vdb@example.be",
        "1961-03-05",
    )
    assert details["municipality"] == "Gent" and details["registered_by"] == "Bob Peeters"
    assert sorted((c["scope"], c["notice_version"], c["recorded_by"]) for c in data["consents"]) == [
        ("registration", 1, "Bob Peeters"),
        ("traits", 1, "Bob Peeters"),
    ]
    assert data["traits"]["income"]["value"] == "leefloon"
    assert [(e["kind"], e["summary"]) for e in data["events"]] == [("registered", ""), ("contact", "hulp bij itsme")]
    assert [(line["action"], line["who"]) for line in data["access_log"]] == [("create", "Bob Peeters")]


def test_every_export_is_logged_with_who_made_it(digibank_a, bob):
    client = register(digibank_a, bob)
    rights.export_json(client, actor=bob)
    rights.export_html(client, actor=bob)
    rights.export_pdf(client, actor=bob)
    lines = AccessLog.objects.filter(client=client, action=AccessLog.Action.EXPORT, actor=bob)
    assert sorted(lines.values_list("what", flat=True)) == ["export html", "export json", "export pdf"]
    # The next export shows the earlier ones: the person sees who printed their data.
    assert [line["what"] for line in rights.export_json(client)["access_log"] if line["action"] == "export"] == [
        "export json",
        "export html",
        "export pdf",
    ]


def test_html_export_is_a_readable_page_in_dutch(digibank_a, bob):
    client = register(digibank_a, bob)
    html = rights.export_html(client, actor=bob)
    assert "Sébastien" in html and "+32470123456" in html and client.number in html
    assert "Wat de digibank over u weet" in html and "Wie heeft uw gegevens bekeken" in html
    assert "<script" not in html and "http" not in html.split("<body>")[1]  # printable, self-contained


def test_pdf_export_holds_the_same_as_the_page(digibank_a, bob):
    client = register(digibank_a, bob)
    pdf = rights.export_pdf(client, actor=bob)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert client.number in text and "Van den Broeck" in text and "seb.vdb@example.be" in text


def test_export_of_an_anonymised_client_holds_no_personal_data(digibank_a, bob):
    client = register(digibank_a, bob, traits={"education": "higher"}, consents=(Consent.Scope.TRAITS,))
    services.record_event(client=client, kind="contact", actor=bob, summary="Sébastien belde over zijn gsm")
    services.client_anonymise(client=client, actor=bob, reason="op vraag van de persoon")

    data = rights.export_json(client, actor=bob)
    dumped = json.dumps(data, ensure_ascii=False).lower()
    html = rights.export_html(client, actor=bob).lower()
    for value in PERSONAL:
        assert value.lower() not in dumped and value.lower() not in html, value
    assert data["client"]["status"] == "anonymised" and data["traits"] is None
    assert len(data["events"]) == 2  # the journey stays, without its notes
    assert "verwijderd" in html  # the page says what happened
