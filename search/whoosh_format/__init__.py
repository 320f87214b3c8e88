"""Everything that reads or writes Whoosh 2.7.4's private on-disk format, for speed.

The rest of the archive uses these through a narrow interface: `docsets.docs(searcher,
query)` (the documents a query matches, as an array), `postings.intersect/difference`,
`ranking.scores_of/best` (Whoosh's BM25F), `facets.columns/count`, `segments.write_segments/
commit_segments` (build_index's writers), `substring.Substring/Character` (exact-substring
queries) and `whoosh_fixes.apply()`. search.apps refuses to start on another Whoosh version;
tests/search compare each fast path with Whoosh's public API on the real sources.
"""
