import pytest

from digibank.clients.card import client_card_pdf, client_card_svg_codes
from digibank.clients.tests.factories import ClientFactory

from .pdf import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


def test_card_is_a_credit_card_sized_pdf_with_the_name_and_number(digibank_a):
    client = ClientFactory(digibank=digibank_a, first_name="Sébastien", last_name="Van den Broeck")
    pdf = client_card_pdf(client)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert client.number in text
    assert "Sébastien Van den Broeck" in text and "Digibank Gent" in text
    [(width, height)] = pdf_pages(pdf)  # one page
    assert (round(width / 72 * 25.4, 1), round(height / 72 * 25.4, 1)) == (85.6, 54.0)


def test_card_codes_are_inline_svg_of_the_number(digibank_a):
    client = ClientFactory(digibank=digibank_a)
    qr, bars = client_card_svg_codes(client)
    assert qr.startswith("<svg") and f"<title>{client.number}</title>" in qr
    assert bars.startswith("<svg") and "<?xml" not in bars and "DOCTYPE" not in bars
    assert bars.count("<rect") > 20  # the bars themselves
