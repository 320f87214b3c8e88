"""The benchmark itself, at a small size, so it never rots; its speed goals are checked by
`python -m bench` at full size, not here (see the README)."""

import json
import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

from bench import synthetic

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_synthetic_archive_is_deterministic_and_long_tailed():
    pools = synthetic.real_pools(ROOT / "fixtures" / "sources")
    first, again = synthetic.generate(500, 3, pools), synthetic.generate(500, 3, pools)
    assert first.files == again.files
    assert first.files != synthetic.generate(500, 4, pools).files
    text = "\n".join(first.files.values())
    counts = Counter({name: text.count(name) for name in first.persons})
    printed = [n for n in counts.values() if n]
    # Most printed names occur in one to three places, a few in many.
    assert sum(1 for n in printed if n <= 3) / len(printed) > 0.6
    assert max(printed) >= 30
    places = Counter({name: text.count(name) for name in first.places[:2000]})
    assert len([n for n in places.values() if n]) > 100  # gazetteer places, not the five sources' few
    assert 500 == sum(t.count("\n# ") + t.startswith("# ") for t in first.files.values())


def test_zipf_draws_favour_the_first_ranks():
    rng = random.Random(1)
    draw = synthetic.Zipf([str(i) for i in range(1000)], 1.0, rng)
    drawn = Counter(draw.draw() for _ in range(20000))
    assert drawn["0"] > drawn["9"] > drawn.get("999", 0)


def test_a_small_benchmark_run_measures_everything_and_finds_full_recall(tmp_path):
    out = tmp_path / "bench"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def bench(*more: str) -> None:
        args = ["--sizes", "50", "--per-kind", "3", "--repeats", "1", "--pages", "4", "--requests", "20", *more]
        run = subprocess.run(
            [sys.executable, "-m", "bench", *args, "--out", str(out)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]

    bench()
    (result,) = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert result["n"] == 50 and result["load"]["mb_per_s"] > 0 and result["index"]["peak_mb"] > 0
    assert result["recognize"]["mb_per_s"] > 0 and result["recognize"]["cpu_s_per_mb"] > 0
    assert result["inprocess"]["recall"] == 1.0 and result["inprocess"]["precision"] == 1.0
    assert not result["http_search"]["wrong_totals"]
    kinds = result["inprocess"]["by_kind"]
    assert set(kinds) == {"name", "place", "phrase", "common"}
    assert all({"ours", "stock", "scan"} <= set(engines) for engines in kinds.values())
    assert result["throughput"]["requests"] == 20 and not result["throughput"]["errors"]
    assert not result["http_pages"]["errors"]
    assert result["memory"]["workers"], "no gunicorn worker was measured"
    assert (out / "latency.png").read_bytes().startswith(b"\x89PNG")
    table = (out / "table.txt").read_text(encoding="utf-8")
    assert "search, warm, in process" in table and "recognize" in table
    # Timed again on the same archive after a change to the pages: nothing rebuilt.
    bench("--serve-again")
    (served,) = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert served["served_again"] and served["load"] == result["load"] and served["recognize"] == result["recognize"]
    assert served["inprocess"]["recall"] == 1.0 and not served["http_pages"]["errors"]
    assert served["page_server_ms"]["places"]["n"] == result["page_server_ms"]["places"]["n"] > 0
