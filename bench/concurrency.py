"""Concurrency test: readers keep searching while staff save corrections and a full rebuild swaps in.

`python -m bench.concurrency --articles 2000 --time 600` serves an archive (bench.loadtest's
preparation) with gunicorn and runs locust readers until the steps below are done (at most
--time seconds: the run fails if they stop before the rebuild has swapped in). Meanwhile it logs in to
the admin as a browser would and saves headline corrections (each a new word, searched for right
after the save), runs `build_index` (a complete new index swapped in under the readers), saves
another correction while that rebuild runs, and checks after each step that the corrections
are found. The run fails on any failed request or any correction the search does not find.
Results go to OUT/concurrency.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from urllib.parse import quote, urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

from .loadtest import Locust, arguments, prepare, report_lines
from .run import PYTHON, ROOT, Server

STAFF, PASSWORD = "concurrency-test", "a-long-password-for-the-test-only"


class FormFields(HTMLParser):
    """The fields a browser would send with a form of the page, by the form's id."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name") and a.get("type", "text") not in ("submit", "button", "file", "image"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.fields.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = [a.get("name"), ""]

    def handle_data(self, data):
        if self._textarea:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None


class AdminSession:
    """A member of staff in the admin, over HTTP with cookies and CSRF tokens like a browser."""

    def __init__(self, base: str, admin_path: str):
        self.base, self.admin = base, "/" + admin_path.strip("/") + "/"
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()))
        login = f"{self.admin}login/?next={self.admin}"
        fields = self.form(login, "login-form")
        fields = [(k, v) for k, v in fields if k not in ("username", "password")]
        page = self.post(login, [*fields, ("username", STAFF), ("password", PASSWORD)])
        if "login-form" in page:
            raise SystemExit("could not log in to the admin")

    def form(self, path: str, form_id: str) -> list[tuple[str, str]]:
        parser = FormFields(form_id)
        parser.feed(self.opener.open(self.base + path, timeout=60).read().decode("utf-8"))
        if not parser.fields:
            raise SystemExit(f"no form {form_id!r} at {path}")
        return parser.fields

    def post(self, path: str, fields: list[tuple[str, str]]) -> str:
        request = Request(
            self.base + path, data=urlencode(fields).encode("utf-8"), headers={"Referer": self.base + path}
        )
        return self.opener.open(request, timeout=120).read().decode("utf-8")

    def correct_title(self, pk: int, title: str) -> float:
        """Save a new headline through the article's change form; seconds the save took."""
        path = f"{self.admin}articles/article/{pk}/change/"
        fields = [(k, title if k == "title" else v) for k, v in self.form(path, "article_form")]
        fields.append(("_save", "Save"))
        started = time.perf_counter()
        page = self.post(path, fields)
        if 'class="errornote"' in page or "errorlist" in page:
            raise SystemExit(f"the admin refused the correction of article {pk}")
        return time.perf_counter() - started


def search_total(base: str, query: str) -> int:
    with build_opener().open(f"{base}/api/search?q={quote(query)}", timeout=60) as response:
        return json.loads(response.read())["total"]


def manage(env: dict, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([PYTHON, "manage.py", *args], cwd=ROOT, env=env, **kwargs)


def main(argv: list[str] | None = None) -> int:
    args = arguments(__doc__.split("\n\n")[0], argv, "concurrency")
    env, targets = prepare(args.out, args.articles, args.seed)
    env = {**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD}
    manage(env, "createsuperuser", "--noinput", "--username", STAFF, "--email", "staff@example.org").wait()
    article_pks = json.loads(targets.read_text(encoding="utf-8"))["articles_to_correct"]
    server = Server(env, args.out, args.workers or (os.cpu_count() or 1) + 1)
    base = f"http://127.0.0.1:{server.port}"
    steps, problems = [], []

    def expect_found(word: str, when: str) -> None:
        total = search_total(base, word)
        steps.append({"step": when, "word": word, "found": total})
        if total != 1:
            problems.append(f"{when}: {word} found in {total} articles, not 1")

    try:
        readers = Locust(server, targets, args.out, args.users, 0, args.time)  # no count: stopped below
        time.sleep(min(5, args.time / 6))  # the readers are at full speed
        staff = AdminSession(base, env.get("ARCHIVE_ADMIN_URL", "admin/"))
        words = [f"校订标记{chr(0x4E00 + 37 * k)}号" for k in range(len(article_pks))]
        for word in words[:3]:
            if search_total(base, word):
                problems.append(f"{word} is found before any correction: pick other words")
        for pk, word in zip(article_pks[:2], words, strict=False):
            seconds = staff.correct_title(pk, f"{word}（更正）")
            steps.append({"step": "admin save", "article": pk, "seconds": round(seconds, 2)})
            expect_found(word, "right after the save")
        started = time.perf_counter()
        rebuild = manage(env, "build_index", stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(0.5)
        for pk, word in zip(article_pks[2:3], words[2:3], strict=False):
            staff.correct_title(pk, f"{word}（更正）")  # saved while the new index is being built
            steps.append({"step": "admin save during the rebuild", "article": pk})
        _, errors = rebuild.communicate()
        steps.append({"step": "build_index swapped in", "seconds": round(time.perf_counter() - started, 2),
                      "exit": rebuild.returncode, "readers_running": readers.running()})  # fmt: skip
        if rebuild.returncode:
            problems.append(f"build_index failed: {errors.strip()[-500:]}")
        if not readers.running():
            problems.append(f"the readers stopped before the swap: give them more than --time {args.time}")
        for word in words[:3]:
            expect_found(word, "after the swap")
        time.sleep(3)  # readers on the new index for a moment
        readers.stop()
        stats = readers.result()
    finally:
        server.stop()
    if stats["total"].get("failures"):
        problems.append(f"{stats['total']['failures']} failed requests")
    result = {"articles": args.articles or "fixtures", "users": args.users, **stats, "steps": steps,
              "problems": problems}  # fmt: skip
    (args.out / "concurrency.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print("\n".join(report_lines(stats)), flush=True)
    for step in steps:
        print(" ".join(f"{k}={v}" for k, v in step.items()), flush=True)
    if problems or not stats["total"].get("requests"):
        print("FAILED:\n  " + "\n  ".join(problems or ["no request answered"]), flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
