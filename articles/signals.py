"""Signals the articles app sends for others (the search index) to follow."""

from django.dispatch import Signal

# Sent with article_ids when the persons and places found in those articles were stored again.
mentions_changed = Signal()
