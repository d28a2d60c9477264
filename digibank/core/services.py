"""What every domain's services share."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, transaction


def record_actor(obj, actor) -> None:
    """Name who makes the next change of obj in its history (django-simple-history reads this)."""
    obj._history_user = actor


def save_checked(obj, *, actor, exclude: Sequence[str] = ()) -> None:
    """Validate completely, then save, recording `actor` in the history.

    The database holds the invariants (unique, check constraints); validation first gives the
    friendly message. When another request writes a clashing row between our check and our write,
    the database refuses ours: check again, now seeing that row, so the caller gets the same
    ValidationError as if it had come second in line, never an IntegrityError."""
    record_actor(obj, actor)
    obj.full_clean(exclude=list(exclude))
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        obj.validate_unique(exclude=list(exclude))
        obj.validate_constraints(exclude=list(exclude))
        raise
