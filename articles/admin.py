"""Staff corrections of article metadata, recorded and revertible (django-simple-history)."""

from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from . import recognizing
from .corrections import mark_corrected, merge_persons, merge_with_next, split_at
from .models import (
    Article,
    ArticleEdit,
    Byline,
    Caption,
    MentionRule,
    Paragraph,
    Person,
    PersonAlias,
    Section,
    Source,
)
from .syncing import resync

# The admin speaks the site's name, not Django's.
admin.site.site_header = _("News archive: administration")
admin.site.site_title = _("News archive administration")
admin.site.index_title = _("Administration")


def field_labels(model, names) -> str:
    """The fields `names` of `model` as staff read them (标题、署名), not as stored (["title", "bylines"])."""
    labels = []
    for name in names:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a name from an older version of the model
            labels.append(name)
            continue
        labels.append(str(field.related_model._meta.verbose_name_plural if field.one_to_many else field.verbose_name))
    return "、".join(labels) or "—"


class _StaffHistory(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        if change.field == "corrected_fields" and isinstance(value, list):
            return field_labels(self.model, value)
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """Every change recorded and revertible; the history reads as staff speak (标题、日期, not ["title"])."""

    def get_historical_record_context_helper(self, request, historical_record):
        return _StaffHistory(self.model, historical_record)


def report_edit(model_admin, request, make_edit, done_message) -> None:
    """Make a split or merge and tell staff how it went, with any note from reading the source again."""
    try:
        notes = make_edit()
    except ValueError as exc:
        model_admin.message_user(request, str(exc), messages.ERROR)
        return
    transaction.on_commit(recognizing.read_again_soon)  # the articles it rewrote wait for it
    model_admin.message_user(request, done_message)
    for note in notes:
        model_admin.message_user(request, note, messages.WARNING)


def read_again(article: Article) -> None:
    """Have the recognizer read an article staff changed, once the change commits."""
    Article.objects.filter(pk=article.pk).update(recognized_by="")
    transaction.on_commit(recognizing.read_again_soon)


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["position", "heading", "paragraph_links"]
    readonly_fields = ["paragraph_links"]

    @admin.display(description=_("paragraphs"))
    def paragraph_links(self, section):
        if not section.pk:
            return ""
        return format_html_join(
            "",
            '<p><a href="{}">{}</a> {}</p>',
            (
                (reverse("admin:articles_paragraph_change", args=[p.pk]), _("edit"), p.text[:60])
                for p in section.paragraphs.all()
            ),
        )


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    fields = ["position", "person", "role", "caption", "raw"]
    readonly_fields = ["raw"]
    autocomplete_fields = ["person"]


class CaptionInline(admin.StackedInline):
    model = Caption
    extra = 0
    fields = ["position", "text", "raw"]
    readonly_fields = ["raw"]


class HasCorrections(admin.SimpleListFilter):
    title = _("corrected by staff")
    parameter_name = "corrected"

    def lookups(self, request, model_admin):
        return [("yes", _("yes")), ("no", _("no"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(corrected_fields=[])
        if self.value() == "no":
            return queryset.filter(corrected_fields=[])
        return queryset


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    """Staff name a source by its publication, date, page or issue; a re-import keeps what they set."""

    list_display = ["title", "name", "kind", "publication", "issue_label", "date_start", "page", "loaded_at"]
    list_filter = ["kind", "publication"]
    search_fields = ["title", "name", "publication", "issue_label"]
    fields = [
        "title",
        "name",
        "kind",
        "publication",
        "issue_label",
        "date_start",
        "date_end",
        "page",
        "metadata",
        "loaded_at",
        "content_hash",
        "parser_version",
        "corrected",
    ]
    readonly_fields = ["title", "name", "content_hash", "parser_version", "kind", "loaded_at", "metadata", "corrected"]

    @admin.display(description=_("corrected by staff"))
    def corrected(self, source):
        return field_labels(Source, source.corrected_fields)

    def has_add_permission(self, request):
        return False  # sources come from load_sources

    def save_model(self, request, obj, form, change):
        changed = [f for f in form.changed_data if f in Source.STAFF_FIELDS]
        obj.corrected_fields = sorted({*obj.corrected_fields, *changed})
        super().save_model(request, obj, form, change)


@admin.register(Article)
class ArticleAdmin(HistoryAdmin):
    list_display = ["display_title", "source", "position", "publication", "date", "page", "column", "is_corrected"]
    list_filter = ["publication", "source", "date", "column", HasCorrections]
    search_fields = ["title", "subtitle", "kicker", "bylines__person__name", "sections__paragraphs__text"]
    list_select_related = ["source"]
    readonly_fields = ["key", "source", "position", "corrected", "raw_headline"]
    autocomplete_fields = ["subject"]
    inlines = [BylineInline, SectionInline, CaptionInline]
    actions = ["merge_two"]
    fieldsets = [
        (None, {"fields": ["key", "source", "position", "corrected"]}),
        (_("Headline"), {"fields": ["column", "kicker", "title", "subtitle", "original_title"]}),
        (_("Publication"), {"fields": ["publication", "date", "page", "dateline"]}),
        (_("Subject"), {"fields": ["subject", "subject_title"]}),
        (_("Raw text"), {"classes": ["collapse"], "fields": ["raw_headline"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    def has_add_permission(self, request):
        return False  # articles come from load_sources

    @admin.action(description=_("Merge two consecutive articles of one source into one"), permissions=["change"])
    def merge_two(self, request, queryset):
        report_edit(
            self,
            request,
            lambda: merge_with_next(list(queryset.order_by("source__name", "position"))),
            _("Merged. The merge is kept at every re-import; delete it under Splits and merges to undo."),
        )

    @admin.display(boolean=True, description=_("corrected by staff"))
    def is_corrected(self, article):
        return bool(article.corrected_fields)

    @admin.display(description=_("corrected by staff"))
    def corrected(self, article):
        return field_labels(Article, article.corrected_fields)

    @admin.display(description=_("title"), ordering="title")
    def display_title(self, article):
        return article.display_title

    @admin.display(description=_("raw text"))
    def raw_headline(self, article):
        pieces = [getattr(article, f"{name}_raw") for name in Article.HEADLINE_FIELDS]
        return format_html_join("", "<pre>{}</pre>", ((p,) for p in pieces if p))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            mark_corrected(obj, form.changed_data)
            if set(form.changed_data) & set(Article.MENTION_FIELDS):
                read_again(obj)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.has_changed():
            part = {Byline: "bylines", Caption: "captions", Section: "sections"}[formset.model]
            mark_corrected(form.instance, [part])
            read_again(form.instance)


@admin.register(Paragraph)
class ParagraphAdmin(HistoryAdmin):
    """Fix the text of a paragraph (OCR errors); the raw text stays as the source printed it."""

    list_display = ["__str__", "section", "corrected"]
    list_filter = ["corrected"]
    search_fields = ["text"]
    actions = ["split_here"]
    fields = ["section", "position", "text", "raw", "corrected"]
    readonly_fields = ["section", "position", "raw", "corrected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # deleting would lose words of the source

    def save_model(self, request, obj, form, change):
        if "text" in form.changed_data:
            obj.corrected = True
        super().save_model(request, obj, form, change)
        if "text" in form.changed_data:
            read_again(obj.section.article)

    @admin.action(description=_("Start a new article at the selected paragraph (split)"), permissions=["change"])
    def split_here(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one paragraph: the first of the new article."), messages.ERROR)
            return
        report_edit(
            self,
            request,
            lambda: split_at(queryset.select_related("section__article__source").get()),
            _("Split. The split is kept at every re-import; delete it under Splits and merges to undo."),
        )


class AliasInline(admin.TabularInline):
    model = PersonAlias
    extra = 0


@admin.register(Person)
class PersonAdmin(HistoryAdmin):
    list_display = ["name", "kind", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name", "aliases__name"]
    inlines = [AliasInline]
    actions = ["merge"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(n=Count("bylines__article", distinct=True))

    @admin.display(description=_("articles"), ordering="n")
    def article_count(self, person):
        return person.n

    @admin.action(description=_("Merge the selected persons into the one with most articles"))
    def merge(self, request, queryset):
        people = sorted(queryset, key=lambda p: (-p.n, p.pk))
        if len(people) < 2:
            self.message_user(request, _("Select at least two persons to merge."), messages.WARNING)
            return
        keep, others = people[0], people[1:]
        moved = merge_persons(keep, others)
        self.message_user(
            request,
            _("Merged %(names)s into %(keep)s (%(moved)d bylines moved); the old names stay as other spellings.")
            % {"names": "、".join(p.name for p in others), "keep": keep.name, "moved": moved},
        )


@admin.register(PersonAlias)
class PersonAliasAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "person"]
    search_fields = ["name", "person__name"]
    autocomplete_fields = ["person"]


@admin.register(ArticleEdit)
class ArticleEditAdmin(HistoryAdmin):
    """Splits and merges; deleting one undoes it (the source is read again without it)."""

    list_display = ["__str__", "source", "kind", "created_at"]
    list_filter = ["kind", "source"]
    readonly_fields = ["source", "kind", "article_key", "other_key", "section_index", "paragraph_index", "new_key"]

    def has_add_permission(self, request):
        return False  # made by the split and merge actions

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        resync(obj.source)

    def delete_queryset(self, request, queryset):
        sources = {edit.source for edit in queryset}
        super().delete_queryset(request, queryset)
        for source in sources:
            resync(source)


@admin.register(MentionRule)
class MentionRuleAdmin(HistoryAdmin):
    """Correct what extraction finds; every article is read again when a correction changes."""

    list_display = ["name", "kind", "target"]
    list_filter = ["kind"]
    search_fields = ["name", "target"]

    def save_model(self, request, obj, form, change):
        names = {obj.name} | ({form.initial.get("name", "")} - {""} if change else set())
        super().save_model(request, obj, form, change)
        self._read_again(request, names)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._read_again(request, {obj.name})

    def delete_queryset(self, request, queryset):
        names = set(queryset.values_list("name", flat=True))
        super().delete_queryset(request, queryset)
        self._read_again(request, names)

    def _read_again(self, request, names):
        """Only the articles that print the name can read differently."""
        count = sum(recognizing.mark_printing(name) for name in names)
        transaction.on_commit(recognizing.read_again_soon)
        self.message_user(
            request, _("%(count)d articles that print this name are being read again.") % {"count": count}
        )
