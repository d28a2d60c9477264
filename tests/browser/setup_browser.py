#!/usr/bin/env python3
"""Make the browser tests runnable: Debian's Chromium at /usr/bin/chromium and axe-core in node_modules.

    python3 tests/browser/setup_browser.py

Standard library only. Playwright drives the system Chromium: its own browser download cannot work
on machines without open internet, so `playwright install` is never called.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"


def _run(*args: str, **kwargs) -> None:
    print("·", " ".join(args), flush=True)
    result = subprocess.run(args, **kwargs)
    if result.returncode:
        sys.exit(f"setup_browser: `{' '.join(args)}` failed with exit code {result.returncode}.")


def ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(
            f"setup_browser: {CHROMIUM} is missing. Install Debian's Chromium first "
            "(as root: apt-get update && apt-get install -y chromium), then run this again."
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    _run("apt-get", "update", "-q", env=env, stdin=subprocess.DEVNULL)
    _run("apt-get", "install", "-y", "-q", "chromium", env=env, stdin=subprocess.DEVNULL)
    if not CHROMIUM.exists():
        sys.exit(f"setup_browser: apt-get installed chromium, yet {CHROMIUM} is still missing.")


def ensure_axe() -> None:
    if AXE.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("setup_browser: npm is missing; install Node.js and npm to fetch axe-core.")
    # npm ci installs exactly what the lock says; without a lock, npm install makes one.
    verb = "ci" if (HERE / "package-lock.json").exists() else "install"
    _run(npm, verb, "--no-audit", "--no-fund", cwd=HERE, stdin=subprocess.DEVNULL)
    if not AXE.exists():
        sys.exit(f"setup_browser: npm {verb} ran, yet {AXE} is still missing.")


if __name__ == "__main__":
    ensure_chromium()
    ensure_axe()
    print(f"· browser tests ready: {CHROMIUM}, axe-core in {AXE.parent}", flush=True)
