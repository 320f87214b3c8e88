"""The fault test at a small size: kill -9 of the loader, the index builder and the recognizer
leaves everything whole or absent (bench.faults)."""

import json

from tests.bench.proofs import run


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
