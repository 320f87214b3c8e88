"""Search: the reader's query language, its answers, and the index that keeps up with the archive."""
