"""manage.py load_sources: store source files, index them, then start recognition."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles import recognizing
from articles.loading import load_sources
from articles.progress import ProgressBar, articles
from articles.reading import SourceError, source_files
from articles.signals import batch_finished, batch_started


class Command(BaseCommand):
    help = (
        "Load source text files (or folders of .txt files) into the archive, one transaction per file. "
        "Defaults to the configured sources folder (fixtures/sources/)."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="files or folders to load")
        parser.add_argument("--encoding", default="utf-8", help="text encoding of the files (default: utf-8)")
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="leave the search index to a later build_index (the changes wait in the index queue)",
        )
        parser.add_argument(
            "--no-recognize",
            action="store_true",
            help="leave finding persons and places to a later `manage.py recognize`",
        )

    def handle(self, *args, paths, encoding, no_index=False, no_recognize=False, **options):
        files = source_files(paths or [settings.SOURCES_DIR])
        if not files:
            raise CommandError(f"no .txt source files in {', '.join(map(str, paths or [settings.SOURCES_DIR]))}")
        failed = 0
        batch_started.send(sender=self.__class__)
        try:
            for path, result in load_sources(files, encoding):
                if isinstance(result, SourceError):
                    failed += 1
                    self.stderr.write(f"error: {path}: {result}")
                    continue
                self.stdout.write(f"{result.status}: {path.name}: {articles(result.articles)}")
                for warning in result.warnings:
                    self.stdout.write(f"  note: {path.name}: {warning}")
                for correction in result.corrections:
                    self.stdout.write(f"  review: {correction}")
        finally:
            batch_finished.send(sender=self.__class__, index=not no_index)
        if not no_recognize:
            # The articles are stored and searchable; now their persons and places.
            batch_started.send(sender=self.__class__)
            try:
                with ProgressBar("persons and places") as bar:
                    done = recognizing.recognize_all(progress=bar.update)
            finally:
                batch_finished.send(sender=self.__class__, index=not no_index)
            if done is None:
                self.stdout.write("another process is finding persons and places; it will read these articles too")
            else:
                self.stdout.write(f"persons and places found in {articles(done)}")
        if failed:
            raise CommandError(f"{failed} of {len(files)} source files could not be loaded")
