"""A ready citation in the Chinese reference style GB/T 7714—2015.

Only what the archive knows is cited: a part it does not know (the paper's
name, the date, the page) is left out rather than invented.
"""

from __future__ import annotations

import datetime as dt
import re

AUTHOR_ROLES = ("记者", "特约记者", "通讯员", "实习生", "作者", "单位")


def authors(bylines) -> str:
    names = []
    for byline in bylines:
        if byline.role in AUTHOR_ROLES and byline.person.name not in names:
            names.append(byline.person.name)
    if len(names) > 3:  # GB/T 7714: the first three, then 等
        return ", ".join(names[:3]) + ", 等"
    return ", ".join(names)


def _issue_number(label: str) -> str:
    m = re.search(r"第\s*(\d+)\s*期", label)
    return m.group(1) if m else ""


def cite(article, bylines, url: str, today: dt.date, end_page: int | None = None) -> str:
    """The article's reference entry, e.g. 李抑婧. 彰显担当作为 凝聚组织力量[N]. 吉林日报."""
    who = authors(bylines)
    head = f"{who}. " if who else ""
    title = article.title or article.kicker or "图片新闻"
    source = article.source
    if source.kind == "magazine":
        parts = [article.publication] if article.publication else []
        year = source.date_start.year if source.date_start else None
        issue = _issue_number(source.issue_label)
        if year:
            parts.append(f"{year}" + (f"({issue})" if issue else ""))
        pages = ""
        if article.page:
            pages = f"{article.page}" + (f"-{end_page}" if end_page and end_page > article.page else "")
        text = f"{head}{title}[J]"
        if parts:
            text += ". " + ", ".join(parts)
        if pages:
            text += f": {pages}"
        return text + "."
    if source.kind == "web":
        published = f"({article.date.isoformat()})" if article.date else ""
        return f"{head}{title}[EB/OL]. {published}[{today.isoformat()}]. {url}."
    text = f"{head}{title}[N]"
    if article.publication:
        text += f". {article.publication}"
        if article.date:
            text += f", {article.date.isoformat()}"
            if article.page:
                text += f"({article.page})"
    return text + "."
