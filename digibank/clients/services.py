"""Every write about a client goes through these functions. Each logs itself in the access log and,
where it is part of the journey, in the client's timeline."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from digibank.core.services import latest_version, publish_version, version_to_show
from digibank.core.tenancy import Tenancy
from digibank.network.models import Digibank
from digibank.network.selectors import municipality_for_postal_code

from . import selectors, validation
from .models import AccessLog, Client, ClientEvent, Consent, PrivacyNotice, Traits, name_key, search_words
from .signals import client_anonymised

CLIENT_FIELDS = (
    "first_name last_name birth_date birth_year postal_code phone email language found_via referred_by"
).split()
TRAIT_FIELDS = "education income home_language reading_difficulty lives_alone disability".split()

DEFAULT_NOTICE = """Wat doen we met uw gegevens?

De digibank schrijft op wie u bent, zodat we u goed kunnen helpen. We vragen alleen wat we nodig hebben:
uw naam, uw geboortejaar of geboortedatum, uw gemeente en, als u wilt, uw telefoonnummer of e-mailadres.

Wie ziet uw gegevens? Alleen de medewerkers van deze digibank. Elke keer dat iemand uw gegevens bekijkt,
schrijven we dat op. De Vlaamse overheid krijgt alleen cijfers, nooit uw naam.

Hoe lang? Komt u 24 maanden niet meer, dan halen we uw naam en contactgegevens weg.

U mag altijd vragen welke gegevens we hebben, en vragen om ze weg te halen. Vraag het aan de balie."""


def log_access(*, actor, digibank_id: int, action: str, client: Client | None = None, what: str = "") -> None:
    """One line in the access log: who did what with which client record. Never personal data."""
    AccessLog.objects.create(actor=actor, digibank_id=digibank_id, client=client, action=action, what=what[:200])


def log_accesses(*, actor, clients: list[Client], action: str, what: str = "") -> None:
    """One line per client shown on one page, written in one query (a list of twenty people is one
    insert, not twenty)."""
    AccessLog.objects.bulk_create(
        AccessLog(actor=actor, digibank_id=client.digibank_id, client=client, action=action, what=what[:200])
        for client in clients
    )


def record_event(
    *, client: Client, kind: str, actor=None, summary: str = "", ref: str = "", occurred_at: dt.datetime | None = None
) -> ClientEvent:
    """Add an event to the client's journey and count it as activity (for retention)."""
    event = ClientEvent.objects.create(
        client=client, kind=kind, actor=actor, summary=summary[:200], ref=ref, occurred_at=occurred_at or timezone.now()
    )
    Client.objects.filter(pk=client.pk, last_activity_at__lt=event.occurred_at).update(
        last_activity_at=event.occurred_at
    )
    return event


def current_notice(*, digibank: Digibank, actor) -> PrivacyNotice:
    """The digibank's latest privacy notice; a first one in plain Dutch is published when there is none."""
    return latest_version(PrivacyNotice, digibank=digibank, first_text=DEFAULT_NOTICE, actor=actor)


def notice_to_show(*, digibank: Digibank) -> PrivacyNotice:
    """The privacy notice a page shows; reading it writes nothing (the first is made on first use)."""
    return version_to_show(PrivacyNotice, digibank=digibank, first_text=DEFAULT_NOTICE)


def privacy_notice_publish(*, digibank: Digibank, text: str, actor) -> PrivacyNotice:
    """A new version of the notice. Earlier versions stay, with the consents given under them."""
    if not text.strip():
        raise ValidationError({"text": _("The privacy notice cannot be empty.")})
    return publish_version(PrivacyNotice, digibank=digibank, text=text, actor=actor)


def _clean_client(client: Client) -> None:
    errors: dict[str, Any] = {}
    try:
        validation.check_birth(client.birth_date, client.birth_year)
    except ValidationError as error:
        errors.update(error.message_dict)
    if client.birth_date and not client.birth_year:
        client.birth_year = client.birth_date.year
    try:
        client.phone = validation.normalise_phone(client.phone)
    except ValidationError as error:
        errors["phone"] = error.messages
    try:
        validation.check_postal_code(client.postal_code)
    except ValidationError as error:
        errors["postal_code"] = error.messages
    else:
        client.municipality = municipality_for_postal_code(client.postal_code) if client.postal_code else None
    if client.referred_by is not None and client.referred_by.digibank_id != client.digibank_id:
        errors["referred_by"] = [_("This partner is not part of your digibank.")]
    if not (client.first_name.strip() or client.last_name.strip()):
        errors["first_name"] = [_("Give at least a first name or a last name.")]
    client.email = client.email.strip().lower()
    client.first_name, client.last_name = client.first_name.strip(), client.last_name.strip()
    try:
        client.full_clean(exclude=["registered_by", "number", *errors])
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)
    client.search_text = search_words(client.first_name, client.last_name)
    client.name_key = name_key(client.first_name, client.last_name)


class PossibleDuplicates(ValidationError):
    """The person may be registered already: `duplicates` lists who (at most ten)."""

    def __init__(self, duplicates: list[Client]):
        super().__init__(
            _("This person may be registered already. Check, or confirm it is a new person."),
            code="possible_duplicates",
        )
        self.duplicates = duplicates


@transaction.atomic
def client_register(
    *,
    digibank: Digibank,
    actor,
    traits: dict[str, Any] | None = None,
    consents: tuple[str, ...] = (),
    new_person_confirmed: bool = False,
    **fields: Any,
) -> Client:
    """Register a person at the desk. Adults only; phone, e-mail and postal code checked; the
    registration consent is recorded under the digibank's current privacy notice, and traits only
    with their own consent. Unless the desk confirmed it is a new person, a possible duplicate
    (same name and birth, or same phone) raises PossibleDuplicates, also when two desks register
    the same person at the same moment."""
    unknown = set(fields) - set(CLIENT_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    client = Client(digibank=digibank, registered_by=actor, **fields)
    _clean_client(client)
    if set(consents) - set(Consent.Scope.values):
        raise ValidationError({"consents": _("Unknown kind of consent.")})
    if traits and Consent.Scope.TRAITS not in consents:
        raise ValidationError({"traits": _("Target-group traits need the person's consent first.")})
    if not new_person_confirmed:
        # One unconfirmed registration at a time per digibank, so the check below sees the one
        # committed just before. NO KEY: rows that merely point to the digibank are not held up.
        Digibank.objects.select_for_update(no_key=True).get(pk=digibank.pk)
        duplicates = list(
            selectors.possible_duplicates(
                Tenancy(digibank_id=digibank.pk),
                first_name=client.first_name,
                last_name=client.last_name,
                birth_date=client.birth_date,
                birth_year=client.birth_year,
                phone=client.phone,
            )[:10]
        )
        if duplicates:
            raise PossibleDuplicates(duplicates)
    client.save()
    notice = current_notice(digibank=digibank, actor=actor)
    for scope in {Consent.Scope.REGISTRATION, *consents}:
        Consent.objects.create(client=client, scope=scope, notice=notice, recorded_by=actor)
    if traits:
        _set_traits(client, traits)
    log_access(actor=actor, digibank_id=digibank.pk, client=client, action=AccessLog.Action.CREATE)
    record_event(client=client, kind="registered", actor=actor)
    return client


@transaction.atomic
def client_update(*, client: Client, actor, **fields: Any) -> Client:
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.is_anonymised:
        raise ValidationError(_("This client has been anonymised: there is nothing left to change."))
    for name, value in fields.items():
        if name not in CLIENT_FIELDS:
            raise TypeError(f"unexpected field: {name}")
        setattr(client, name, value)
    if "birth_date" in fields and "birth_year" not in fields and client.birth_date:
        client.birth_year = client.birth_date.year
    _clean_client(client)
    client.save()
    log_access(
        actor=actor,
        digibank_id=client.digibank_id,
        client=client,
        action=AccessLog.Action.CHANGE,
        what=",".join(sorted(fields)),
    )
    return client


def _set_traits(client: Client, values: dict[str, Any]) -> Traits:
    unknown = set(values) - set(TRAIT_FIELDS)
    if unknown:
        raise TypeError(f"unexpected traits: {sorted(unknown)}")
    traits, _created = Traits.objects.get_or_create(client=client)
    for name, value in values.items():
        setattr(traits, name, value)
    traits.full_clean(exclude=["client"])
    traits.save()
    return traits


@transaction.atomic
def traits_set(*, client: Client, actor, **values: Any) -> Traits:
    """Record target-group traits; refused without an active consent for them."""
    if client.is_anonymised:
        raise ValidationError(_("This client has been anonymised."))
    if not Consent.objects.filter(client=client, scope=Consent.Scope.TRAITS, withdrawn_at__isnull=True).exists():
        raise ValidationError(_("Record the person's consent for target-group traits first."))
    traits = _set_traits(client, values)
    log_access(
        actor=actor, digibank_id=client.digibank_id, client=client, action=AccessLog.Action.CHANGE, what="traits"
    )
    return traits


@transaction.atomic
def consent_give(*, client: Client, scope: str, actor) -> Consent:
    if client.is_anonymised:
        raise ValidationError(_("This client has been anonymised."))
    if Consent.objects.filter(client=client, scope=scope, withdrawn_at__isnull=True).exists():
        raise ValidationError({"scope": _("This consent is already recorded.")})
    notice = current_notice(digibank=client.digibank, actor=actor)
    consent = Consent.objects.create(client=client, scope=scope, notice=notice, recorded_by=actor)
    log_access(
        actor=actor,
        digibank_id=client.digibank_id,
        client=client,
        action=AccessLog.Action.CHANGE,
        what=f"consent {scope}",
    )
    record_event(client=client, kind="consent_given", actor=actor, summary=scope)
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, actor) -> Consent:
    """Withdraw a consent. Withdrawing the one for traits deletes the traits."""
    consent = Consent.objects.select_for_update().select_related("client").get(pk=consent.pk)
    if consent.client.is_anonymised:
        raise ValidationError(_("This client has been anonymised."))
    if consent.withdrawn_at is not None:
        raise ValidationError(_("This consent was withdrawn already."))
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_recorded_by = actor
    consent.save(update_fields=["withdrawn_at", "withdrawn_recorded_by"])
    if consent.scope == Consent.Scope.TRAITS:
        Traits.objects.filter(client=consent.client).delete()
    log_access(
        actor=actor,
        digibank_id=consent.client.digibank_id,
        client=consent.client,
        action=AccessLog.Action.CHANGE,
        what=f"consent withdrawn {consent.scope}",
    )
    record_event(client=consent.client, kind="consent_withdrawn", actor=actor, summary=consent.scope)
    return consent


AGE_BANDS = [(18, 29), (30, 44), (45, 64), (65, 74), (75, 200)]
# Why a client was anonymised, as the access log keeps it: a code, never the free text typed.
ANONYMISE_REASONS = ("request", "retention")


@transaction.atomic
def client_anonymise(*, client: Client, actor, reason: str) -> Client:
    """Erase the person: every identifying field goes, the traits go, the client number is
    replaced. The client row, its events, loans and contacts stay, so every count stays right;
    the municipality and a decade-wide age band stay for statistics."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.is_anonymised:
        return client
    from .numbers import new_client_number

    age = client.age_on(timezone.localdate())
    band = next(
        (f"{lo}-{hi}" if hi < 200 else f"{lo}+" for lo, hi in AGE_BANDS if age is not None and lo <= age <= hi), ""
    )
    client.first_name = client.last_name = client.phone = client.email = client.search_text = client.name_key = ""
    client.birth_date = None
    client.birth_year = None
    client.postal_code = ""
    client.number = new_client_number()
    client.status = Client.Status.ANONYMISED
    client.anonymised_at = timezone.now()
    client.age_band = band
    client.retention_postponed_reason = ""
    client.save()
    Traits.objects.filter(client=client).delete()
    Consent.objects.filter(client=client, withdrawn_at__isnull=True).update(
        withdrawn_at=client.anonymised_at, withdrawn_recorded_by=actor
    )
    ClientEvent.objects.filter(client=client).update(summary="")
    client_anonymised.send(sender=Client, client=client)
    code = reason if reason in ANONYMISE_REASONS else "other"
    log_access(
        actor=actor,
        digibank_id=client.digibank_id,
        client=client,
        action=AccessLog.Action.ERASE,
        what=f"anonymised: {code}",
    )
    return client
