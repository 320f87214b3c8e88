"""The archive's content: sources, the articles cut from them and the people they name.

Every piece of text keeps its raw form and its `spans` (character offsets in
the source file) beside the cleaned text, so the source can always be rebuilt.
"""

import datetime as dt
from functools import lru_cache

from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .parsing.text import match_key
from .pinyin import pinyin_key


class Source(models.Model):
    """One source file: a newspaper page, a magazine issue or a web article."""

    class Kind(models.TextChoices):
        NEWSPAPER = "newspaper", _("newspaper page")
        MAGAZINE = "magazine", _("magazine issue")
        WEB = "web", _("web article")

    name = models.CharField(_("file name"), max_length=255, unique=True)
    content_hash = models.CharField(_("content hash"), max_length=64)
    parser_version = models.CharField(_("parser version"), max_length=16, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    publication = models.CharField(_("publication"), max_length=200, blank=True)
    issue_label = models.CharField(_("issue"), max_length=100, blank=True)
    date_start = models.DateField(_("date (from)"), null=True, blank=True)
    date_end = models.DateField(_("date (to)"), null=True, blank=True)
    metadata = models.JSONField(_("masthead and colophon"), default=dict, blank=True)
    page = models.PositiveIntegerField(_("page"), null=True, blank=True)  # a newspaper page's 版次
    # The name readers see (吉林日报 2020年2月25日 第4版), made from the fields above by save().
    title = models.CharField(_("name"), max_length=300, blank=True, db_index=True, editable=False)
    # The fields staff set in the admin: a re-import leaves them.
    corrected_fields = models.JSONField(_("corrected by staff"), default=list, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["loaded_at", "title"])

    # What staff may set; each stays as they set it across re-imports.
    STAFF_FIELDS = ("publication", "issue_label", "date_start", "date_end", "page")

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.title or self.name

    def save(self, *args, **kwargs):
        self.title = self.reader_name()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "title"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:source", args=[self.name])

    @property
    def text(self) -> str:
        """The file's whole text, as loaded: kept in SourceText, so that no ordinary query of
        sources (or of articles with their source) reads it."""
        return self.original.text

    def reader_name(self) -> str:
        """What the source is to a reader: its publication, date and page or issue where known
        (吉林日报 2020年2月25日 第4版, 研究与交流 2022年第2期), else its kind, date and first
        headline; a number in brackets where another source has the same name."""
        from .source_names import reader_name

        return reader_name(self)

    @property
    def date_label(self) -> str:
        """The date as printed: a day, or a month for a monthly magazine issue."""
        start, end = self.date_start, self.date_end
        if not start:
            return ""
        if start == end or end is None:
            return start.isoformat()
        if (start.year, start.month) == (end.year, end.month) and start.day == 1:
            return f"{start.year:04d}-{start.month:02d}"
        return f"{start.isoformat()}/{end.isoformat()}"


class SourceText(models.Model):
    """A source file's whole text, as loaded (Source.text): apart, because it is large and only
    the source page, a re-reading of the source and the checks need it."""

    source = models.OneToOneField(
        Source, on_delete=models.CASCADE, primary_key=True, related_name="original", verbose_name=_("source")
    )
    text = models.TextField(_("original text"))

    class Meta:
        verbose_name = _("original text")
        verbose_name_plural = _("original texts")

    def __str__(self):
        return str(self.source)


class SourceBlock(models.Model):
    """Text of a source that belongs to no article: masthead, contents, colophon, footers."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("source"))
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(max_length=32)
    text = models.TextField()
    raw = models.TextField()
    spans = models.JSONField(default=list)

    class Meta:
        ordering = ["source", "position"]

    def __str__(self):
        return f"{self.source.name} {self.kind} {self.position}"


def page_of(view: str, name: str) -> str:
    """The address of a person's, place's or article's page: pages list hundreds of them, and
    an address once made for a name does not change while the process runs."""
    return _page_of(get_script_prefix(), view, name)


@lru_cache(maxsize=100_000)
def _page_of(prefix: str, view: str, name: str) -> str:
    return reverse(view, args=[name])  # reverse() reads the prefix itself: it is here to key the cache


class Person(models.Model):
    """A person or organisation named in a byline, a credit or as a profile's subject."""

    class Kind(models.TextChoices):
        PERSON = "person", _("person")
        ORGANISATION = "organisation", _("organisation")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.PERSON)
    # The name in pinyin, syllables apart ("li yi jing"): the order of the persons index.
    pinyin = models.CharField(max_length=400, blank=True, db_index=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "kind"], name="unique_person_name_kind")]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pinyin = pinyin_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "pinyin"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return page_of("articles:person", self.name)

    @classmethod
    def named(cls, name: str, kind: str) -> "Person":
        """An unsaved person with its pinyin filled in, as save() would (bulk_create skips save)."""
        return cls(name=name, kind=kind, pinyin=pinyin_key(name))


class PersonAlias(models.Model):
    """Another spelling of a person (李抑嫱 for 李抑婧), kept when staff merge two persons."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Person.Kind.choices, default=Person.Kind.PERSON)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("person"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "kind"], name="unique_alias_name_kind")]
        verbose_name = _("other spelling")
        verbose_name_plural = _("other spellings")

    def __str__(self):
        return f"{self.name} → {self.person.name}"


# An article's day is known: its own date, or its source's when the source is of one day.
EXACT_DAY = models.Q(date__isnull=False) | models.Q(source__date_start=F("source__date_end"))


class ArticleQuerySet(models.QuerySet):
    """What the pages, feeds, sitemaps and the index ask of articles, said once."""

    def for_lists(self):
        """Only what a line of an article list shows: headline, date, page, source name."""
        return self.select_related("source").only(
            "key", "title", "kicker", "position", "page", "date", "column", "publication",
            "source__name", "source__title", "source__date_start", "source__date_end", "source__kind",
        )  # fmt: skip

    def with_effective_date(self):
        """`effective`: the article's own date, else its source's (a magazine issue's month)."""
        return self.annotate(effective=Coalesce(F("date"), F("source__date_start")))

    def in_period(self, year: int, month: int | None = None):
        """Articles whose effective date falls in a year, or in one of its months: a range of
        dates (SQLite would extract the year or month of every row by calling Python)."""
        if year < dt.MINYEAR:
            return self.with_effective_date().none()
        dated = self.with_effective_date().filter(effective__gte=dt.date(year, month or 1, 1))
        next_year, next_month = (year + 1, 1) if month in (None, 12) else (year, month + 1)
        return dated if next_year > dt.MAXYEAR else dated.filter(effective__lt=dt.date(next_year, next_month, 1))

    def on_exact_days(self):
        """Articles whose day is known (their own date, or a source of a single day)."""
        return self.filter(EXACT_DAY)

    def not_on_exact_days(self):
        return self.exclude(EXACT_DAY)

    def in_source(self, source):
        return self.filter(source=source)

    def in_printed_order(self):
        return self.order_by("source__name", "position")

    def for_search(self):
        """Articles with everything the search index reads, fetched in a few queries."""
        return (
            self.select_related("source", "subject")
            .defer("source__metadata")
            .prefetch_related(
                "sections__paragraphs",
                "captions",
                "bylines__person",
                # The names of the persons and places it mentions (not their sentences).
                models.Prefetch(
                    "mentions",
                    queryset=Mention.objects.select_related("person", "place").only(
                        "article_id", "position", "person__name", "place__name"
                    ),
                ),
            )
        )


class Article(models.Model):
    """One article as the publication printed it, with a permalink that survives re-imports."""

    HEADLINE_FIELDS = ("column", "kicker", "title", "subtitle", "original_title", "dateline")
    MENTION_FIELDS = ("kicker", "title", "subtitle", "original_title")  # headlines names are read in

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="articles", verbose_name=_("source"))
    position = models.PositiveIntegerField(_("position in the source"))
    key = models.CharField(_("permalink id"), max_length=16, unique=True)
    column = models.CharField(_("column"), max_length=200, blank=True)
    column_raw = models.TextField(blank=True)
    kicker = models.CharField(_("kicker"), max_length=300, blank=True)
    kicker_raw = models.TextField(blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    title_raw = models.TextField(blank=True)
    title_key = models.CharField(max_length=300, blank=True, db_index=True, editable=False)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    subtitle_raw = models.TextField(blank=True)
    original_title = models.CharField(_("original title"), max_length=300, blank=True)
    original_title_raw = models.TextField(blank=True)
    dateline = models.CharField(_("time stamp"), max_length=100, blank=True)
    dateline_raw = models.TextField(blank=True)
    headline_spans = models.JSONField(default=dict, blank=True)
    page = models.PositiveIntegerField(_("page"), null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    publication = models.CharField(_("publication"), max_length=200, blank=True)
    subject = models.ForeignKey(
        Person, verbose_name=_("subject"), null=True, blank=True, on_delete=models.SET_NULL, related_name="portraits"
    )
    subject_title = models.CharField(_("subject's position"), max_length=200, blank=True)
    # What staff corrected: field names, and "bylines", "captions" or "sections" for those parts.
    corrected_fields = models.JSONField(_("corrected by staff"), default=list, blank=True)
    # The recognizer that last found its persons and places; "" while it waits for one.
    recognized_by = models.CharField(max_length=32, blank=True, db_index=True, editable=False)

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["title_key", "recognized_by"])

    class Meta:
        ordering = ["source__name", "position"]
        constraints = [models.UniqueConstraint(fields=["source", "position"], name="unique_article_position")]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self):
        return str(self.display_title)

    def save(self, *args, **kwargs):
        self.set_title_key()
        if kwargs.get("update_fields") is not None and "title" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "title_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return page_of("articles:article", self.key)

    def set_title_key(self) -> None:
        # What survives OCR and editing of the title: finds the same report in another source.
        self.title_key = match_key(self.title)

    def reprints(self):
        """The same report printed in other sources (the seeds print one in two newspapers)."""
        if not self.title_key:
            return Article.objects.none()
        return (
            Article.objects.filter(title_key=self.title_key).exclude(source_id=self.source_id).select_related("source")
        )

    @property
    def display_title(self) -> str:
        return self.title or self.kicker or _("(photo news, untitled)")

    @property
    def date_label(self) -> str:
        return self.date.isoformat() if self.date else self.source.date_label

    def credited_bylines(self):
        """The article's bylines; a photo story (图片新闻) is credited to its photographers."""
        bylines = [b for b in self.bylines.all() if b.caption_id is None]
        if not bylines and not any(s.paragraphs.all() for s in self.sections.all()):
            bylines = [b for b in self.bylines.all() if b.caption_id is not None]
        return bylines


class Section(models.Model):
    """A run of paragraphs under an optional heading."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections", verbose_name=_("article"))
    position = models.PositiveIntegerField(_("position"))
    heading = models.CharField(_("heading"), max_length=300, blank=True)
    heading_raw = models.TextField(blank=True)
    heading_spans = models.JSONField(default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.heading or f"§{self.position + 1}"


class Paragraph(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="paragraphs", verbose_name=_("section"))
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("text"))
    raw = models.TextField(_("raw text"))
    spans = models.JSONField(default=list)
    corrected = models.BooleanField(_("corrected by staff"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "position"]
        verbose_name = _("paragraph")
        verbose_name_plural = _("paragraphs")

    def __str__(self):
        return self.text[:40]


class Caption(models.Model):
    """A photo caption (图片说明); its photographers are bylines pointing at it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="captions", verbose_name=_("article"))
    position = models.PositiveIntegerField(_("position"))
    text = models.TextField(_("caption"))
    raw = models.TextField(_("raw text"))
    spans = models.JSONField(default=list)
    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "position"]
        verbose_name = _("caption")
        verbose_name_plural = _("captions")

    def __str__(self):
        return self.text[:40]


class Byline(models.Model):
    """A person's part in an article: reporter, correspondent, author unit, photographer …"""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="bylines", verbose_name=_("article"))
    caption = models.ForeignKey(
        Caption, null=True, blank=True, on_delete=models.CASCADE, related_name="credits", verbose_name=_("caption")
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="bylines", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=32)
    position = models.PositiveIntegerField(_("position"))
    publication = models.CharField(_("publication named in the byline"), max_length=100, blank=True)
    raw = models.TextField(_("raw text"), blank=True)
    spans = models.JSONField(default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "position"]
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")

    def __str__(self):
        return f"{self.role} {self.person.name}"


class Place(models.Model):
    """A place articles mention: a division of China (九台区), a place below one (泰山街道), a
    country, a foreign city, a river, a lake, a mountain, a sea or a region."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("province")
        CITY = "city", _("city")
        COUNTY = "county", _("county")
        LOCAL = "local", _("street, town, village or community")
        COUNTRY = "country", _("country")
        WORLD_CITY = "world_city", _("city abroad")
        REGION = "region", _("region")
        RIVER = "river", _("river")
        LAKE = "lake", _("lake")
        MOUNTAIN = "mountain", _("mountain")
        SEA = "sea", _("sea, bay or island")
        OTHER = "other", _("other place")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.OTHER)
    province = models.CharField(_("province"), max_length=50, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    county = models.CharField(_("county"), max_length=50, blank=True)
    country = models.CharField(_("country"), max_length=50, blank=True)  # a city abroad's
    # The name in pinyin, syllables apart: the order of the place index.
    pinyin = models.CharField(max_length=400, blank=True, db_index=True, editable=False)

    class Meta:
        ordering = ["province", "city", "county", "name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.pinyin = pinyin_key(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return page_of("articles:place", self.name)

    @property
    def path(self) -> str:
        return "".join(dict.fromkeys(p for p in (self.province, self.city, self.county) if p and p != self.name))


class Mention(models.Model):
    """A person or place named in an article's text, with the sentence around it."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("article"))
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("person")
    )
    place = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("place")
    )
    position = models.PositiveIntegerField(_("position"))  # order of appearance in the article
    printed = models.CharField(_("as printed"), max_length=100, blank=True)  # 九台 for 九台区
    sentence = models.TextField(_("sentence"))

    class Meta:
        ordering = ["article", "position"]
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")

    def __str__(self):
        return f"{self.person or self.place} @ {self.article_id}"


class MentionRule(models.Model):
    """A staff correction of what extraction finds, applied at every extraction and re-import."""

    class Kind(models.TextChoices):
        EXCLUDE = "exclude", _("not a person or place")
        PERSON = "person", _("a person the extraction missed")
        PLACE = "place", _("a place the extraction missed")
        SPELLING = "spelling", _("another spelling of")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name as printed"), max_length=100)
    target = models.CharField(_("stands for"), max_length=100, blank=True, help_text=_("for another spelling only"))
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="unique_mention_rule")]
        verbose_name = _("correction of names found")
        verbose_name_plural = _("corrections of names found")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}" + (f" → {self.target}" if self.target else "")


class ArticleEdit(models.Model):
    """A split or merge staff made; applied again at every re-import of the source."""

    class Kind(models.TextChoices):
        SPLIT = "split", _("split an article in two")
        MERGE = "merge", _("merge two articles")

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="edits", verbose_name=_("source"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    article_key = models.CharField(_("article"), max_length=16)
    other_key = models.CharField(_("merged article"), max_length=16, blank=True)
    section_index = models.PositiveIntegerField(null=True, blank=True)
    paragraph_index = models.PositiveIntegerField(null=True, blank=True)
    new_key = models.CharField(_("new article"), max_length=16, blank=True)
    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "created_at", "pk"]
        verbose_name = _("split or merge")
        verbose_name_plural = _("splits and merges")

    def __str__(self):
        return f"{self.get_kind_display()} {self.article_key} {self.other_key or self.new_key}"

    def rule(self):
        from .parsing import edits

        if self.kind == self.Kind.SPLIT:
            return edits.Split(self.article_key, self.section_index, self.paragraph_index, self.new_key)
        return edits.Merge(self.article_key, self.other_key)


class ContentsEntry(models.Model):
    """A line of a magazine's table of contents, linked to the article it lists."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="contents", verbose_name=_("source"))
    position = models.PositiveIntegerField(_("position"))
    column = models.CharField(_("column"), max_length=200, blank=True)
    page = models.PositiveIntegerField(_("page"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=300)
    author = models.CharField(_("author"), max_length=200, blank=True)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("article")
    )

    class Meta:
        ordering = ["source", "position"]
        verbose_name = _("contents entry")
        verbose_name_plural = _("contents entries")

    def __str__(self):
        return f"{self.page or ''} {self.title}".strip()
