"""What the long commands print: a progress bar, drawn only on a terminal (tqdm), and counts."""

from __future__ import annotations

import sys


class ProgressBar:
    """`update(done, total)` moves the bar; on a pipe or in a log file nothing is drawn."""

    def __init__(self, label: str, enabled: bool = True, stream=None):
        self.stream = stream or sys.stderr
        self.label = label
        self.enabled = enabled and self.stream.isatty()
        self.bar = None

    def __enter__(self):
        return self

    def update(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=self.label, unit=" articles", file=self.stream)
        self.bar.update(done - self.bar.n)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()


def articles(count: int) -> str:
    """ "1 article", "40 articles": the commands' counts read as English."""
    return f"{count} article" if count == 1 else f"{count} articles"
