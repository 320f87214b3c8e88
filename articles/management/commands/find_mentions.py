"""manage.py find_mentions: the archive's recognizer on any text, one JSON object a line."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from articles import recognizing
from articles.recognition import Recognizer


class Command(BaseCommand):
    help = (
        "Find the persons and places in UTF-8 text, one text a line (standard input when no file is given), "
        "and print one JSON object a line: {persons: [{name, start, end}], places: [{name, start, end, kind, "
        "province, city, county, country}]}, offsets in characters of the line. It runs the archive's own "
        "recognizer: its model, its bylines and its staff's rules."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", type=Path, help="a UTF-8 text file (default: standard input)")

    def handle(self, *args, file=None, **options):
        data = self._read(file)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CommandError(
                f"{file or 'standard input'}: not UTF-8 text (invalid byte at offset {exc.start})"
            ) from exc
        try:
            knowledge = recognizing.knowledge()
        except DatabaseError as exc:
            raise CommandError(
                f"the archive's database is not ready ({exc}): run `make serve` once, or `manage.py migrate`"
            ) from exc
        recognizer = Recognizer(knowledge)
        lines = text.split("\n")
        if text.endswith("\n"):
            lines.pop()  # the newline ends the last line; it starts no line of its own
        for line in lines:
            line = line.removesuffix("\r")
            self.stdout.write(json.dumps(mentions_of(recognizer, line), ensure_ascii=False))

    def _read(self, file: Path | None) -> bytes:
        if file is None:
            return sys.stdin.buffer.read()
        try:
            return file.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: cannot read the file ({exc.strerror})") from exc


def mentions_of(recognizer: Recognizer, line: str) -> dict:
    """The JSON object of one line."""
    persons, places = [], []
    for m in recognizer.find(line) if line.strip() else []:
        if m.kind == "person":
            persons.append({"name": m.name, "start": m.start, "end": m.end})
        else:
            p = m.place
            where = {"kind": p.kind, "province": p.province, "city": p.city, "county": p.county, "country": p.country}
            places.append({"name": m.name, "start": m.start, "end": m.end, **where})
    return {"persons": persons, "places": places}
