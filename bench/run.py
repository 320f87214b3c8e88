"""The archive's benchmark: `python -m bench --sizes 1000,10000,50000`.

For each size N it generates a synthetic archive from the real sources (bench.synthetic),
loads and indexes it in fresh processes (time, MB/s, peak memory), times searches in
process against the stock configuration and a substring scan (bench.inprocess, which also
checks recall), then serves the archive with gunicorn on 127.0.0.1 and times searches and
pages over HTTP. Results go to the output folder as results.json, table.txt and latency.png;
the run fails if recall or precision against the scan is below 1.0.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from . import synthetic

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (no interpolation between two measured values)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))]


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "p99": percentile(values, 99),
    }


def archive_env(folder: Path, sources: Path) -> dict:
    """The environment of an archive of its own: SQLite database and index under folder/var
    (never the developer's database, even if ARCHIVE_DATABASE_URL is set), sources from `sources`."""
    env = {
        **os.environ,
        "ARCHIVE_VAR_DIR": str(folder / "var"),
        "DJANGO_SETTINGS_MODULE": "archive.settings.dev",
        "ARCHIVE_SOURCES_DIR": str(sources),
        "PYTHONUNBUFFERED": "1",
        "ARCHIVE_LOG_LEVEL": "WARNING",
        "ARCHIVE_MAPS_DIR": str(ROOT / "var" / "maps"),
    }  # fmt: skip (the maps are drawn once, not per archive)
    for name in ("ARCHIVE_DATABASE_URL", "DATABASE_URL", "ARCHIVE_SEARCH_DIR"):
        env.pop(name, None)
    return env


def run_step(name: str, args: list[str], env: dict, log: Path) -> dict:
    """Run one step in a fresh process; its wall time and peak memory (that process alone)."""
    started = time.perf_counter()
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"\n$ {' '.join(args)}\n")
        out.flush()
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark step {name!r} failed: see {log}")
    cpu = usage.ru_utime + usage.ru_stime  # with the worker processes it waited for
    return {"seconds": round(seconds, 2), "cpu_s": round(cpu, 2), "peak_mb": round(usage.ru_maxrss / 1024, 1)}


def choose_queries(archive: synthetic.Archive, pools: synthetic.Pools, per_kind: int, seed: int) -> list:
    """Names and places across the long tail (head, middle, tail), phrases, and the commonest words."""
    rng = random.Random(seed)
    printed = "\n".join(archive.files.values())
    counts_p = Counter({name: printed.count(name) for name in archive.persons[: per_kind * 40]})
    counts_l = Counter({name: printed.count(name) for name in archive.places[: per_kind * 40]})

    def spread(counts: Counter) -> list[str]:
        present = [name for name, n in counts.most_common() if n]
        step = max(1, len(present) // per_kind)
        return present[::step][:per_kind]

    phrases = []
    while len(phrases) < per_kind:
        paragraph = rng.choice(pools.paragraphs)
        runs = [r for r in re.findall(r"[\u4e00-\u9fff]{6,}", paragraph)]
        if runs:
            run = rng.choice(runs)
            length = rng.randint(4, min(8, len(run)))
            start = rng.randint(0, len(run) - length)
            phrases.append(run[start : start + length])
    words = Counter(w for p in pools.paragraphs for w in re.findall(r"[\u4e00-\u9fff]{2}", p))
    common = [w for w, _ in words.most_common(per_kind)]
    queries = [("name", n) for n in spread(counts_p)] + [("place", n) for n in spread(counts_l)]
    return queries + [("phrase", p) for p in dict.fromkeys(phrases)] + [("common", w) for w in common]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc: Linux)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return found


class Server:
    """gunicorn with the repository's configuration, on a free port of 127.0.0.1."""

    def __init__(self, env: dict, folder: Path, workers: int):
        self.port = free_port()
        self.access_log = folder / "access.log"
        env = {
            **env,
            "ARCHIVE_GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "ARCHIVE_GUNICORN_WORKERS": str(workers),
            "ARCHIVE_GUNICORN_ACCESS_LOG": str(self.access_log),
        }
        self.log = open(folder / "gunicorn.log", "w", encoding="utf-8")
        args = [PYTHON, "-m", "gunicorn", "-c", "archive/gunicorn.conf.py", "archive.wsgi"]
        self.started = time.perf_counter()
        self.process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_ready()

    def wait_ready(self) -> None:
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped: see {self.log.name}")
            try:
                if self.get("/healthz")[0] == 200:
                    self.ready_s = time.perf_counter() - self.started
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not answer within 120 s")

    def get(self, path: str, connection: http.client.HTTPConnection | None = None) -> tuple[int, bytes, float]:
        own = connection is None
        connection = connection or http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if own:
            connection.close()
        return response.status, body, elapsed

    def worker_memory(self) -> dict:
        """Each worker's resident set (RSS), its proportional share (PSS: shared pages split
        between the processes sharing them) and its private memory (RssAnon: not the index
        files the kernel maps in)."""
        workers = []
        for pid in child_pids(self.process.pid):
            proc = Path("/proc") / str(pid)
            try:
                rollup = (proc / "smaps_rollup").read_text()
                rss = int(re.search(r"^Rss:\s+(\d+)", rollup, re.M).group(1)) / 1024
                pss = int(re.search(r"^Pss:\s+(\d+)", rollup, re.M).group(1)) / 1024
                status = (proc / "status").read_text()
                anon = int(re.search(r"^RssAnon:\s+(\d+)", status, re.M).group(1)) / 1024
                workers.append({"rss_mb": round(rss, 1), "pss_mb": round(pss, 1), "anon_mb": round(anon, 1)})
            except (OSError, AttributeError, IndexError, ValueError):
                continue
        return {
            "workers": workers,
            "max_rss_mb": max((w["rss_mb"] for w in workers), default=None),
            "max_anon_mb": max((w["anon_mb"] for w in workers), default=None),
        }

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def server_times(access_log: Path, paths: set[str] | None = None, prefix: str = "") -> list[float]:
    """Server-side times (ms) of the logged requests for these paths, or starting with prefix."""
    times = []
    for line in access_log.read_text(encoding="utf-8", errors="replace").splitlines():
        m = re.search(r'"GET (\S+) [^"]*" (\d+) \S+ (\d+)$', line)
        if m and (m.group(1) in paths if paths is not None else m.group(1).startswith(prefix)):
            times.append(int(m.group(3)) / 1000)
    return times


def http_searches(server: Server, queries: list, repeats: int, expected: dict) -> dict:
    """Each query once on a fresh server (cold), then `repeats` times (warm); totals checked."""
    results: dict = {}
    wrong_totals = []
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    for endpoint in ("/api/search", "/search/"):
        for phase in ("cold", "warm"):
            for kind, text in queries:
                for _ in range(1 if phase == "cold" else repeats):
                    status, body, ms = server.get(f"{endpoint}?q={quote(text)}", connection)
                    if status != 200:
                        raise SystemExit(f"{endpoint} {text!r} answered {status}")
                    results.setdefault(f"{endpoint} {kind} {phase}", []).append(ms)
                    if endpoint == "/api/search" and phase == "cold":
                        total = json.loads(body)["total"]
                        if total != expected[text]:
                            wrong_totals.append((text, total, expected[text]))
    connection.close()
    return {"latency_ms": {key: summary(values) for key, values in results.items()}, "wrong_totals": wrong_totals}


def http_pages(server: Server, paths: dict[str, list[str]], repeats: int) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    latency, errors = {}, []
    for kind, urls in paths.items():
        times = []
        for _ in range(repeats):
            for url in urls:
                status, _, ms = server.get(url, connection)
                if status != 200:
                    errors.append((url, status))
                times.append(ms)
        latency[kind] = summary(times)
    connection.close()
    return {"latency_ms": latency, "errors": errors}


def throughput(server: Server, paths: list[str], clients: int, requests: int) -> dict:
    """Requests per second with `clients` connections asking for `requests` pages in all."""
    todo = list(paths) * (requests // max(len(paths), 1) + 1)
    todo = todo[:requests]
    lock = threading.Lock()
    times, errors = [], []

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        while True:
            with lock:
                if not todo:
                    break
                path = todo.pop()
            try:
                status, _, ms = server.get(path, connection)
            except (OSError, http.client.HTTPException) as exc:
                errors.append((path, str(exc)))
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
                continue
            with lock:
                times.append(ms)
                if status != 200:
                    errors.append((path, status))
        connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return {"requests": len(times), "seconds": round(seconds, 2), "per_second": round(len(times) / seconds, 1),
            "latency_ms": summary(times), "errors": errors}  # fmt: skip


def measure(n: int, args, pools: synthetic.Pools, earlier: dict[int, dict]) -> dict:
    folder = args.out / f"n{n}"
    if args.serve_again:
        return serve_again(n, folder, args, pools, earlier)
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "var").mkdir(parents=True)
    log = folder / "steps.log"
    started = time.perf_counter()
    archive = synthetic.generate(n, args.seed, pools)
    synthetic.write(archive, folder / "sources")
    source_mb = sum(len(t.encode("utf-8")) for t in archive.files.values()) / 1e6
    result: dict = {"n": n, "source_mb": round(source_mb, 2), "characters": archive.characters,
                    "files": len(archive.files), "generate_s": round(time.perf_counter() - started, 2)}  # fmt: skip
    env = archive_env(folder, folder / "sources")
    manage = [PYTHON, "manage.py"]
    run_step("migrate", [*manage, "migrate", "--noinput", "-v0"], env, log)
    run_step("collectstatic", [*manage, "collectstatic", "--noinput", "-v0"], env, log)
    load = run_step("load", [*manage, "load_sources", "--no-index", "--no-recognize"], env, log)
    index = run_step("index", [*manage, "build_index"], env, log)
    both = load["seconds"] + index["seconds"]
    result["load"] = {**load, "mb_per_s": round(source_mb / load["seconds"], 3)}
    result["index"] = {**index, "mb_per_s": round(source_mb / index["seconds"], 3)}
    result["end_to_end"] = {"seconds": round(both, 2), "mb_per_s": round(source_mb / both, 3)}
    print(f"N={n}: load {load['seconds']} s, index {index['seconds']} s: "
          f"{result['end_to_end']['mb_per_s']} MB/s end to end", flush=True)  # fmt: skip
    recognize = run_step("recognize", [*manage, "recognize"], env, log)
    result["recognize"] = {
        **recognize,
        "mb_per_s": round(source_mb / recognize["seconds"], 3),
        "cpu_s_per_mb": round(recognize["cpu_s"] / source_mb, 2),
    }
    print(f"N={n}: persons and places recognized in {recognize['seconds']} s: {result['recognize']['mb_per_s']} MB/s, "
          f"{result['recognize']['cpu_s_per_mb']} CPU s/MB", flush=True)  # fmt: skip

    return measure_searches_and_pages(archive, folder, env, result, args, pools)


def serve_again(n: int, folder: Path, args, pools: synthetic.Pools, earlier: dict[int, dict]) -> dict:
    """Time searches and pages again on the archive an earlier run built in this folder (same N
    and seed), after a change to the code that serves it: no load, index or recognition, whose
    figures are the earlier run's (`earlier`, by N). The shared cache is emptied, as on a fresh start."""
    if n not in earlier or not (folder / "var" / "archive.sqlite3").exists():
        raise SystemExit(f"--serve-again: no archive of {n} articles in {folder} (run without it first)")
    built = ("n", "source_mb", "characters", "files", "generate_s", "load", "index", "end_to_end", "recognize")
    result = {key: earlier[n][key] for key in built if key in earlier[n]} | {"served_again": True}
    shutil.rmtree(folder / "var" / "cache", ignore_errors=True)
    (folder / "access.log").unlink(missing_ok=True)  # the server's times are this run's only
    env = archive_env(folder, folder / "sources")
    run_step("collectstatic", [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env, folder / "steps.log")
    return measure_searches_and_pages(synthetic.generate(n, args.seed, pools), folder, env, result, args, pools)


def measure_searches_and_pages(archive, folder: Path, env: dict, result: dict, args, pools) -> dict:
    """In-process searches against the scan (and the stock backend), then the server's timings."""
    n, log, manage = result["n"], folder / "steps.log", [PYTHON, "manage.py"]
    source_mb = result["source_mb"]
    queries = choose_queries(archive, pools, args.per_kind, args.seed)
    (folder / "queries.json").write_text(json.dumps(queries, ensure_ascii=False), encoding="utf-8")
    stock = n <= args.stock_max
    bench_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    if stock:
        build = run_step("stock index", [*manage, "rebuild_index", "--using", "stock", "--noinput"], bench_env, log)
        result["stock_index"] = {**build, "mb_per_s": round(source_mb / build["seconds"], 3)}
        print(f"N={n}: stock index {build['seconds']} s", flush=True)
    inproc = [PYTHON, "-m", "bench.inprocess", str(folder / "queries.json"), str(folder / "inprocess.json")]
    inproc += ["--pages", str(args.pages), "--seed", str(args.seed)]
    run_step("in-process searches", inproc + (["--stock"] if stock else []), bench_env, log)
    result["inprocess"] = inprocess_summary(json.loads((folder / "inprocess.json").read_text(encoding="utf-8")))
    expected = {row["query"]: row["expected"] for row in json.loads((folder / "inprocess.json").read_text())["queries"]}

    server = Server(env, folder, args.workers)
    try:
        result["server_ready_s"] = round(server.ready_s, 2)
        result["http_search"] = http_searches(server, queries, args.repeats, expected)
        result["search_server_ms"] = {
            f"{endpoint} {kind}": summary(
                server_times(server.access_log, paths={f"{endpoint}?q={quote(t)}" for k, t in queries if k == kind})
            )
            for endpoint in ("/api/search", "/search/")
            for kind in ("name", "place", "phrase", "common")
        }
        paths = json.loads((folder / "inprocess.json").read_text(encoding="utf-8"))["paths"]
        result["http_pages"] = http_pages(server, paths, repeats=2)
        time.sleep(0.5)  # let gunicorn write its access log
        result["page_server_ms"] = {
            kind: summary(server_times(server.access_log, paths=set(urls))) for kind, urls in paths.items()
        }
        mixed = paths["article"] + [f"/api/search?q={quote(text)}" for _, text in queries]
        result["throughput"] = throughput(server, mixed, clients=args.clients, requests=args.requests)
        result["memory"] = server.worker_memory()
    finally:
        server.stop()
    if not args.keep:
        shutil.rmtree(folder / "sources", ignore_errors=True)
    return result


def inprocess_summary(report: dict) -> dict:
    by_kind: dict = {}
    for row in report["queries"]:
        for engine in ("ours", "stock", "scan"):
            if f"{engine}_warm_ms" in row:
                entry = by_kind.setdefault(row["kind"], {}).setdefault(engine, {"cold": [], "warm": []})
                entry["cold"].append(row[f"{engine}_cold_ms"])
                entry["warm"] += row[f"{engine}_warm_ms"]
    summarised = {
        kind: {engine: {phase: summary(v) for phase, v in phases.items()} for engine, phases in engines.items()}
        for kind, engines in by_kind.items()
    }
    return {"recall": report["recall"], "precision": report["precision"], "by_kind": summarised,
            "scan_load_s": report["scan_load_s"]}  # fmt: skip


def fmt(value, digits=1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def table(results: list[dict]) -> str:
    lines = ["N       MB    load MB/s  index MB/s  end-to-end MB/s  peak MB  recall  worker RSS/anon MB"]
    for r in results:
        lines.append(
            f"{r['n']:<7} {r['source_mb']:<5.1f} {fmt(r['load']['mb_per_s'], 3):<10} {fmt(r['index']['mb_per_s'], 3):<11} "
            f"{fmt(r['end_to_end']['mb_per_s'], 3):<16} "
            f"{fmt(max(r['load']['peak_mb'], r['index']['peak_mb']), 0):<8} {r['inprocess']['recall']:<7.3f} "
            f"{fmt(r['memory']['max_rss_mb'], 0)}/{fmt(r['memory'].get('max_anon_mb'), 0)}"
        )
    lines += ["", "persons and places (after load and index): seconds, MB/s, CPU s/MB, peak MB"]
    for r in results:
        rec = r.get("recognize")
        if rec:
            lines.append(
                f"N={r['n']:<6} recognize {fmt(rec['seconds'])} s  {fmt(rec['mb_per_s'], 3)} MB/s  "
                f"{fmt(rec['cpu_s_per_mb'], 2)} CPU s/MB  {fmt(rec['peak_mb'], 0)} MB"
            )
    lines += ["", "search, warm, in process (ms p50/p95): ours | stock | substring scan | ratio stock/ours, scan/ours"]
    for r in results:
        for kind, engines in r["inprocess"]["by_kind"].items():
            ours = engines["ours"]["warm"]
            stock = engines.get("stock", {}).get("warm", {})
            scan = engines["scan"]["warm"]
            ratio_stock = stock["p95"] / ours["p95"] if stock.get("p95") else None
            ratio_scan = scan["p95"] / ours["p95"] if ours["p95"] else None
            lines.append(
                f"N={r['n']:<6} {kind:<7} {fmt(ours['p50'])}/{fmt(ours['p95'])} | "
                f"{fmt(stock.get('p50'))}/{fmt(stock.get('p95'))} | {fmt(scan['p50'])}/{fmt(scan['p95'])} | "
                f"x{fmt(ratio_stock)}, x{fmt(ratio_scan)}"
            )
    lines += ["", "over HTTP (client ms p50/p95/p99; server p95 from gunicorn's log, cold and warm together)"]
    for r in results:
        for key, s in r["http_search"]["latency_ms"].items():
            if key.startswith("/api/search") or key.endswith("warm"):
                server = r["search_server_ms"].get(key.rsplit(" ", 1)[0], {})
                lines.append(
                    f"N={r['n']:<6} {key:<28} {fmt(s['p50'])}/{fmt(s['p95'])}/{fmt(s['p99'])}"
                    + (f"  (server p95 {fmt(server['p95'])})" if server.get("p95") and key.endswith("warm") else "")
                )
        for kind, s in r["http_pages"]["latency_ms"].items():
            server = r["page_server_ms"][kind]
            lines.append(
                f"N={r['n']:<6} page {kind:<22} {fmt(s['p50'])}/{fmt(s['p95'])}/{fmt(s['p99'])}"
                f"  (server p95 {fmt(server['p95'])})"
            )
        t = r["throughput"]
        lines.append(
            f"N={r['n']:<6} throughput: {t['per_second']} req/s over {t['requests']} requests, "
            f"{len(t['errors'])} errors; first answer after start {r['server_ready_s']} s"
        )
    return "\n".join(lines)


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.5))
    sizes = [r["n"] for r in results]
    for kind in ("name", "place", "phrase", "common"):
        for engine, style in (("ours", "-o"), ("stock", ":s"), ("scan", "--^")):
            points = [
                (r["n"], r["inprocess"]["by_kind"][kind][engine]["warm"]["p95"])
                for r in results
                if engine in r["inprocess"]["by_kind"].get(kind, {})
            ]
            if points:
                axes.plot(*zip(*points, strict=True), style, label=f"{engine} {kind}")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xticks(sizes, [str(n) for n in sizes])
    axes.set_xlabel("articles (N)")
    axes.set_ylabel("search p95, warm (ms)")
    axes.legend(fontsize=7, ncol=3)
    axes.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated article counts")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results")
    parser.add_argument("--stock-max", type=int, default=10000, help="largest N to build the stock index for")
    parser.add_argument("--per-kind", type=int, default=12, help="queries of each kind (name, place, phrase, common)")
    parser.add_argument("--repeats", type=int, default=5, help="warm repetitions of each search")
    parser.add_argument("--pages", type=int, default=40, help="article pages to time")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=4, help="concurrent connections in the throughput run")
    parser.add_argument("--requests", type=int, default=400, help="requests in the throughput run")
    parser.add_argument("--keep", action="store_true", help="keep the generated source files")
    parser.add_argument(
        "--serve-again",
        action="store_true",
        help="time searches and pages again on the archives an earlier run built in --out (no load, index or recognition)",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    pools = synthetic.real_pools(ROOT / "fixtures" / "sources")
    earlier_results = args.out / "results.json"
    earlier = {}
    if args.serve_again and earlier_results.exists():
        earlier = {r["n"]: r for r in json.loads(earlier_results.read_text(encoding="utf-8"))}
    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        results.append(measure(n, args, pools, earlier))
        (args.out / "results.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    text = table(results)
    (args.out / "table.txt").write_text(text + "\n", encoding="utf-8")
    plot(results, args.out / "latency.png")
    print(text)
    print(f"\nwritten: {args.out / 'results.json'}, {args.out / 'table.txt'}, {args.out / 'latency.png'}")
    failed = [r["n"] for r in results if r["inprocess"]["recall"] < 1.0 or r["inprocess"]["precision"] < 1.0]
    failed += [r["n"] for r in results if r["http_search"]["wrong_totals"]]
    if failed:
        print(f"FAILED: search missed or added articles against the substring scan at N={sorted(set(failed))}")
        return 1
    return 0
