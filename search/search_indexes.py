"""What the search index holds for each article."""

from collections import defaultdict

from haystack import indexes

from articles.models import Article, Byline, Caption, Paragraph, Section
from search.analysis import PIECE_BREAK
from search.fields import BigramTextField, CharacterSetField, JiebaTextField, KeywordField, KeywordListField


def headline_pieces(article: Article) -> list[str]:
    return [t for t in (article.kicker, article.title, article.subtitle, article.original_title) if t]


def name_pieces(article: Article) -> list[str]:
    names = [b.person.name for b in article.bylines.all()]
    if article.subject:
        names.append(article.subject.name)
    return names


def body_pieces(article: Article) -> list[str]:
    pieces = []
    for section in article.sections.all():
        if section.heading:
            pieces.append(section.heading)
        pieces += [p.text for p in section.paragraphs.all()]
    pieces += [c.text for c in article.captions.all()]
    if article.subject_title:
        pieces.append(article.subject_title + (article.subject.name if article.subject else ""))
    return pieces


def body_pieces_of(articles: list[Article]) -> dict[int, list[tuple[str, str]]]:
    """body_pieces of each article (by id), each with its part ("body", "caption" or "subject"),
    read as plain values in three queries: read as prefetched model objects, a result page's
    snippets were a large part of a warm search."""
    ids = [article.pk for article in articles]
    sections = Section.objects.filter(article_id__in=ids).order_by("article_id", "position")
    paragraphs: dict[int, list[str]] = defaultdict(list)
    headings = list(sections.values_list("article_id", "id", "heading"))
    rows = Paragraph.objects.filter(section_id__in=[section_id for _, section_id, _ in headings])
    for section_id, text in rows.order_by("section_id", "position").values_list("section_id", "text"):
        paragraphs[section_id].append(text)
    pieces: dict[int, list[tuple[str, str]]] = {article_id: [] for article_id in ids}
    for article_id, section_id, heading in headings:
        pieces[article_id] += [("body", text) for text in ([heading] if heading else []) + paragraphs[section_id]]
    captions = Caption.objects.filter(article_id__in=ids).order_by("article_id", "position")
    for article_id, text in captions.values_list("article_id", "text"):
        pieces[article_id].append(("caption", text))
    for article in articles:
        if article.subject_title:
            pieces[article.pk].append(
                ("subject", article.subject_title + (article.subject.name if article.subject else ""))
            )
    return pieces


def snippet_parts_of(articles: list[Article]) -> dict[int, list[tuple[str, str]]]:
    """Every part of each article a result may show to say why it matched, with its kind, in
    reading order: column, kicker, subtitle, original title, bylines, then body_pieces_of.
    The headline itself is the result's heading (its kicker too, when it has no title)."""
    ids = [article.pk for article in articles]
    credits: dict[int, list[tuple[str, str]]] = defaultdict(list)
    rows = Byline.objects.filter(article_id__in=ids).order_by("article_id", "position")
    for article_id, role, name, caption_id in rows.values_list("article_id", "role", "person__name", "caption_id"):
        credits[article_id].append(("byline", f"{name} {role}" if caption_id else f"{role} {name}".strip()))
    bodies = body_pieces_of(articles)
    parts = {}
    for article in articles:
        heading = [
            ("column", article.column),
            ("kicker", article.kicker if article.title else ""),
            ("subtitle", article.subtitle),
            ("original_title", article.original_title),
        ]
        parts[article.pk] = [(kind, text) for kind, text in heading if text] + credits[article.pk] + bodies[article.pk]
    return parts


def article_pieces(article: Article) -> list[str]:
    """Every text a reader sees in the article, each on its own."""
    column = [article.column] if article.column else []
    return column + headline_pieces(article) + name_pieces(article) + body_pieces(article)


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    text = JiebaTextField(document=True)
    ngrams = BigramTextField()
    chars = CharacterSetField()  # the characters of ngrams' text (search.whoosh_format.substring.CHARACTER_FIELDS)
    title_ngrams = BigramTextField()
    byline_ngrams = BigramTextField()
    key = KeywordField(model_attr="key")
    source = KeywordField()
    publication = KeywordField()
    column = KeywordField()
    year = KeywordField()
    persons = KeywordListField()
    mentioned_persons = KeywordListField()
    mentioned_places = KeywordListField()
    date = indexes.DateField(null=True)
    order = KeywordField()

    def get_model(self):
        return Article

    def index_queryset(self, using=None):
        return Article.objects.for_search()

    def read_queryset(self, using=None):
        return Article.objects.for_search()

    def prepare_text(self, article):
        return self._document(article)

    def prepare_ngrams(self, article):
        return self._document(article)

    def prepare_chars(self, article):
        return self._document(article)  # its distinct characters: see analysis.CharacterSet

    @staticmethod
    def _document(article) -> str:
        """Every text of the article, joined once per article (two fields read it)."""
        if getattr(article, "_search_document", None) is None:
            article._search_document = PIECE_BREAK.join(article_pieces(article))
        return article._search_document

    def prepare_title_ngrams(self, article):
        return PIECE_BREAK.join(headline_pieces(article))

    def prepare_byline_ngrams(self, article):
        return PIECE_BREAK.join(name_pieces(article))

    def prepare_source(self, article):
        return article.source.name

    def prepare_publication(self, article):
        return article.publication

    def prepare_column(self, article):
        return article.column

    def prepare_date(self, article):
        return article.date or article.source.date_start

    def prepare_year(self, article):
        date = self.prepare_date(article)
        return str(date.year) if date else ""

    def prepare_persons(self, article):
        return sorted(set(name_pieces(article)))

    def prepare_mentioned_persons(self, article):
        return sorted({m.person.name for m in article.mentions.all() if m.person_id})

    def prepare_mentioned_places(self, article):
        return sorted({m.place.name for m in article.mentions.all() if m.place_id})

    def prepare_order(self, article):
        return f"{article.source.name}|{article.position:06d}"
