"""dev.py, the one script a newcomer starts with: its `run` takes another port and says so."""

import importlib.util
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
