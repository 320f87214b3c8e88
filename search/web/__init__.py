"""The web surface of search: the search page, /api/search and its form, suggestions."""
