"""Load test: locust readers against gunicorn on 127.0.0.1, article pages and searches mixed.

`python -m bench.loadtest --articles 10000 --users 10 --requests 5000 --time 120` loads a
synthetic archive of that size (or, with --articles 0, the sources in fixtures/sources/),
indexes it, serves it with the repository's gunicorn configuration and runs locust headless
(bench/locustfile.py) until it has the requests or the time is up. It reports throughput,
p50/p95/p99 latency per kind of page, and the errors; the run fails on any error.
Results go to OUT/loadtest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from . import synthetic
from .run import PYTHON, ROOT, Server, archive_env, run_step

FIXTURES = ROOT / "fixtures" / "sources"


def prepare(folder: Path, articles: int, seed: int) -> tuple[dict, Path]:
    """A loaded and indexed archive of its own in `folder`; its environment and targets file."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "var").mkdir(parents=True)
    sources = folder / "sources"
    if articles:
        synthetic.write(synthetic.generate(articles, seed, synthetic.real_pools(FIXTURES)), sources)
    else:
        shutil.copytree(FIXTURES, sources)
    env = archive_env(folder, sources)
    log = folder / "steps.log"
    for step in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"],
                 ["load_sources", "--no-index"], ["build_index"]):  # fmt: skip
        run_step(step[0], [PYTHON, "manage.py", *step], env, log)
    targets = folder / "targets.json"
    run_step("targets", [PYTHON, "-m", "bench.targets", str(targets), "--seed", str(seed)], env, log)
    return env, targets


class Locust:
    """locust headless in its own process (it patches the standard library with gevent)."""

    def __init__(self, server: Server, targets: Path, folder: Path, users: int, requests: int, seconds: int):
        self.out = folder / "locust.json"
        self.out.unlink(missing_ok=True)
        env = {**os.environ, "ARCHIVE_LOADTEST_TARGETS": str(targets), "ARCHIVE_LOADTEST_REQUESTS": str(requests),
               "ARCHIVE_LOADTEST_OUT": str(self.out)}  # fmt: skip
        args = [PYTHON, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{server.port}",
                "--only-summary", "--loglevel", "WARNING", "--exit-code-on-error", "0"]  # fmt: skip
        self.log = open(folder / "locust.log", "w", encoding="utf-8")
        self.process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """End the run now (locust shuts down on SIGTERM and still writes its figures)."""
        if self.running():
            self.process.send_signal(signal.SIGTERM)

    def result(self) -> dict:
        """Throughput, latency percentiles (ms) and failures, as the locustfile wrote them."""
        code = self.process.wait()
        self.log.close()
        if code != 0 or not self.out.exists():
            raise SystemExit(f"locust exited {code}: see {self.log.name}")
        return json.loads(self.out.read_text(encoding="utf-8"))


def report_lines(stats: dict) -> list[str]:
    lines = [f"{'':14}{'requests':>9}{'failed':>8}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}{'max':>8}  (ms)"]
    for name, row in [*sorted(stats["by_kind"].items()), ("all", stats["total"])]:
        lines.append(f"{name:14}{row['requests']:>9}{row['failures']:>8}{row['per_second']:>8}"
                     f"{row['p50']:>7.0f}{row['p95']:>7.0f}{row['p99']:>7.0f}{row['max']:>8.0f}")  # fmt: skip
    return lines + [f"error: {failure}" for failure in stats["failures"]]


def arguments(description: str, argv: list[str] | None, out: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--articles", type=int, default=0, help="synthetic archive size; 0: fixtures/sources/")
    parser.add_argument("--users", type=int, default=10, help="locust users (concurrent readers)")
    parser.add_argument("--requests", type=int, default=2000, help="stop after this many requests")
    parser.add_argument("--time", type=int, default=120, help="stop after this many seconds at most")
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: from the cores)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / out)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__.split("\n\n")[0], argv, "loadtest")
    env, targets = prepare(args.out, args.articles, args.seed)
    server = Server(env, args.out, args.workers or (os.cpu_count() or 1) + 1)
    try:
        stats = Locust(server, targets, args.out, args.users, args.requests, args.time).result()
        memory = server.worker_memory()
    finally:
        server.stop()
    result = {"articles": args.articles or "fixtures", "users": args.users, "workers": args.workers, **stats,
              "worker_memory": memory}  # fmt: skip
    (args.out / "loadtest.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print("\n".join(report_lines(stats)), flush=True)
    if stats["total"].get("failures") or not stats["total"].get("requests"):
        print("FAILED: errors under load (or no request answered)", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
