"""Template helpers for reading pages."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def linked_paragraphs(article):
    """The article's sections with each person's and place's first mention linked to its page.

    Returns (section, [paragraph html]) pairs; every piece of text is escaped.
    """
    pending = {}
    for mention in article.mentions.all():
        target = mention.person or mention.place
        if mention.printed and mention.printed not in pending:
            pending[mention.printed] = (target.get_absolute_url(), "person" if mention.person_id else "place")
    out = []
    for section in article.sections.all():
        out.append((section, [_link_first_mentions(p.text, pending) for p in section.paragraphs.all()]))
    return out


def _link_first_mentions(text: str, pending: dict) -> str:
    links = []  # (start, end, url, kind), never overlapping
    for printed in sorted(pending, key=len, reverse=True):
        start = text.find(printed)
        while start != -1 and any(start < e and s < start + len(printed) for s, e, *_ in links):
            start = text.find(printed, start + 1)
        if start != -1:
            url, kind = pending.pop(printed)
            links.append((start, start + len(printed), url, kind))
    html, last = [], 0
    for start, end, url, kind in sorted(links):
        html.append(escape(text[last:start]))
        html.append(format_html('<a class="{}" href="{}">{}</a>', kind, url, text[start:end]))
        last = end
    html.append(escape(text[last:]))
    return mark_safe("".join(html))  # noqa: S308 (every piece escaped above)
