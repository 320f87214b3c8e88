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


# A province's map and its part of the place index have hundreds of links: written here in one
# pass each (every value escaped) rather than by a template loop, several times as slow per link.


@register.simple_tag
def map_dots(dots, radius):
    """The map's dots, each a link to its place's page."""
    return mark_safe(
        "".join(
            f'<a href="{escape(d.url)}" aria-label="{escape(d.label)}">'
            f'<circle cx="{d.x}" cy="{d.y}" r="{radius}" class="dot"/></a>'
            for d in dots
        )
    )


@register.simple_tag
def dot_rows(dots):
    """The dots' figures as table rows: the place, a link, and its articles."""
    return mark_safe(
        "".join(f'<tr><td><a href="{escape(d.url)}">{escape(d.name)}</a></td><td>{d.n}</td></tr>' for d in dots)
    )


@register.simple_tag
def place_items(places):
    """A list's items: each place a link, its country if it has one, and its articles (`n`)."""
    return mark_safe(
        "".join(
            f'<li><a href="{escape(p.get_absolute_url())}">{escape(p.name)}</a>'
            + (f' <span class="meta">{escape(p.country)}</span>' if p.country else "")
            + f' <span class="meta">{p.n}</span></li>'
            for p in places
        )
    )
