"""Time a few pages through the real HTTP stack: gunicorn, the whole middleware, PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/digibank_bench .venv/bin/python bench/run.py

Run bench/generate.py first. This brings the schema up to date, collects the static files (DEBUG is
off, so whitenoise's manifest storage needs them), starts gunicorn on a free port of 127.0.0.1, sends
each target a warm-up and then a fixed number of requests (round robin, from one client thread),
prints a table and writes it to bench/out/latest.json. gunicorn is stopped at the end, whatever
happens. The exit status is 1 when any request got a status outside 2xx, 2 when the server or the
log-in did not work.

It measures; it does not judge. Numbers depend on the machine: compare a page with the floor
(/health/: the same middleware, no work), and a run with a run on the same machine."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import guidance_run
import requests

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/digibank_bench"
USERNAME, PASSWORD = "bench-coord-1", "bench-password-1"  # made by bench/generate.py
WORKERS = 2

# Real Flemish postal codes, a few names (one merged away in 2025, one that gives several candidates).
FINDER_QUERIES = [
    "9000", "2000", "3000", "8000", "3500", "2800", "9300", "8500", "1800", "3600", "2300", "8400",
    "9100", "3800", "8800", "2500", "9200", "3290", "8900", "1500", "2630", "9700", "3700", "2400",
    "Gent", "Leuven", "Borgloon", "Zwijndrecht", "sint",
]  # fmt: skip
# What the desk types into the client search box; client_queries() adds real numbers and phones.
CLIENT_NAME_QUERIES = ["broeck", "peeters", "seb van"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Time pages through gunicorn.")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per target (300)")
    parser.add_argument("--warmup", type=int, default=30, help="untimed requests per target first (30)")
    return parser.parse_args()


def setup_django() -> None:
    """For the look-ups in the bench database, when the caller has not set Django up (bench/queries.py has)."""
    import django
    from django.apps import apps

    if not apps.ready:
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "digibank.settings")
        os.environ.setdefault("SECRET_KEY", "bench-secret")
        django.setup()


def client_queries() -> list[str]:
    """Realistic searches of bench-coord-1's digibank: surname words, a partial first and last
    name, and from its generated clients one first name and surname fragment, two client numbers
    (as printed and as typed) and two phone numbers (as typed and in E.164). Deterministic, since
    the data is."""
    setup_django()
    import phonenumbers

    from digibank.clients.models import Client
    from digibank.network.models import Membership

    digibank_id = (
        Membership.objects.filter(user__username=USERNAME, is_active=True).values_list("digibank_id", flat=True).first()
    )
    clients = Client.objects.filter(digibank_id=digibank_id, status=Client.Status.ACTIVE).order_by("pk")
    with_phone = clients.exclude(phone="")
    multi_word = clients.filter(last_name__contains=" ")
    try:
        one, two, phone_one, phone_two, named = (
            clients[1000], clients[3000], with_phone[1500], with_phone[2500], multi_word[100]
        )  # fmt: skip
    except IndexError:
        raise RuntimeError("too few clients in the bench database: run bench/generate.py") from None
    national = phonenumbers.format_number(phonenumbers.parse(phone_one.phone), phonenumbers.PhoneNumberFormat.NATIONAL)
    return [
        *CLIENT_NAME_QUERIES,
        f"{named.first_name[:3].lower()} {named.last_name.split()[-1][:5].lower()}",  # e.g. "mar broe"
        one.number,  # as printed on the card, K7QM-4XRA
        two.number.replace("-", "").lower(),  # typed by hand
        national,  # 0470 12 34 56
        phone_two.phone,  # +32470123456
    ]


@dataclass(frozen=True)
class LoanCase:
    """One round's check-out: a desk worker's token, their digibank, a fresh ready laptop and its hub,
    and a client of that digibank the rules allow to borrow it (no open loan)."""

    token: str
    digibank_id: int
    hub_id: int
    tag: str
    client_number: str


def loan_cases(count: int) -> list[LoanCase]:
    """`count` check-outs, round robin over the digibanks that have a desk worker `bench-desk-N`:
    in each, its ready laptops and its eligible clients in pk order, each used once. A run lends
    and takes back, so each run uses up the first ready laptops (they come back returned, to be
    wiped); the next run takes the next ones. Tokens are made here (as `POST /api/v1/auth/token/`
    would), not timed."""
    setup_django()
    from django.db.models import Exists, OuterRef
    from rest_framework.authtoken.models import Token

    from digibank.clients.models import Client as Person
    from digibank.core.roles import Role
    from digibank.devices.lending.models import LendingRules, Loan
    from digibank.devices.register.models import Device
    from digibank.network.models import Membership

    desks = sorted(
        Membership.objects.filter(
            role=Role.DESK, is_active=True, user__username__regex=r"^bench-desk-\d+$"
        ).select_related("user"),
        key=lambda m: int(m.user.username.rsplit("-", 1)[1]),
    )
    if not desks:
        raise RuntimeError("no desk workers in the bench database: run bench/generate.py")
    per_digibank = -(-count // len(desks))
    today = dt.date.today()
    lanes: list[list[LoanCase]] = []
    for membership in desks:
        digibank_id = membership.digibank_id
        token = Token.objects.get_or_create(user=membership.user)[0].key
        rules = LendingRules.objects.filter(digibank_id=digibank_id).first()
        laptops = list(
            # at a hub that hands loans over (open, lending), as a desk would lend there
            Device.objects.filter(
                digibank_id=digibank_id,
                kind="laptop",
                state="ready",
                hub__offers_lending=True,
                hub__closed_on__isnull=True,
            )
            .order_by("pk")
            .values_list("asset_tag", "hub_id")[:per_digibank]
        )
        open_loan = Loan.objects.filter(client=OuterRef("pk"), status__in=Loan.OPEN_STATUSES)
        clients = Person.objects.filter(digibank_id=digibank_id, status=Person.Status.ACTIVE).exclude(Exists(open_loan))
        clients = clients.filter(birth_year__lte=today.year - 19)  # adults, whatever their birthday
        if rules is None or rules.residents_only:
            clients = clients.filter(municipality__digibanks=digibank_id)
        numbers = list(clients.order_by("pk").values_list("number", flat=True)[:per_digibank])
        if len(laptops) < per_digibank or len(numbers) < per_digibank:
            raise RuntimeError(
                f"digibank {digibank_id} has {len(laptops)} ready laptops and {len(numbers)} clients free to "
                f"borrow, {per_digibank} needed: earlier runs lent them; run bench/generate.py --reset"
            )
        lanes.append([LoanCase(token, digibank_id, hub, tag, number) for (tag, hub), number in zip(laptops, numbers)])
    return [lanes[i % len(lanes)][i // len(lanes)] for i in range(count)]


def ready_laptops_left() -> int:
    setup_django()
    from digibank.devices.register.models import Device

    return Device.objects.filter(kind="laptop", state="ready").count()


def is_client_number(query: str) -> bool:
    from digibank.clients.numbers import normalise

    return bool(normalise(query))


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    env.update(
        DJANGO_SETTINGS_MODULE="digibank.settings",
        DEBUG="0",
        SECRET_KEY="bench-secret",
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        LOG_LEVEL="WARNING",
        # Booking confirmations go by SMS: into a file, as no gateway is configured here.
        SMS_BACKEND="digibank.core.senders.FileSmsBackend",
        SMS_FILE_PATH=str(OUT / "sms"),
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "digibank.wsgi:application",
        "--workers", str(WORKERS), "--worker-class", "sync", "--bind", f"127.0.0.1:{port}",
        "--error-logfile", str(log), "--log-level", "warning",
    ]  # fmt: skip
    # Its own process group, so stopping it reaches the workers too.
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()  # the master stops its workers gracefully
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class Client:
    """One client thread, as if behind the TLS proxy. Never follows redirects: a 302 is a failure."""

    def __init__(self, base: str):
        self.base = base
        self.session = requests.Session()
        self.session.headers.update({"X-Forwarded-Proto": "https", "Accept-Language": "nl-BE"})
        self.location = ""  # of the last response

    def get(self, path: str) -> tuple[int, float, str]:
        started = time.perf_counter()
        response = self.session.get(self.base + path, allow_redirects=False, timeout=30)
        elapsed = (time.perf_counter() - started) * 1000
        self._send_secure_cookies_over_http()
        self.location = response.headers.get("Location", "")
        return response.status_code, elapsed, response.text

    def post_json(self, path: str, payload: dict, headers: dict[str, str]) -> tuple[int, float, str]:
        body = json.dumps(payload)
        headers = {"Content-Type": "application/json", "Accept": "application/json", **headers}
        started = time.perf_counter()
        response = self.session.post(self.base + path, data=body, headers=headers, allow_redirects=False, timeout=30)
        elapsed = (time.perf_counter() - started) * 1000
        self.location = response.headers.get("Location", "")
        return response.status_code, elapsed, response.text

    def _send_secure_cookies_over_http(self) -> None:
        # Django believes it sits behind TLS (X-Forwarded-Proto), so its cookies are Secure, and
        # requests would keep them from our plain-http connection to 127.0.0.1.
        for cookie in self.session.cookies:
            cookie.secure = False

    def log_in(self, username: str, password: str) -> None:
        status, _, html = self.get("/login/")
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or not found:
            raise RuntimeError(f"GET /login/ gave {status} without a CSRF token")
        # A request Django believes is https must come from its own origin (CSRF Origin check).
        origin = self.base.replace("http://", "https://")
        response = self.session.post(
            self.base + "/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": found[1], "next": ""},
            headers={"Origin": origin, "Referer": origin + "/login/"},
            allow_redirects=False,
            timeout=30,
        )
        self._send_secure_cookies_over_http()
        if response.status_code != 302 or "sessionid" not in self.session.cookies:
            raise RuntimeError(
                f"log-in as {username} failed ({response.status_code}): has bench/generate.py filled it?"
            )


def wait_until_up(client: Client, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see bench/out/gunicorn.log")
        try:
            if client.get("/health/")[0] == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer /health/ within {timeout:.0f} s")


def percentile(sorted_values: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least `share` of the values at or below it."""
    return sorted_values[max(0, math.ceil(share * len(sorted_values)) - 1)]


@dataclass
class Target:
    name: str
    client: Client
    paths: list[str]
    redirects: dict[str, str] = field(default_factory=dict)  # path: pattern of where it redirects, by design
    timings: list[float] = field(default_factory=list)

    def ok(self, path: str, status: int, location: str) -> bool:
        if path in self.redirects:  # to the record, not to the log-in page
            return status == 302 and re.fullmatch(self.redirects[path], location) is not None
        return 200 <= status < 300

    def send(self, i: int) -> tuple[str, int, float]:
        path = self.paths[i % len(self.paths)]
        status, elapsed, _ = self.client.get(path)
        return path, status, elapsed


class Abort(Exception):
    """A write got an answer it should not have: the run stops, with the answer."""


@dataclass
class Lending:
    """Check-out and check-in through the API, as a desk worker with a token: in each round a
    fresh ready laptop to an eligible client (LoanCase), then that loan taken back."""

    client: Client
    cases: list[LoanCase]
    open_loan: tuple[LoanCase, int] | None = None

    def headers(self, case: LoanCase) -> dict[str, str]:
        return {"Authorization": f"Token {case.token}", "X-Digibank": str(case.digibank_id)}

    def answer(self, what: str, path: str, status: int, expected: int, body: str) -> dict:
        if status != expected:
            raise Abort(f"{what}: POST {path} answered {status}, not {expected}:\n{body[:4000]}")
        return json.loads(body)

    def check_out(self, i: int) -> tuple[str, int, float]:
        case = self.cases[i]
        payload = {"client": case.client_number, "hub": case.hub_id, "tags": [case.tag], "deposit_payment": "paid"}
        path = "/api/v1/loans/"
        status, elapsed, body = self.client.post_json(path, payload, self.headers(case))
        loan = self.answer("check-out", path, status, 201, body)
        if loan.get("status") != "on_loan" or [item["asset_tag"] for item in loan["items"]] != [case.tag]:
            raise Abort(f"check-out of {case.tag} gave a loan that is not it:\n{body[:4000]}")
        self.open_loan = (case, loan["id"])
        return path, status, elapsed

    def check_in(self, i: int) -> tuple[str, int, float]:
        if self.open_loan is None:
            raise Abort("check-in without a loan checked out before it")
        case, loan_id = self.open_loan
        self.open_loan = None
        payload = {
            "items": [{"tag": case.tag, "present": True, "condition": "good", "damage": ""}],
            "deposit_kept": "0.00",
            "missing_kind": "missing_part",
            "note": "",
        }
        path = f"/api/v1/loans/{loan_id}/check-in/"
        status, elapsed, body = self.client.post_json(path, payload, self.headers(case))
        loan = self.answer("check-in", path, status, 200, body)
        if loan.get("status") != "returned":
            raise Abort(f"check-in of loan {loan_id} did not return it:\n{body[:4000]}")
        return "/api/v1/loans/<id>/check-in/", status, elapsed


@dataclass
class Operation:
    """A target that writes: `step` does one round's request and raises Abort on a wrong answer."""

    name: str
    client: Client
    path: str
    step: Callable[[int], tuple[str, int, float]]
    timings: list[float] = field(default_factory=list)

    def ok(self, path: str, status: int, location: str) -> bool:
        return True  # step() has checked it

    def send(self, i: int) -> tuple[str, int, float]:
        return self.step(i)


def measure(targets: list[Target | Operation], warmup: int, count: int, failures: list[dict]) -> list[dict]:
    """Round robin: one request to each target in turn, so a neighbour's load slowing the machine
    for a while slows every target alike, and the ratios to the floor hold."""
    for i in range(warmup + count):
        for target in targets:
            path, status, elapsed = target.send(i)
            if not target.ok(path, status, target.client.location):
                failures.append({"target": target.name, "path": path, "status": status})
            if i >= warmup:
                target.timings.append(elapsed)
    rows = []
    for target in targets:
        timings = sorted(target.timings)
        rows.append({
            "target": target.name,
            "path": target.path if isinstance(target, Operation)
            else target.paths[0] if len(target.paths) == 1 else f"{target.paths[0]} …",
            "n": count,
            "median_ms": round(statistics.median(timings), 2),
            "p95_ms": round(percentile(timings, 0.95), 2),
        })  # fmt: skip
    return rows


def print_table(rows: list[dict]) -> None:
    print(f"{'target':<24} {'n':>5} {'median ms':>10} {'p95 ms':>9} {'× floor':>8}")
    for row in rows:
        print(
            f"{row['target']:<24} {row['n']:>5} {row['median_ms']:>10.2f} {row['p95_ms']:>9.2f} "
            f"{row['ratio_to_floor']:>8.1f}"
        )


def count_failures(failures: list[dict]) -> list[dict]:
    counted: dict[tuple[str, str, int], int] = {}
    for failure in failures:
        key = (failure["target"], failure["path"], failure["status"])
        counted[key] = counted.get(key, 0) + 1
    return [{"target": t, "path": p, "status": s, "times": n} for (t, p, s), n in sorted(counted.items())]


def git_commit() -> str:
    result = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return result.stdout.strip()


def check_client_queries(client: Client, queries: list[str]) -> None:
    """Once, untimed: how many clients each search finds, through the API, so the table means something."""
    for query in queries:
        status, _, body = client.get("/api/v1/clients/?" + urlencode({"q": query}))
        if status != 200:
            raise RuntimeError(f"GET /api/v1/clients/?q={query} gave {status}")
        print(f"  client search {query!r}: {json.loads(body)['count']} found")


def main() -> int:
    args = parse_args()
    env = server_env()
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"database: {env['DATABASE_URL']}")
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "collectstatic", "--no-input", "-v", "0")
    try:
        queries = client_queries()
        cases = loan_cases(args.warmup + args.requests)
    except RuntimeError as error:
        print(f"bench/run.py: {error}", file=sys.stderr)
        return 2
    digibanks = len({case.digibank_id for case in cases})
    print(f"  check-out: {len(cases)} ready laptops to as many clients in {digibanks} digibanks")
    try:
        contacts, e_services = guidance_run.contact_cases(args.warmup + args.requests)
        slots = guidance_run.booking_slots(args.warmup + args.requests)
        day_hub, holds = guidance_run.day_view_hub()
    except RuntimeError as error:
        print(f"bench/run.py: {error}", file=sys.stderr)
        return 2
    print(f"  contacts: {len(contacts)} to as many clients; bookings: {len(slots)} free slots")
    print(f"  day view of hub {day_hub}: " + ", ".join(f"{v} {k}" for k, v in holds.items()))

    # SIGTERM should stop gunicorn too: turn it into an exception, so the finally below runs.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    port = free_port()
    process = start_gunicorn(env, port, OUT / "gunicorn.log")
    failures: list[dict] = []
    try:
        client = Client(f"http://127.0.0.1:{port}")
        wait_until_up(client, process)
        staff = Client(client.base)
        staff.log_in(USERNAME, PASSWORD)
        check_client_queries(staff, queries)
        searches = ["?" + urlencode({"q": q}) for q in queries]
        # A client number opens the record at once: the page answers with a redirect to it.
        numbers = {
            f"/staff/clienten/{s}": r"/staff/clienten/\d+/"
            for s, q in zip(searches, queries, strict=True)
            if is_client_number(q)
        }
        targets: list[Target | Operation] = [
            Target("floor /health/", client, ["/health/"]),
            Target("public finder /vind/", client, [f"/vind/?q={q}" for q in FINDER_QUERIES]),
            Target("staff hubs", staff, ["/staff/knooppunten/"]),
            Target("staff partners", staff, ["/staff/partners/"]),
            Target("staff client search", staff, [f"/staff/clienten/{s}" for s in searches], redirects=numbers),
            Target("API client search", staff, [f"/api/v1/clients/{s}" for s in searches]),
        ]
        lending = Lending(Client(client.base), cases)
        targets += [
            Operation("API check-out", lending.client, "POST /api/v1/loans/", lending.check_out),
            Operation("API check-in", lending.client, "POST /api/v1/loans/<id>/check-in/", lending.check_in),
        ]
        desk = Client(client.base)
        desk.log_in(guidance_run.DESK_USERNAME, PASSWORD)
        guided = guidance_run.Guidance(client.base, contacts, e_services, slots)
        targets += [
            Target("hub day view", desk, [f"{guidance_run.DAY_VIEW}?hub={day_hub}"]),
            Operation("API log a contact", client, f"POST {guidance_run.CONTACTS_API}", guided.log_contact),
            Operation("public booking", client, f"POST {guidance_run.BOOKING_API}", guided.book),
        ]
        rows = measure(targets, args.warmup, args.requests, failures)
    except RuntimeError as error:
        print(f"bench/run.py: {error}", file=sys.stderr)
        return 2
    except (Abort, guidance_run.Abort) as error:
        print(f"bench/run.py: stopped: {error}", file=sys.stderr)
        return 1
    finally:
        stop_gunicorn(process)
    print(f"  {ready_laptops_left()} ready laptops left for later runs")

    floor = rows[0]["median_ms"]
    for row in rows:
        row["ratio_to_floor"] = round(row["median_ms"] / floor, 2)
    print()
    print_table(rows)
    result = {
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "database": env["DATABASE_URL"],
        "server": f"gunicorn, {WORKERS} sync workers, DEBUG off",
        "client": "one thread, requests, round robin over the targets, new connection per request",
        "warmup_per_target": args.warmup,
        "rows": rows,
        "failures": count_failures(failures),
    }
    (OUT / "latest.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten to {(OUT / 'latest.json').relative_to(ROOT)}")
    if failures:
        print(f"\n{len(failures)} requests did not get a 2xx status:", file=sys.stderr)
        for failure in count_failures(failures):
            print("  {target}: GET {path} → {status} ({times}×)".format(**failure), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
