"""Messages to clients: one call, `send_message`, that tells a client by SMS or by e-mail.

Which channel
    SMS when the client has a mobile number (many clients read texts but have no e-mail habit), else
    e-mail. When the SMS fails and there is an e-mail address, the message goes by e-mail instead. A
    landline is no SMS address. `send_message` returns the channel used, "sms" or "email", or "" when
    the client has no address we can write to; the caller then phones or waits for the visit. A failure
    raises `SendError` (`SmsError` for the SMS side); the caller decides what that means for its workflow.
    `send_message` sends at once: a service calls it from `transaction.on_commit` or a job, never while
    it holds locks.

E-mail
    Goes through Django's mail framework, so settings.EMAIL_BACKEND decides: console in development,
    SMTP (EMAIL_HOST and friends from the environment) in production, locmem in tests.

SMS
    Goes through the backend class named by settings.SMS_BACKEND (a dotted path); an empty setting means
    no SMS gateway: clients are told by e-mail. Built in are `ConsoleSmsBackend` (development, prints),
    `FileSmsBackend` (one JSON line per message in settings.SMS_FILE_PATH/sms.jsonl) and
    `LocmemSmsBackend` (tests: messages land in the module-level list `outbox`; clear it in place with
    `senders.outbox.clear()`, do not rebind it).

Writing a backend for an SMS gateway
    A backend is a class that can be made without arguments and has `send(self, to: str, text: str) ->
    None`. Subclass `SmsBackend` to say so. It reads its own settings (token, sender name) in
    `__init__`; a new instance is made for every message, so keep that cheap.

    - `to` is one mobile number in E.164 ("+32470123456"); `text` is already trimmed by `trim_sms` to
      at most three SMS segments. Send it as it is.
    - Return only once the gateway has accepted the message. On any failure (refused, timeout, quota)
      raise `SmsError` with a message a developer can act on; anything else it raises is wrapped in
      `SmsError` too. Set a timeout on every network call.
    - Then point the setting at it, e.g. SMS_BACKEND=digibank_sms.AcmeSmsBackend in the environment.

    For example::

        import requests
        from django.conf import settings

        from digibank.core.senders import SmsBackend, SmsError


        class AcmeSmsBackend(SmsBackend):
            def __init__(self) -> None:
                self.token = settings.ACME_SMS_TOKEN  # read from the environment in settings.py

            def send(self, to: str, text: str) -> None:
                try:
                    response = requests.post(
                        "https://api.acme.example/v1/messages",
                        json={"from": "Digibank", "to": to, "body": text},
                        headers={"Authorization": f"Bearer {self.token}"},
                        timeout=10,
                    )
                    response.raise_for_status()
                except requests.RequestException as error:
                    raise SmsError(f"Acme did not take the SMS: {error}") from error
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import phonenumbers
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

SMS_MAX_SEGMENTS = 3
ELLIPSIS = "..."  # three dots, not "…": one character outside GSM-7 makes the whole text cost twice as much

# GSM 03.38: texts made of these travel at 153 characters per segment, anything else as UCS-2 at 67.
_GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = set("^{}\\[~]|€\f")  # these take two places each
_SMS_CAPABLE = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


class SendError(Exception):
    """A message could not be sent. The caller decides whether that stops its workflow."""


class SmsError(SendError):
    """An SMS could not be sent: raised by SMS backends, and for a number that is not E.164."""


class SmsBackend:
    """The interface of an SMS backend; see the module docstring for how to write one."""

    def send(self, to: str, text: str) -> None:
        """Send `text` to the E.164 number `to`, or raise SmsError."""
        raise NotImplementedError


class ConsoleSmsBackend(SmsBackend):
    """Development: prints each message, like Django's console mail backend."""

    _lock = threading.Lock()

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, to: str, text: str) -> None:
        stream = self.stream or sys.stdout
        with self._lock:
            stream.write(f"SMS to {to}\n{text}\n{'-' * 79}\n")
            stream.flush()


class FileSmsBackend(SmsBackend):
    """Development: appends one JSON line per message to sms.jsonl in settings.SMS_FILE_PATH."""

    filename = "sms.jsonl"

    def __init__(self, directory: str | Path | None = None) -> None:
        directory = directory or getattr(settings, "SMS_FILE_PATH", None)
        if not directory:
            raise ImproperlyConfigured("FileSmsBackend needs settings.SMS_FILE_PATH, a directory.")
        self.path = Path(directory) / self.filename

    def send(self, to: str, text: str) -> None:
        line = json.dumps({"sent_at": timezone.now().isoformat(), "to": to, "text": text}, ensure_ascii=False)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as file:
                file.write(line + "\n")
        except OSError as error:
            raise SmsError(f"Could not write the SMS to {self.path}: {error}") from error


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str


outbox: list[SmsMessage] = []


class LocmemSmsBackend(SmsBackend):
    """Tests: keeps each message in `outbox`, like django.core.mail.outbox."""

    def send(self, to: str, text: str) -> None:
        outbox.append(SmsMessage(to=to, text=text))


def get_sms_backend() -> SmsBackend | None:
    """The backend settings.SMS_BACKEND names, or None when SMS is switched off (an empty setting)."""
    path = getattr(settings, "SMS_BACKEND", "")
    if not path:
        return None
    try:
        backend_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(f"settings.SMS_BACKEND {path!r} cannot be imported: {error}") from error
    backend: SmsBackend = backend_class()
    return backend


def trim_sms(text: str) -> str:
    """The text cut on a word boundary, with "...", so that it fits in SMS_MAX_SEGMENTS segments."""
    text = text.strip()
    if all(ch in _GSM7 or ch in _GSM7_EXTENDED for ch in text):
        budget = 153 * SMS_MAX_SEGMENTS
        used = len(text) + sum(ch in _GSM7_EXTENDED for ch in text)
    else:
        budget = 67 * SMS_MAX_SEGMENTS
        used = len(text.encode("utf-16-le")) // 2  # an emoji takes two places
    if used <= budget:
        return text
    # Characters that take two places anywhere in the text may all be in the part we keep.
    room = budget - (used - len(text)) - len(ELLIPSIS)
    head = text[: room + 1]  # one more: a space just after the room means the cut falls between words
    spaces = [match.start() for match in re.finditer(r"\s", head)]
    cut = spaces[-1] if spaces and spaces[-1] >= room // 2 else room  # one very long word (a link): cut it
    return head[:cut].rstrip(" \t\r\n,;:-") + ELLIPSIS


def _takes_sms(phone: str) -> bool:
    """Whether an E.164 number can receive an SMS: False for a landline, SmsError when it is no E.164.
    The errors leave the number out: they end up in logs."""
    try:
        number = phonenumbers.parse(phone, None)
    except phonenumbers.NumberParseException as error:
        raise SmsError("The phone number is not in E.164 (+32470123456).") from error
    if not phonenumbers.is_valid_number(number):
        raise SmsError("The phone number is not a valid number.")
    return phonenumbers.number_type(number) in _SMS_CAPABLE


def _send_sms(to: str, text: str, *, email_too: bool) -> bool:
    """True when the SMS was sent; False when this number (a landline) or this install (no gateway) takes
    none and e-mail can go instead."""
    if not _takes_sms(to):
        return False
    backend = get_sms_backend()
    if backend is None:
        if email_too:
            return False
        raise SmsError("No SMS gateway is configured (settings.SMS_BACKEND is empty).")
    try:
        backend.send(to, trim_sms(text))
    except SmsError:
        raise
    except Exception as error:  # a gateway that forgot the contract still gives the caller one error type
        raise SmsError(f"{type(backend).__name__} failed: {error}") from error
    return True


def _send_email(to: str, subject: str, text: str) -> None:
    subject = " ".join(subject.split())  # a line break in a subject is refused by Django as a header injection
    try:
        EmailMessage(subject=subject, body=text, to=[to]).send(fail_silently=False)
    except Exception as error:  # smtplib, socket or a third-party backend: one error type for the caller
        raise SendError(f"The e-mail could not be sent: {error}") from error


def send_message(*, to_email: str = "", to_phone: str = "", subject: str, text: str) -> str:
    """Tell a client: by SMS to a mobile `to_phone` (E.164), else, or when the SMS fails, by e-mail.

    Returns "sms" or "email", the channel that took the message, or "" when there is no address to
    write to (no e-mail, and no phone or a landline): nothing was sent. Raises SendError (SmsError
    when only the SMS was possible) when the message could not be sent. The SMS carries `text` only,
    trimmed to three segments; the e-mail carries `subject` and the whole `text`."""
    to_email, to_phone = to_email.strip(), to_phone.strip()
    sms_error: SmsError | None = None
    if to_phone:
        try:
            if _send_sms(to_phone, text, email_too=bool(to_email)):
                return "sms"
        except SmsError as error:
            if not to_email:
                raise
            sms_error = error
            logger.warning("SMS not sent, sending by e-mail instead: %s", error)
    if not to_email:
        return ""
    try:
        _send_email(to_email, subject, text)
    except SendError as error:
        if sms_error is not None:
            raise SendError(f"Neither SMS nor e-mail could be sent. SMS: {sms_error} E-mail: {error}") from error
        raise
    return "email"
