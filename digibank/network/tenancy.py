"""How a user's memberships become the tenancy of a request (named in settings)."""

from __future__ import annotations

from collections import defaultdict

from digibank.core.tenancy import Choice, Tenancy

from .models import Membership


def resolve_tenancy(user, wished_digibank_id: int | None) -> Tenancy:
    """The digibank a user works in: the one wished for if they have a role there, else their only
    one. Department staff without a digibank role work across all digibanks (digibank_id None)."""
    roles: dict[int, list[str]] = defaultdict(list)
    names: dict[int, str] = {}
    rows = Membership.objects.filter(user=user, is_active=True).values_list("digibank_id", "digibank__name", "role")
    for digibank_id, name, role in rows:
        roles[digibank_id].append(role)
        names[digibank_id] = name
    choices = tuple(Choice(d, names[d], tuple(sorted(r))) for d, r in sorted(roles.items(), key=lambda i: names[i[0]]))
    chosen = None
    if wished_digibank_id in roles:
        chosen = wished_digibank_id
    elif len(roles) == 1 and not user.department_role:
        chosen = next(iter(roles))
    elif user.is_superuser and wished_digibank_id is not None:
        from .models import Digibank

        if Digibank.objects.filter(pk=wished_digibank_id).exists():
            chosen = wished_digibank_id
            names[chosen] = Digibank.objects.get(pk=chosen).name
    return Tenancy(
        user_id=user.pk,
        digibank_id=chosen,
        digibank_name=names.get(chosen, "") if chosen else "",
        roles=tuple(roles.get(chosen, ())) if chosen else (),
        department_role=user.department_role,
        is_superuser=user.is_superuser,
        choices=choices,
    )
