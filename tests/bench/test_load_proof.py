"""The load test at a small size: every request answered (bench.loadtest)."""

import json

from tests.bench.proofs import run


def test_the_load_test_answers_every_request(tmp_path):
    run("bench.loadtest", "--requests", "400", "--time", "60", "--users", "6", "--out", str(tmp_path))
    result = json.loads((tmp_path / "loadtest.json").read_text(encoding="utf-8"))
    assert result["total"]["requests"] >= 400 and result["total"]["failures"] == 0
    assert set(result["by_kind"]) == {"article", "/api/search", "/search/", "source", "browse"}
    assert 0 < result["total"]["p50"] <= result["total"]["p95"] <= result["total"]["p99"]
