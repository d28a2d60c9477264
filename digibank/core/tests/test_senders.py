import json
import logging

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend

from digibank.core import senders
from digibank.core.senders import SendError, SmsBackend, SmsError, send_message, trim_sms

MOBILE = "+32470123456"
LANDLINE = "+3292345678"  # Gent, 09
EMAIL = "fatima@example.be"
HERE = "digibank.core.tests.test_senders"


class RecordingSmsBackend(SmsBackend):
    """A gateway backend as a provider's would be, loaded from settings by its dotted path."""

    sent: list[tuple[str, str]] = []

    def send(self, to, text):
        self.sent.append((to, text))


class RefusingSmsBackend(SmsBackend):
    def send(self, to, text):
        raise SmsError("gateway said 402: out of credit")


class CarelessSmsBackend(SmsBackend):
    """Breaks the contract: raises its own error instead of SmsError."""

    def send(self, to, text):
        raise ConnectionError("gateway unreachable")


class BrokenEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise OSError("SMTP server refused the connection")


@pytest.fixture(autouse=True)
def locmem_sms(settings):
    settings.SMS_BACKEND = "digibank.core.senders.LocmemSmsBackend"
    senders.outbox.clear()
    RecordingSmsBackend.sent = []


def send(**addresses):
    return send_message(subject="Uw laptop is klaar", text="U kunt hem ophalen in de digibank.", **addresses)


# Which channel


def test_a_mobile_number_gets_an_sms_even_when_there_is_an_email(mailoutbox):
    assert send(to_phone=MOBILE, to_email=EMAIL) == "sms"
    assert senders.outbox == [senders.SmsMessage(to=MOBILE, text="U kunt hem ophalen in de digibank.")]
    assert mailoutbox == []


def test_without_a_phone_the_client_gets_an_email(mailoutbox):
    assert send(to_email=EMAIL) == "email"
    assert senders.outbox == []
    [mail] = mailoutbox
    assert mail.to == [EMAIL]
    assert mail.subject == "Uw laptop is klaar"
    assert mail.body == "U kunt hem ophalen in de digibank."
    assert mail.from_email == "digibank <noreply@digibank.localhost>"


def test_without_any_address_nothing_is_sent(mailoutbox):
    assert send() == ""
    assert send(to_phone="  ", to_email=" ") == ""
    assert senders.outbox == []
    assert mailoutbox == []


def test_a_landline_gets_no_sms_but_the_email_goes(mailoutbox):
    assert send(to_phone=LANDLINE, to_email=EMAIL) == "email"
    assert senders.outbox == []
    assert len(mailoutbox) == 1


def test_a_landline_alone_is_no_address_to_write_to(mailoutbox):
    assert send(to_phone=LANDLINE) == ""
    assert senders.outbox == []
    assert mailoutbox == []


def test_a_failed_sms_falls_back_to_email(settings, mailoutbox, caplog):
    settings.SMS_BACKEND = f"{HERE}.RefusingSmsBackend"
    with caplog.at_level(logging.WARNING, logger="digibank.core.senders"):
        assert send(to_phone=MOBILE, to_email=EMAIL) == "email"
    assert len(mailoutbox) == 1
    assert "out of credit" in caplog.text


def test_without_a_gateway_the_email_goes_silently(settings, mailoutbox, caplog):
    settings.SMS_BACKEND = ""
    with caplog.at_level(logging.WARNING, logger="digibank.core.senders"):
        assert send(to_phone=MOBILE, to_email=EMAIL) == "email"
    assert len(mailoutbox) == 1
    assert caplog.records == []


def test_without_a_gateway_a_phone_alone_is_a_failure(settings):
    settings.SMS_BACKEND = ""
    with pytest.raises(SmsError, match="No SMS gateway"):
        send(to_phone=MOBILE)


# Errors


def test_a_failed_sms_without_email_raises_sms_error(settings):
    settings.SMS_BACKEND = f"{HERE}.RefusingSmsBackend"
    with pytest.raises(SmsError, match="out of credit") as raised:
        send(to_phone=MOBILE)
    assert isinstance(raised.value, SendError)


def test_a_backend_raising_its_own_error_still_gives_sms_error(settings):
    settings.SMS_BACKEND = f"{HERE}.CarelessSmsBackend"
    with pytest.raises(SmsError, match="gateway unreachable") as raised:
        send(to_phone=MOBILE)
    assert isinstance(raised.value.__cause__, ConnectionError)


def test_a_failed_email_raises_send_error_not_sms_error(settings):
    settings.EMAIL_BACKEND = f"{HERE}.BrokenEmailBackend"
    with pytest.raises(SendError, match="refused the connection") as raised:
        send(to_email=EMAIL)
    assert not isinstance(raised.value, SmsError)


def test_when_sms_and_email_both_fail_the_error_names_both(settings):
    settings.SMS_BACKEND = f"{HERE}.RefusingSmsBackend"
    settings.EMAIL_BACKEND = f"{HERE}.BrokenEmailBackend"
    with pytest.raises(SendError, match="out of credit.*refused the connection"):
        send(to_phone=MOBILE, to_email=EMAIL)


@pytest.mark.parametrize("phone", ["0470123456", "+32800123456", "not a number"])
def test_a_number_not_in_e164_is_refused(phone):
    with pytest.raises(SmsError):
        send(to_phone=phone)
    assert senders.outbox == []


def test_a_number_not_in_e164_falls_back_to_email(mailoutbox):
    assert send(to_phone="0470123456", to_email=EMAIL) == "email"
    assert len(mailoutbox) == 1


def test_a_backend_path_that_does_not_import_is_a_configuration_error(settings):
    settings.SMS_BACKEND = f"{HERE}.NoSuchBackend"
    with pytest.raises(ImproperlyConfigured, match="NoSuchBackend"):
        send(to_phone=MOBILE, to_email=EMAIL)


def test_a_line_break_in_the_subject_does_not_stop_the_email(mailoutbox):
    send_message(to_email=EMAIL, subject="Uw laptop\nis klaar", text="Tot morgen.")
    assert mailoutbox[0].subject == "Uw laptop is klaar"


# Backends


def test_a_gateway_backend_is_loaded_from_settings(settings):
    settings.SMS_BACKEND = f"{HERE}.RecordingSmsBackend"
    assert send(to_phone=MOBILE) == "sms"
    assert RecordingSmsBackend.sent == [(MOBILE, "U kunt hem ophalen in de digibank.")]
    assert senders.outbox == []


def test_the_file_backend_appends_one_json_line_per_message(settings, tmp_path):
    settings.SMS_BACKEND = "digibank.core.senders.FileSmsBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms"
    send_message(to_phone=MOBILE, subject="", text="Uw afspraak is morgen om 10 uur.")
    send_message(to_phone="+31612345678", subject="", text="Ihr Termin: België, morgen.")
    lines = (tmp_path / "sms" / "sms.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["to"] for line in lines] == [MOBILE, "+31612345678"]
    first, second = (json.loads(line) for line in lines)
    assert first["text"] == "Uw afspraak is morgen om 10 uur."
    assert second["text"] == "Ihr Termin: België, morgen."
    assert "België" in lines[1]  # readable, not \u00eb
    assert first["sent_at"]


def test_the_file_backend_reports_a_directory_it_cannot_write(settings, tmp_path):
    (tmp_path / "sms").write_text("a file where the directory should be")
    settings.SMS_BACKEND = "digibank.core.senders.FileSmsBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms"
    with pytest.raises(SmsError, match="Could not write"):
        send(to_phone=MOBILE)


def test_the_console_backend_prints_the_message(settings, capsys):
    settings.SMS_BACKEND = "digibank.core.senders.ConsoleSmsBackend"
    send(to_phone=MOBILE)
    printed = capsys.readouterr().out
    assert f"SMS to {MOBILE}\nU kunt hem ophalen in de digibank.\n" in printed


# Trimming


def _segments_of(text):
    """How many segments a text costs: GSM-7 at 153 per segment, otherwise UCS-2 at 67."""
    gsm = senders._GSM7 | senders._GSM7_EXTENDED
    if all(ch in gsm for ch in text):
        return -(-(len(text) + sum(ch in senders._GSM7_EXTENDED for ch in text)) // 153)
    return -(-(len(text.encode("utf-16-le")) // 2) // 67)


def _assert_cut_between_words(original, trimmed):
    kept = trimmed.removesuffix("...")
    assert trimmed.endswith("...")
    assert original.startswith(kept)
    assert original[len(kept)].isspace()


def test_a_short_text_is_left_alone():
    assert trim_sms("  Uw laptop is klaar.\n") == "Uw laptop is klaar."


def test_a_long_text_is_cut_between_words_to_three_segments():
    text = " ".join(f"woord{i}" for i in range(200))
    trimmed = trim_sms(text)
    assert len(trimmed) <= 459
    assert len(trimmed) > 440
    assert _segments_of(trimmed) == 3
    _assert_cut_between_words(text, trimmed)


def test_a_text_outside_gsm_is_cut_to_three_shorter_segments():
    text = "Welkom in de digibank van België. " * 20
    trimmed = trim_sms(text)
    assert len(trimmed) <= 201
    assert _segments_of(trimmed) == 3
    _assert_cut_between_words(text, trimmed)


def test_characters_that_take_two_places_are_counted_twice():
    text = "Prijs: 5 € per maand. " * 40  # € is in GSM-7, as an escaped pair
    trimmed = trim_sms(text)
    assert _segments_of(trimmed) <= 3
    _assert_cut_between_words(text, trimmed)


def test_one_very_long_word_is_cut_inside_it():
    link = "https://digibank.example/afspraak?token=" + "x" * 600
    trimmed = trim_sms(f"Klik {link}")
    assert len(trimmed) == 459
    assert trimmed.startswith("Klik https://digibank.example/")


def test_the_sms_is_trimmed_but_the_email_keeps_the_whole_text(mailoutbox):
    text = "Beste, " + "uw toestel staat klaar in de digibank. " * 30
    send_message(to_phone=MOBILE, subject="Klaar", text=text)
    send_message(to_email=EMAIL, subject="Klaar", text=text)
    assert senders.outbox[0].text == trim_sms(text)
    assert len(senders.outbox[0].text) <= 459
    assert mailoutbox[0].body == text
