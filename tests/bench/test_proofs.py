"""The proofs of issue 8 at a small size, so they never rot: the load test, the fault test
(kill -9 of the loader) and the concurrency test (admin saves and a rebuild under load).
Their full-size runs are in the README ("Proof under load and faults")."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def run(module: str, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return result


def test_the_load_test_answers_every_request(tmp_path):
    run("bench.loadtest", "--requests", "400", "--time", "60", "--users", "6", "--out", str(tmp_path))
    result = json.loads((tmp_path / "loadtest.json").read_text(encoding="utf-8"))
    assert result["total"]["requests"] >= 400 and result["total"]["failures"] == 0
    assert set(result["by_kind"]) == {"article", "/api/search", "/search/", "source", "browse"}
    assert 0 < result["total"]["p50"] <= result["total"]["p95"] <= result["total"]["p99"]


def test_killing_the_loader_leaves_every_source_whole_or_absent(tmp_path):
    run("bench.faults", "--articles", "300", "--kills", "4", "--out", str(tmp_path))
    result = json.loads((tmp_path / "faults.json").read_text(encoding="utf-8"))
    assert not result["failures"]
    assert sum(kill["killed"] for kill in result["kills"]) >= 3, result["kills"]
    assert any(0 < kill["sources"].get("whole", 0) < result["files"] for kill in result["kills"])  # a kill mid-load
    assert result["final"]["index"]["indexed"] == result["final"]["index"]["articles"] > 0
    recognition = result["recognition"]
    assert recognition["killed"] and 0 < recognition["read_before_kill"] and recognition["waiting_after_kill"] > 0
    assert recognition["read_on_resume"] == recognition["waiting_after_kill"] and recognition["mentions"] > 0


def test_searches_never_fail_while_staff_correct_and_the_index_is_rebuilt(tmp_path):
    run("bench.concurrency", "--time", "120", "--users", "6", "--out", str(tmp_path))
    result = json.loads((tmp_path / "concurrency.json").read_text(encoding="utf-8"))
    assert not result["problems"] and result["total"]["failures"] == 0 and result["total"]["requests"] > 100
    (swap,) = [s for s in result["steps"] if s["step"] == "build_index swapped in"]
    assert swap["exit"] == 0 and swap["readers_running"]
    assert sum(s.get("found") == 1 for s in result["steps"]) == 5  # two after their save, three after the swap
