"""`parcferme ask` as a newcomer runs it: a real process, a fresh database file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_cli as run


@pytest.fixture(scope="module")
def shared_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("console")


def test_first_ask_creates_and_seeds_the_database(tmp_path: Path):
    result = run(tmp_path, "ask", "/standings rookie")
    assert result.returncode == 0, result.stderr
    assert "seeded 2023 Porsche Carrera Cup France" in result.stderr
    assert "Rookie standings" in result.stdout and "Benjamin Paque" in result.stdout
    assert "Traceback" not in result.stderr
    again = run(tmp_path, "ask", "/standings rookie")
    assert "seeded" not in again.stderr and again.stdout == result.stdout


def test_ask_text_race(shared_tmp: Path):
    result = run(shared_tmp, "ask", "/race monza 1")
    assert result.returncode == 0, result.stderr
    assert "Monza — race 1" in result.stdout
    assert " 1. Dorian Boccolacci #98" in result.stdout


def test_ask_json_is_what_the_bot_sent(shared_tmp: Path):
    result = run(shared_tmp, "ask", "--json", "/race monza 1")
    assert result.returncode == 0, result.stderr
    sent = json.loads(result.stdout)
    assert [c["method"] for c in sent] == ["POST"]
    assert sent[0]["path"].startswith("/interactions/") and sent[0]["path"].endswith("/callback")
    body = sent[0]["body"]
    assert body["type"] == 4 and body["data"]["allowed_mentions"] == {"parse": []}
    assert body["data"]["embeds"][0]["title"].startswith("Monza — race 1")


def test_unknown_command_and_bad_value_exit_non_zero(shared_tmp: Path):
    result = run(shared_tmp, "ask", "/nosuch")
    assert result.returncode == 1 and "There is no /nosuch command" in result.stdout
    result = run(shared_tmp, "ask", "/race le mans 2")
    assert result.returncode == 1 and "Le Mans had one race." in result.stdout
    result = run(shared_tmp, "ask", "standings")
    assert result.returncode == 2 and "starts with /" in result.stderr


def test_press_next_pages(shared_tmp: Path):
    result = run(shared_tmp, "ask", "--press", "Next", "/penalties")
    assert result.returncode == 0, result.stderr
    assert "page 1/2" in result.stdout and "page 2/2" in result.stdout


def test_run_without_token_points_to_env_example(shared_tmp: Path):
    result = run(shared_tmp, "run")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert ".env.example" in result.stderr and "parcferme ask" in result.stderr


def test_db_check_summarises(shared_tmp: Path):
    result = run(shared_tmp, "db", "check")
    assert result.returncode == 0, result.stderr
    assert "integrity: ok" in result.stdout
    assert "races 11" in result.stdout and "penalties 12" in result.stdout


def test_ask_into_a_pipe_closed_early_exits_quietly(shared_tmp: Path):
    """``parcferme ask … | head -1``: the reader goes away before the answer is written."""
    env = {**os.environ, "PARCFERME_DATABASE_PATH": str(shared_tmp / "console.db")}
    env["PARCFERME_DISCORD_TOKEN"] = ""
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json", "/standings"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=shared_tmp,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # as `head` does once it has its lines
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert "Traceback" not in err and "BrokenPipe" not in err, err
