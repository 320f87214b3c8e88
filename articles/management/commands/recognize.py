"""manage.py recognize: the recognition stage alone (persons and places of waiting articles)."""

from django.core.management.base import BaseCommand

from articles import recognizing
from articles.progress import ProgressBar, articles
from articles.signals import batch_finished, batch_started


class Command(BaseCommand):
    help = (
        "Find the persons and places of the articles waiting for the recognizer (all of them with --all), "
        "one worker process per core; resumable: a run that is killed goes on where it stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="read every article again (after a model change)")
        parser.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
        parser.add_argument("--quiet", action="store_true", help="print nothing (the admin starts it so)")

    def handle(self, *args, all=False, workers=None, quiet=False, **options):
        batch_started.send(sender=self.__class__)  # the index follows once, at the end
        try:
            with ProgressBar("persons and places", enabled=not quiet) as bar:
                done = recognizing.recognize_all(workers=workers, progress=bar.update, every=all)
        finally:
            batch_finished.send(sender=self.__class__, index=True)
        if quiet:
            return
        if done is None:
            self.stdout.write("another process is finding persons and places; it will read these articles too")
        else:
            self.stdout.write(f"persons and places found in {articles(done)}")
