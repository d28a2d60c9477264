#!/usr/bin/env python3
"""Set up and run digibank on a bare machine with nothing but Python 3.11+ and git.

    python3 dev.py run               the demo on http://127.0.0.1:8000 (SQLite in ./data) and the job worker
    python3 dev.py run --port 8001   the same on another port
    python3 dev.py test              the whole test suite (PostgreSQL too when DATABASE_URL says so), one
                                     worker per core; `-n 0` runs it in this one process
    python3 dev.py test --browser    the browser and accessibility tests (Chromium, axe-core)
    python3 dev.py check             format, lint (ruff), types (mypy with django-stubs) and arrows (import-linter)
    python3 dev.py lock              re-lock requirements.lock from pyproject.toml

Only the standard library is used here: this script makes the virtual environment the rest needs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
LOCK = ROOT / "requirements.lock"
PY = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _run(*args: str | Path, **kwargs) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, **kwargs)
    if result.returncode:
        sys.exit(result.returncode)


def ensure_venv() -> None:
    """Create .venv and install the locked dependencies; skip when the lock has not changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may be started by an older python3
        sys.exit("digibank needs Python 3.11 or newer.")
    if not PY.exists():
        print("· creating .venv", flush=True)
        venv.create(VENV, with_pip=True)
    stamp = VENV / ".lock-sha256"
    digest = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    print("· installing dependencies from requirements.lock", flush=True)
    _run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", LOCK)
    _run(PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps", "-e", ".")
    stamp.write_text(digest)


def manage(*args: str) -> None:
    _run(PY, "manage.py", *args)


def parse_run(args: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="dev.py run", description="Run the demo and the job worker.")
    parser.add_argument("--port", type=int, default=8000, help="the port to serve on (default 8000)")
    options = parser.parse_args(args)
    if not 0 < options.port < 65536:
        parser.error(f"--port must be between 1 and 65535, not {options.port}")
    return options


def cmd_run(args: list[str]) -> None:
    options = parse_run(args)
    ensure_venv()
    # The demo's banner and the links in mails name the address the server really listens on.
    os.environ["SITE_URL"] = f"http://127.0.0.1:{options.port}"
    manage("migrate", "--no-input", "-v", "0")
    manage("load_reference_data")
    manage("seed_demo")
    # The background jobs (retention, later reminders and reports) run in a worker beside the server.
    worker = subprocess.Popen([str(PY), "manage.py", "db_worker"], cwd=ROOT)
    try:
        manage("runserver", f"127.0.0.1:{options.port}")
    finally:
        worker.terminate()
        worker.wait(timeout=10)


def cores() -> int:
    """The cores this process may use (a CI runner or container may get fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def pytest_args(args: list[str], available: int) -> list[str]:
    """Spread the tests over one pytest-xdist worker per core, unless there is one core or the caller
    chose (`-n 0`, `-n 4`, `--dist ...`, `-p no:xdist`). `loadgroup` keeps tests marked
    `xdist_group` on one worker."""
    chosen = any(
        a in ("-n", "--numprocesses", "no:xdist") or a.startswith(("-n", "--numprocesses=", "--dist")) for a in args
    )
    if available < 2 or chosen:
        return args
    return ["-n", str(available), "--dist", "loadgroup", *args]


FUZZ = "tests/test_api_fuzz.py"


def pytest_runs(args: list[str], available: int) -> list[list[str]]:
    """The pytest runs for `dev.py test ARGS`. Under xdist schemathesis reports the fuzz file's 110
    operations as one test, so when the whole suite is spread the fuzz file runs in one process after it."""
    spread = pytest_args(args, available)
    if spread == args or any(not a.startswith("-") for a in args):  # one process, or the caller named tests
        return [spread]
    return [[*spread, "--ignore", FUZZ], [*args, "-n", "0", FUZZ]]


def cmd_test(args: list[str]) -> None:
    ensure_venv()
    if "--browser" in args:
        args = [a for a in args if a != "--browser"]
        _run(PY, "tests/browser/setup_browser.py")
        # One process: not yet measured with a Chromium per worker on two cores.
        args = ["-m", "browser", "-n", "0", "tests/browser", *args]
    codes = [subprocess.run([str(PY), "-m", "pytest", *run], cwd=ROOT).returncode for run in pytest_runs(args, cores())]
    sys.exit(next((code for code in codes if code), 0))


CODE = ["digibank", "tests", "bench", "conftest.py", "dev.py", "manage.py"]


def cmd_check(args: list[str]) -> None:
    ensure_venv()
    _run(PY, "-m", "ruff", "format", "--check", *CODE)
    _run(PY, "-m", "ruff", "check", *CODE)
    _run(PY, "-m", "mypy", "digibank")
    # The arrows between the domains (the import-linter contracts in pyproject.toml).
    _run(VENV / ("Scripts/lint-imports.exe" if os.name == "nt" else "bin/lint-imports"))


def cmd_lock(args: list[str]) -> None:
    ensure_venv()
    _run(
        PY,
        "-m",
        "piptools",
        "compile",
        "--quiet",
        "--strip-extras",
        "--extra",
        "dev",
        "--no-emit-index-url",
        "--no-emit-find-links",
        "--output-file",
        LOCK,
        "pyproject.toml",
        *args,
    )


COMMANDS = {"run": cmd_run, "test": cmd_test, "check": cmd_check, "lock": cmd_lock}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    COMMANDS[sys.argv[1]](sys.argv[2:])
