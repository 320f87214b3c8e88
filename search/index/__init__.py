"""The index's write side: the haystack backend (schema, writer, searcher), the index queue
that every change feeds in its own transaction (queue.py), and the indexer that empties it or
builds a whole new index (writing.py)."""
