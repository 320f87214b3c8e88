"""Fault test: kill -9 the loader part-way through a large source set, again and again.

`python -m bench.faults --articles 5000 --kills 4` generates a synthetic source set (bench.synthetic),
then runs `load_sources` and kills it with SIGKILL at moments drawn from the seed: in the middle
of a file's transaction, right after its last commit (before it indexes), and while it indexes
at the end of the run; then a `build_index` killed while it writes. After each kill it checks
(bench.consistency) that every source file is in the database whole or not at all, and that
the index holds no article the database lacks and misses none that is not in its queue. Then a load runs to the end: every file loaded, the index
holding exactly the database's articles, and a second load changing nothing. Then `recognize
--all` is killed part-way: run again, it reads only the articles still waiting and stores what
a run never killed stores.
Results go to OUT/faults.json; the run fails on any inconsistency.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import synthetic
from .run import archive_env, child_pids

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


class Step:
    """A management command in its own process, its output lines counted as they come."""

    def __init__(self, args: list[str], env: dict, log: Path):
        self.lines: list[str] = []
        self.log = open(log, "a", encoding="utf-8")
        self.log.write(f"\n$ {' '.join(args)}\n")
        self.log.flush()
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=env, text=True, encoding="utf-8",
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            self.log.write(line)
        self.log.flush()

    def files_done(self) -> int:
        return sum(1 for line in self.lines if line.split(":", 1)[0] in ("created", "updated", "unchanged"))

    def wait_until(self, condition, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            if condition():
                return True
            time.sleep(0.01)
        return condition()

    def kill(self) -> bool:
        """SIGKILL, as the kernel's OOM killer or a power cut would; False if it had finished."""
        finished = self.process.poll() is not None
        if not finished:
            os.kill(self.process.pid, signal.SIGKILL)
        self.finish()
        return not finished

    def finish(self) -> int:
        code = self.process.wait()
        self.reader.join(10)
        self.log.close()
        return code

    @property
    def seconds(self) -> float:
        return round(time.perf_counter() - self.started, 2)


def leftover_processes(var: Path) -> list[int]:
    """Processes still working on this archive (found by their environment): a killed
    command's helpers, such as build_index's writer processes, must die with it."""
    marker = f"ARCHIVE_VAR_DIR={var}".encode()
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:
            continue
    return found


def consistency(sources: Path, env: dict, folder: Path) -> dict:
    out = folder / "consistency.json"
    subprocess.run([PYTHON, "-m", "bench.consistency", str(sources), str(out)], cwd=ROOT, env=env, check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def problems_after_kill(report: dict) -> list[str]:
    """A source in part, or an index holding deleted articles that nothing will remove."""
    index = report["index"]
    found = [f"{name}: {', '.join(why)}" for name, why in report["partial"].items()]
    if index["ghosts_not_pending"] or index["indexed_twice"]:
        found.append(f"index holds {index['ghosts_not_pending']} articles the database lacks (not queued), "
                     f"{index['indexed_twice']} twice")  # fmt: skip
    if index["unindexed_not_pending"]:  # a commit queues its articles in the same transaction
        found.append(f"{index['unindexed_not_pending']} committed articles neither indexed nor queued")
    return found


def problems_when_done(report: dict) -> list[str]:
    found = problems_after_kill(report)
    if report["sources"].get("whole", 0) != report["files"]:
        found.append(f"only {report['sources'].get('whole', 0)} of {report['files']} files loaded: {report['sources']}")
    index = report["index"]
    if index["unindexed"] or index["ghosts"] or index["indexed"] != index["articles"]:
        found.append(f"index holds {report['index']['indexed']} of {report['index']['articles']} articles")
    return found


def change_sources(sources: Path, rng: random.Random, seed: int) -> dict:
    """The source set as an editor changes it: a third of the files lose their last article,
    a third gain one, and two new files arrive (re-imports delete and add articles)."""
    pools = synthetic.real_pools(ROOT / "fixtures" / "sources")
    more = synthetic.generate(3 * synthetic.ARTICLES_PER_PAGE, seed + 1, pools)
    extra_articles = [a for text in more.files.values() for a in text.split("\n\n# ")[1:]]
    files = sorted(sources.glob("*.txt"))
    shortened, lengthened = files[0::3], files[1::3]
    for path in shortened:
        text = path.read_text(encoding="utf-8")
        path.write_text(text[: text.rindex("\n\n# ")] + "\n", encoding="utf-8")
    for path in lengthened:
        path.write_text(path.read_text(encoding="utf-8") + "\n# " + rng.choice(extra_articles), encoding="utf-8")
    for k, text in enumerate(list(more.files.values())[:2]):
        (sources / f"zz-new-{k}.txt").write_text(text, encoding="utf-8")
    return {"shortened": len(shortened), "lengthened": len(lengthened), "new": 2}


def kill_plan(kills: int, files: int, rng: random.Random) -> list[dict]:
    """Where each kill lands: mid-file at first, then right after the load's last commit (its
    articles queued, not yet indexed), then while the load writes a new index at its end, then
    a build_index writing one; each a little way past a point drawn from the seed."""
    plan = []
    for k in range(kills):
        if k == kills - 1 and kills > 1:
            plan.append({"command": "build_index", "when": "writing the index", "after_s": rng.uniform(0.0, 0.5)})
        elif k == kills - 2 and kills > 2:
            plan.append({"command": "load_sources", "when": "writing the index", "after_s": rng.uniform(0.0, 0.5)})
        elif k == kills - 3 and kills > 3:
            plan.append({"command": "load_sources", "when": "after its last commit", "after_files": files,
                         "after_s": 0.0})  # fmt: skip
        else:
            plan.append({"command": "load_sources", "when": "mid-file", "after_files": rng.randint(1, files // 2),
                         "after_s": rng.uniform(0.0, 0.3)})  # fmt: skip
    return plan


class FaultRun:
    """Kills and complete runs on one archive, each followed by the consistency check."""

    def __init__(self, folder: Path, sources: Path, env: dict):
        self.folder, self.sources, self.env = folder, sources, env
        self.index_root = folder / "var" / "search"
        self.log = folder / "steps.log"
        self.rounds: list[dict] = []
        self.failures: list[str] = []

    def kill(self, kill: dict) -> None:
        number = len(self.rounds) + 1
        indexes = set(self.index_root.glob("index-*"))
        step = Step([kill["command"]], self.env, self.log)
        if kill["when"].startswith(("mid-file", "after its last commit")):
            step.wait_until(lambda: step.files_done() >= kill["after_files"], timeout=3600)
        else:  # build_index has made its new index folder and started its writer processes
            step.wait_until(
                lambda: set(self.index_root.glob("index-*")) - indexes
                and (child_pids(step.process.pid) or (os.cpu_count() or 1) == 1),
                timeout=3600,
            )
        time.sleep(kill["after_s"])
        killed = step.kill()
        time.sleep(1)  # the kernel's SIGKILL to orphans is immediate; give them a moment to go
        leftovers = leftover_processes(self.folder / "var")
        report = consistency(self.sources, self.env, self.folder)
        found = problems_after_kill(report) + [f"processes left running: {leftovers}"] * bool(leftovers)
        self.failures += [f"kill {number}: {problem}" for problem in found]
        self.rounds.append({**kill, "killed": killed, "at_s": step.seconds, "files_reported": step.files_done(),
                            "sources": report["sources"], "index": report["index"], "problems": found})  # fmt: skip
        print(f"kill {number} ({kill['command']}, {kill['when']}) at {step.seconds} s, "
              f"{'killed' if killed else 'had finished'}: sources {report['sources']}, index {report['index']}, "
              f"{'consistent' if not found else found}", flush=True)  # fmt: skip

    def complete(self, label: str) -> dict:
        """A load run to its end, then loaded again: everything in, and nothing left to change."""
        step = Step(["load_sources"], self.env, self.log)
        code = step.finish()
        report = consistency(self.sources, self.env, self.folder)
        found = problems_when_done(report) + ([f"the load exited {code}"] if code else [])
        again = Step(["load_sources"], self.env, self.log)
        again_code = again.finish()
        changed = [line for line in again.lines if line.startswith(("created", "updated"))]
        if again_code or changed:
            found.append(f"loading again changed {len(changed)} files (exit {again_code})")
        self.failures += [f"{label}: {problem}" for problem in found]
        print(f"{label}: {step.seconds} s, exit {code}: sources {report['sources']}, index {report['index']}; "
              f"again: {len(changed)} files changed", flush=True)  # fmt: skip
        return {"seconds": step.seconds, "sources": report["sources"], "index": report["index"], "problems": found}


def recognized(var: Path) -> int:
    """Articles the recognizer has read so far (read from the SQLite file, not through Django)."""
    import sqlite3

    with sqlite3.connect(var / "archive.sqlite3", timeout=30) as db:
        return db.execute("select count(*) from articles_article where recognized_by != ''").fetchone()[0]


def recognition_killed(run: FaultRun, rng: random.Random) -> dict:
    """Kill `recognize --all` after it has stored some chunks, then run it again: it must read
    only the articles still waiting (nothing twice), and store what the complete load's run,
    never killed, stored (nothing lost): the same mentions, by their digest."""
    var = run.folder / "var"
    before = consistency(run.sources, run.env, run.folder)
    total, clean_state = before["index"]["articles"], before["recognition"]
    step = Step(["recognize", "--all"], run.env, run.log)
    step.wait_until(lambda: recognized(var) == 0, timeout=600)  # --all has marked every article first
    threshold = rng.randint(total // 4, total // 2)
    step.wait_until(lambda: recognized(var) >= threshold, timeout=3600)
    time.sleep(rng.uniform(0.0, 0.3))
    killed = step.kill()
    time.sleep(1)
    leftovers = leftover_processes(var)
    after_kill = consistency(run.sources, run.env, run.folder)["recognition"]
    resumed = Step(["recognize"], run.env, run.log)
    resumed.finish()
    said = [line for line in resumed.lines if line.startswith("persons and places found in")]
    read_again = int(said[-1].split()[-2]) if said else -1
    resumed_state = consistency(run.sources, run.env, run.folder)["recognition"]
    problems = []
    if leftovers:
        problems.append(f"processes left running: {leftovers}")
    if after_kill["gaps"] or resumed_state["gaps"]:
        problems.append("an article's mentions stored in part")
    if read_again != after_kill["waiting"]:
        problems.append(f"the resumed run read {read_again} articles, {after_kill['waiting']} were waiting")
    if clean_state["waiting"] or resumed_state["waiting"] or resumed_state["digest"] != clean_state["digest"]:
        problems.append("the resumed run stored other mentions than the run never killed")
    run.failures += [f"recognition kill: {problem}" for problem in problems]
    result = {"killed": killed, "read_before_kill": after_kill["read"], "waiting_after_kill": after_kill["waiting"],
              "read_on_resume": read_again, "mentions": resumed_state["mentions"], "problems": problems}  # fmt: skip
    print(f"recognize killed after {after_kill['read']} of {total} articles; resumed run read {read_again}: "
          f"{'consistent' if not problems else problems}", flush=True)  # fmt: skip
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000, help="size of the synthetic source set (default 5000)")
    parser.add_argument("--kills", type=int, default=4, help="kills on the first load (default 4)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "bench-results" / "faults")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    shutil.rmtree(args.out, ignore_errors=True)
    (args.out / "var").mkdir(parents=True)
    sources = args.out / "sources"
    archive = synthetic.generate(args.articles, args.seed, synthetic.real_pools(ROOT / "fixtures" / "sources"))
    synthetic.write(archive, sources)
    env = archive_env(args.out, sources)
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    files = len(archive.files)
    print(f"{files} source files, {args.articles} articles, "
          f"{sum(len(t.encode()) for t in archive.files.values()) / 1e6:.1f} MB", flush=True)  # fmt: skip

    run = FaultRun(args.out, sources, env)
    for kill in kill_plan(args.kills, files, rng):
        run.kill(kill)
    first = run.complete("first complete load")
    recognition = recognition_killed(run, rng)
    # Again on a changed source set: its re-imports delete articles the index holds.
    changes = change_sources(sources, rng, args.seed)
    run.kill({"command": "load_sources", "when": f"mid-file, changed sources {changes}",
              "after_files": rng.randint(1, files - 1), "after_s": rng.uniform(0.0, 0.3)})  # fmt: skip
    final = run.complete("changed set, after the kill")
    result = {"articles": args.articles, "files": files, "seed": args.seed, "kills": run.rounds,
              "first": first, "recognition": recognition, "final": final, "failures": run.failures}  # fmt: skip
    (args.out / "faults.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    if run.failures:
        print("FAILED:\n  " + "\n  ".join(run.failures), flush=True)
        return 1
    print(f"consistent after every kill; results in {args.out / 'faults.json'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
