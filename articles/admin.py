"""Staff corrections of article metadata: titles, bylines, dates, publication, sections."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Article, Byline, Caption, Person, Section, Source


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0
    fields = ["position", "heading"]


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


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "publication", "issue_label", "date_start", "loaded_at"]
    list_filter = ["kind", "publication"]
    search_fields = ["name", "publication", "issue_label"]
    readonly_fields = ["name", "content_hash", "loaded_at", "text"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["display_title", "source", "position", "publication", "date", "page", "column"]
    list_filter = ["source__kind", "publication", "column", "source"]
    search_fields = ["title", "subtitle", "kicker", "bylines__person__name"]
    list_select_related = ["source"]
    readonly_fields = ["key", "source", "position", "title_raw", "subtitle_raw", "kicker_raw", "column_raw"]
    autocomplete_fields = ["subject"]
    inlines = [BylineInline, SectionInline, CaptionInline]
    fieldsets = [
        (None, {"fields": ["key", "source", "position"]}),
        (_("Headline"), {"fields": ["column", "kicker", "title", "subtitle", "original_title"]}),
        (_("Publication"), {"fields": ["publication", "date", "page", "dateline"]}),
        (_("Subject"), {"fields": ["subject", "subject_title"]}),
        (_("Raw text"), {"classes": ["collapse"], "fields": ["column_raw", "kicker_raw", "title_raw", "subtitle_raw"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("source__text")


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name"]
