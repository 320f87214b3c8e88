"""`manage.py build_index`: a whole new index, swapped in; what was queued meanwhile applied."""

from django.core.management.base import BaseCommand, CommandError

from search.index.writing import build_index


class Command(BaseCommand):
    help = (
        "Build a complete new search index beside the live one, check its article count against the "
        "database and swap it in atomically; searches keep working meanwhile."
    )

    def handle(self, *args, **options):
        try:
            build_index(out=self.stdout)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
