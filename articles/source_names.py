"""The names sources are shown by: what a reader would call them, not their file names."""

from __future__ import annotations

# Names are content, in the sources' own language, whatever the reader's interface language.
KIND_LABELS = {"newspaper": "报纸版面", "magazine": "杂志", "web": "网络文章"}
LONGEST_HEADLINE = 40


def reader_name(source) -> str:
    """A name for `source` that no other stored source has (see Source.reader_name)."""
    base = _base_name(source)
    taken = set(
        type(source).objects.exclude(pk=source.pk).filter(title__startswith=base).values_list("title", flat=True)
    )
    if base not in taken:
        return base
    number = 2
    while f"{base}（{number}）" in taken:
        number += 1
    return f"{base}（{number}）"


def _base_name(source) -> str:
    when = _date_label(source)
    issue_or_date = source.issue_label or when
    page = f"第{source.page}版" if source.page else ""
    if source.publication and (issue_or_date or page):
        return " ".join(p for p in (source.publication, issue_or_date, page) if p)
    # Nothing says which issue: what the source prints first tells it from others.
    label = " ".join(p for p in (source.publication or KIND_LABELS.get(source.kind, "来源"), issue_or_date, page) if p)
    headline = _first_headline(source)
    return f"{label}：{headline}" if headline else f"{label} {source.name}"


def _date_label(source) -> str:
    start, end = source.date_start, source.date_end
    if not start:
        return ""
    if end is None or start == end:
        return f"{start.year}年{start.month}月{start.day}日"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.year}年{start.month}月"
    return f"{start.year}年{start.month}月{start.day}日—{end.year}年{end.month}月{end.day}日"


def _first_headline(source) -> str:
    if source.pk is None:
        return ""
    first = source.articles.order_by("position").only("title", "kicker").first()
    headline = (first.title or first.kicker) if first else ""
    return headline if len(headline) <= LONGEST_HEADLINE else headline[: LONGEST_HEADLINE - 1] + "…"
