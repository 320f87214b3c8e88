"""Reading the search request: the query, filters from the allow-list, page and order."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from search import query as q
from search.engine import FACETS, SORTS, Filters

MAX_PAGE = 1000
MAX_QUERY_LENGTH = q.MAX_QUERY_LENGTH  # the search boxes' maxlength says the same


def _named(name: str, read):
    """read(), its ValidationError prefixed with the parameter's name."""
    try:
        return read()
    except forms.ValidationError as exc:
        raise forms.ValidationError(f"{name}: {' '.join(exc.messages)}") from exc


def parse_day(value: str, end: bool = False) -> dt.date | None:
    """Read 2022, 2022-05 or 2022-05-20 as the first (or last) day it covers."""
    value = (value or "").strip()
    if not value:
        return None
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", value)
    if not m:
        raise forms.ValidationError(_("Dates look like 2022, 2022-05 or 2022-05-20."))
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day:
            return dt.date(year, int(month), int(day))
        if month:
            first = dt.date(year, int(month), 1)
            if not end:
                return first
            following = dt.date(year + (first.month == 12), first.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
    except ValueError as exc:
        raise forms.ValidationError(_("That date does not exist.")) from exc


def _page_errors():
    message = _("page must be a whole number from 1 to %(max)d.") % {"max": MAX_PAGE}
    return {"invalid": message, "min_value": message, "max_value": message}


def _too_long(name: str, limit: int) -> dict:
    return {"max_length": _("%(name)s is too long: at most %(limit)d characters.") % {"name": name, "limit": limit}}


class SearchForm(forms.Form):
    """Every parameter is checked; a bad one is named in its message and answered with 400."""

    q = forms.CharField(required=False, strip=True)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, error_messages=_page_errors())
    sort = forms.ChoiceField(
        required=False,
        choices=[(s, s) for s in sorted(SORTS)],
        error_messages={"invalid_choice": _("sort must be one of: %s.") % ", ".join(sorted(SORTS))},
    )
    date_from = forms.CharField(required=False)
    date_to = forms.CharField(required=False)
    publication = forms.CharField(required=False, max_length=200, error_messages=_too_long("publication", 200))
    column = forms.CharField(required=False, max_length=200, error_messages=_too_long("column", 200))
    person = forms.CharField(required=False, max_length=100, error_messages=_too_long("person", 100))
    mentioned = forms.CharField(required=False, max_length=100, error_messages=_too_long("mentioned", 100))
    place = forms.CharField(required=False, max_length=100, error_messages=_too_long("place", 100))
    year = forms.CharField(required=False)
    source = forms.CharField(required=False, max_length=255, error_messages=_too_long("source", 255))

    def clean_year(self):
        year = self.cleaned_data["year"].strip()
        if year and not re.fullmatch(r"[0-9]{4}", year):
            raise forms.ValidationError(_("year looks like 2022 (four digits)."))
        return year

    def clean_q(self):
        text = self.cleaned_data["q"]
        try:
            return q.parse(text)
        except q.QueryError as exc:
            raise forms.ValidationError(f"q: {exc}") from exc

    def clean_date_from(self):
        return _named("date_from", lambda: parse_day(self.cleaned_data["date_from"]))

    def clean_date_to(self):
        return _named("date_to", lambda: parse_day(self.cleaned_data["date_to"], end=True))

    def filters(self) -> Filters:
        data = self.cleaned_data
        values = {name: q.clean_input(data[name]).strip() for name in FACETS if data.get(name)}
        return Filters(
            values={k: v for k, v in values.items() if v}, date_from=data["date_from"], date_to=data["date_to"]
        )
