"""What every domain's services share."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction


def record_actor(obj, actor) -> None:
    """Name who makes the next change of obj in its history (django-simple-history reads this)."""
    obj._history_user = actor


def save_checked(obj, *, actor, exclude: Sequence[str] = ()) -> None:
    """Validate, then save, recording `actor` in the history.

    The database holds the invariants (unique, check constraints) and is asked first: the write
    tries them all at once, where Django's own validation would ask each in a query and a savepoint of
    its own. When the write is refused (a value out of bounds, or another request writing a clashing
    row between a form's check and our write), the same checks run and name the constraint in the
    model's Dutch message, so the caller gets a ValidationError, never an IntegrityError. The fields
    are checked before the write, but a foreign key whose saved row the caller already holds is not
    looked up again (nothing is deleted here; the database checks it at the commit anyway)."""
    record_actor(obj, actor)
    held = [field.name for field in obj._meta.concrete_fields if _holds_saved(obj, field)]
    obj.full_clean(exclude=[*exclude, *held], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        obj.validate_unique(exclude=list(exclude))
        obj.validate_constraints(exclude=list(exclude))
        raise


def _holds_saved(obj, field) -> bool:
    """Whether obj's foreign key `field` points at a row the caller has in hand, loaded or saved."""
    if not (field.many_to_one and field.is_cached(obj)):
        return False
    related = field.get_cached_value(obj)
    return (
        related is not None
        and not related._state.adding
        and related.pk is not None
        and related.pk == getattr(obj, field.attname)
    )


def field_errors(model, name: str, value: Any, *, key: str | None = None) -> dict[str, list[str]]:
    """What the model field's own checks (its validators, length, choices) say of a value that a service
    writes without full_clean(), under `key` (the field's name unless the form calls it otherwise)."""
    try:
        model._meta.get_field(name).clean(value, None)
    except ValidationError as error:
        return {key or name: error.messages}
    return {}


def latest_version(model, *, digibank, first_text: str, actor):
    """The digibank's latest version of a versioned text (a privacy notice, a loan agreement: a
    model with digibank, version, text and published_by). When there is none yet, `first_text` is
    published as version 1; two first uses at once share it (the second waits on the digibank row)."""
    latest = model.objects.filter(digibank=digibank).order_by("-version").first()
    if latest is None:
        with transaction.atomic():
            type(digibank).objects.select_for_update().get(pk=digibank.pk)
            latest = model.objects.filter(digibank=digibank).order_by("-version").first()
            if latest is None:
                latest = model.objects.create(digibank=digibank, version=1, text=first_text, published_by=actor)
    return latest


def version_to_show(model, *, digibank, first_text: str):
    """What a page shows of a versioned text, without writing: the latest version, or `first_text`
    unsaved as version 1 until the first use or publication makes it."""
    latest = model.objects.filter(digibank=digibank).order_by("-version").first()
    return latest or model(digibank=digibank, version=1, text=first_text)


def publish_version(model, *, digibank, text: str, actor):
    """A new version of a versioned text; earlier versions stay, with what was agreed under them.
    The caller refuses an empty text with its own message."""
    if errors := field_errors(model, "text", text.strip()):
        raise ValidationError(errors)
    with transaction.atomic():
        type(digibank).objects.select_for_update().get(pk=digibank.pk)
        last = model.objects.filter(digibank=digibank).order_by("-version").first()
        return model.objects.create(
            digibank=digibank, version=(last.version + 1) if last else 1, text=text.strip(), published_by=actor
        )
