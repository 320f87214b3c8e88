"""Signals the articles app sends for others (the search index) to follow."""

from django.dispatch import Signal

# Sent with article_ids when the persons and places found in those articles were stored again.
mentions_changed = Signal()

# Sent by load_sources around a run of many files: the search index may follow once, at the end,
# instead of after every file. batch_finished is sent even when the run failed part-way;
# with index=False the changes stay in the index queue for a later build_index.
batch_started = Signal()
batch_finished = Signal()
