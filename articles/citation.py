"""A ready citation in the Chinese reference style GB/T 7714—2015.

What the archive does not know is never invented: GB/T 7714's own markers stand in for it
(8.1.4 佚名 for an unknown author; 8.3.3 [出版地不详]; 8.4.4 [出版者不详]; an unknown date
as [出版日期不详] or, for a journal's year, [出版年不详]); a page is left out when unknown.
"""

from __future__ import annotations

import datetime as dt
import re

UNKNOWN_AUTHOR = "佚名"
UNKNOWN_PLACE = "[出版地不详]"
UNKNOWN_PUBLISHER = "[出版者不详]"
UNKNOWN_DATE = "[出版日期不详]"
UNKNOWN_YEAR = "[出版年不详]"

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
    """The article's reference entry, e.g. 李抑婧. 彰显担当作为 凝聚组织力量[N]. 吉林日报, 2020-02-25(4)."""
    head = f"{authors(bylines) or UNKNOWN_AUTHOR}. {article.title or article.kicker or '图片新闻'}"
    source = article.source
    publication = article.publication or source.publication
    if source.kind == "magazine":  # 作者. 题名[J]. 刊名, 年(期): 页码.
        year = str(article.date.year if article.date else source.date_start.year if source.date_start else UNKNOWN_YEAR)
        issue = _issue_number(source.issue_label)
        text = f"{head}[J]. {publication or UNKNOWN_PUBLISHER}, {year}" + (f"({issue})" if issue else "")
        if article.page:
            text += f": {article.page}" + (f"-{end_page}" if end_page and end_page > article.page else "")
        return text + "."
    date = article.date or (source.date_start if source.date_start == source.date_end else None)
    if source.kind == "web":  # 作者. 题名[EB/OL]. 出版地: 出版者, 出版年(更新日期)[引用日期]. 获取路径.
        published = f"{date.year}({date.isoformat()})" if date else UNKNOWN_YEAR
        return f"{head}[EB/OL]. {UNKNOWN_PLACE}: {publication or UNKNOWN_PUBLISHER}, {published}[{today.isoformat()}]. {url}."
    # 作者. 题名[N]. 报纸名, 出版日期(版次).
    text = f"{head}[N]. {publication or UNKNOWN_PUBLISHER}, {date.isoformat() if date else UNKNOWN_DATE}"
    if article.page or source.page:
        text += f"({article.page or source.page})"
    return text + "."
