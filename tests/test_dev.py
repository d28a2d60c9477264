"""dev.py, the one script a newcomer starts with: its `run` takes another port and says so."""

import importlib.util
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


def _dev():
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_run_serves_on_8000_by_default():
    assert _dev().parse_run([]).port == 8000


def test_run_takes_another_port():
    assert _dev().parse_run(["--port", "8001"]).port == 8001


@pytest.mark.parametrize("args", [["8001"], ["--port", "acht"], ["--port", "70000"]])
def test_run_refuses_what_it_cannot_use_with_a_message(args, capsys):
    with pytest.raises(SystemExit) as stopped:
        _dev().parse_run(args)
    assert stopped.value.code == 2
    assert "dev.py run" in capsys.readouterr().err


@pytest.mark.django_db
def test_demo_banner_names_the_address_the_server_listens_on(settings, capsys):
    settings.SITE_URL = "http://127.0.0.1:8001"
    call_command("seed_demo")
    assert "Demo logins on http://127.0.0.1:8001/login/" in capsys.readouterr().out


def test_tests_spread_over_one_worker_per_core():
    assert _dev().pytest_args(["tests/test_dev.py"], 2) == ["-n", "2", "--dist", "loadgroup", "tests/test_dev.py"]


def test_tests_stay_in_one_process_on_one_core():
    assert _dev().pytest_args(["-q"], 1) == ["-q"]


@pytest.mark.parametrize("args", [["-n", "0"], ["-n0"], ["--numprocesses=4"], ["-p", "no:xdist"], ["--dist", "load"]])
def test_the_callers_own_choice_of_workers_is_kept(args):
    assert _dev().pytest_args(args, 2) == args


def test_the_whole_suite_spread_over_the_cores_fuzzes_the_api_in_one_process_after_it():
    assert _dev().pytest_runs(["-q"], 2) == [
        ["-n", "2", "--dist", "loadgroup", "-q", "--ignore", "tests/test_api_fuzz.py"],
        ["-q", "-n", "0", "tests/test_api_fuzz.py"],
    ]


def test_named_tests_or_one_process_make_one_run():
    assert _dev().pytest_runs(["tests/test_dev.py"], 2) == [["-n", "2", "--dist", "loadgroup", "tests/test_dev.py"]]
    assert _dev().pytest_runs(["-n", "0"], 2) == [["-n", "0"]]
    assert _dev().pytest_runs([], 1) == [[]]


def _ci_steps(script):
    """Runs `script` in bash after sourcing .ci/steps.sh, as .ci/run does."""
    return subprocess.run(
        ["bash", "-c", f"set -euo pipefail; source .ci/steps.sh; {script}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_ci_prints_each_steps_time_and_the_total():
    run = _ci_steps('step "one" true; step "two" true; print_timings; echo "failed=${#failed[@]}"')
    assert "=== passed: one in 0m00s" in run.stdout
    assert "0m00s  two" in run.stdout
    assert "in all" in run.stdout
    assert "failed=0" in run.stdout


def test_ci_fails_a_step_in_which_pytest_collected_no_tests():
    run = _ci_steps('step "tests" bash -c "exit 5"; step "lint" bash -c "exit 1"; printf "%s|" "${failed[@]}"')
    assert "=== FAILED: no tests ran (exit 5): tests" in run.stdout
    assert "tests (FAILED: no tests ran (exit 5))|lint (FAILED (exit 1))|" in run.stdout
