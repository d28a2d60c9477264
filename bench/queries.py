"""Count the SQL queries of the benchmarked pages, in-process (Django's test client), on the bench data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/digibank_bench .venv/bin/python bench/queries.py

A query count that grows with the rows on a page is an N+1; the statements repeated most often are
printed to find it. Reads, but for one check-out and its check-in through the API (one ready laptop
lent and taken back, as bench/run.py does 330 times), one help contact logged and one public booking
of a free slot; run bench/generate.py (and bench/run.py, for the static files) first."""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/digibank_bench")
os.environ.update(
    DJANGO_SETTINGS_MODULE="digibank.settings", DEBUG="0", SECRET_KEY="bench-secret",
    ALLOWED_HOSTS="testserver", SECURE_SSL_REDIRECT="0", LOG_LEVEL="ERROR",
)  # fmt: skip

import django  # noqa: E402

django.setup()

import guidance_run  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from run import FINDER_QUERIES, USERNAME, client_queries, loan_cases  # noqa: E402


def count(client: Client, path: str) -> tuple[int, int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, secure=True)
    return response.status_code, len(captured), [q["sql"] for q in captured.captured_queries]


def repeated(statements: list[str]) -> list[tuple[int, str]]:
    """Statements that differ only in their literals, counted: the shape of an N+1."""
    shapes = Counter(re.sub(r"\b\d+\b|'[^']*'", "?", sql) for sql in statements)
    return [(n, shape) for shape, n in shapes.most_common(3) if n > 1]


def main() -> None:
    public, staff = Client(), Client()
    staff.force_login(get_user_model().objects.get(username=USERNAME))
    targets = [(public, "/health/"), *[(public, f"/vind/?q={q}") for q in FINDER_QUERIES]]
    targets += [(staff, "/staff/knooppunten/"), (staff, "/staff/partners/"), (staff, "/staff/")]
    searches = ["?" + urlencode({"q": q}) for q in client_queries()]
    targets += [(staff, f"/staff/clienten/{s}") for s in searches]  # a client number answers 302
    targets += [(staff, f"/api/v1/clients/{s}") for s in searches]
    desk = Client()
    desk.force_login(get_user_model().objects.get(username=guidance_run.DESK_USERNAME))
    targets.append((desk, f"{guidance_run.DAY_VIEW}?hub={guidance_run.day_view_hub()[0]}"))
    print(f"{'path':<48} {'status':>6} {'queries':>8}")
    for client, path in targets:
        status, queries, statements = count(client, path)
        print(f"{path:<48} {status:>6} {queries:>8}")
        for n, shape in repeated(statements):
            print(f"{'':<4}{n}× {shape[:150]}")
    lend(Client())
    guide(Client())


def post(api: Client, path: str, payload: dict, expected: int, **headers) -> None:
    with CaptureQueriesContext(connection) as captured:
        response = api.post(path, payload, content_type="application/json", secure=True, **headers)
    print(f"POST {path:<43} {response.status_code:>6} {len(captured):>8}")
    if response.status_code != expected:
        sys.exit(response.content.decode())
    for n, shape in repeated([q["sql"] for q in captured.captured_queries]):
        print(f"{'':<4}{n}× {shape[:150]}")


def guide(api: Client) -> None:
    """One help contact and one public booking, as bench/run.py sends them."""
    cases, e_services = guidance_run.contact_cases(1)
    case = cases[0]
    payload = {"hub": case.hub_id, "client": case.client_number, "e_services": e_services, "outcome": "solved",
               "duration_minutes": 15}  # fmt: skip
    headers = {"HTTP_AUTHORIZATION": f"Token {case.token}", "HTTP_X_DIGIBANK": str(case.digibank_id)}
    post(api, guidance_run.CONTACTS_API, payload, 201, **headers)
    slot = guidance_run.booking_slots(1)[0]
    post(Client(), guidance_run.BOOKING_API, {"slot": slot, "name": "Bench Bezoeker", "phone": "0470 99 00 01"}, 201)


def lend(api: Client) -> None:
    """One check-out and its check-in, as bench/run.py sends them (token and X-Digibank header)."""
    case = loan_cases(1)[0]
    headers = {"HTTP_AUTHORIZATION": f"Token {case.token}", "HTTP_X_DIGIBANK": str(case.digibank_id)}
    steps = [
        ("/api/v1/loans/", {"client": case.client_number, "hub": case.hub_id, "tags": [case.tag],
                            "deposit_payment": "paid"}),
        ("/api/v1/loans/{id}/check-in/", {"items": [{"tag": case.tag, "present": True, "condition": "good",
          "damage": ""}], "deposit_kept": "0.00", "missing_kind": "missing_part", "note": ""}),
    ]  # fmt: skip
    loan_id = None
    for path, payload in steps:
        path = path.format(id=loan_id)
        with CaptureQueriesContext(connection) as captured:
            response = api.post(path, payload, content_type="application/json", secure=True, **headers)
        print(f"POST {path:<43} {response.status_code:>6} {len(captured):>8}")
        if response.status_code not in (200, 201):
            sys.exit(response.content.decode())
        loan_id = response.json()["id"]
        for n, shape in repeated([q["sql"] for q in captured.captured_queries]):
            print(f"{'':<4}{n}× {shape[:150]}")


if __name__ == "__main__":
    main()
