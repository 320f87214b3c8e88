"""The concurrency test at a small size: searches never fail while staff correct and the index
is rebuilt (bench.concurrency)."""

import json

from tests.bench.proofs import run


def test_searches_never_fail_while_staff_correct_and_the_index_is_rebuilt(tmp_path):
    run("bench.concurrency", "--time", "120", "--users", "6", "--out", str(tmp_path))
    result = json.loads((tmp_path / "concurrency.json").read_text(encoding="utf-8"))
    assert not result["problems"] and result["total"]["failures"] == 0 and result["total"]["requests"] > 100
    (swap,) = [s for s in result["steps"] if s["step"] == "build_index swapped in"]
    assert swap["exit"] == 0 and swap["readers_running"]
    assert sum(s.get("found") == 1 for s in result["steps"]) == 5  # two after their save, three after the swap
