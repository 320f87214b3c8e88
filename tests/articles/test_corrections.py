"""Staff corrections through the admin: recorded, revertible, and kept across re-imports."""

import io
import shutil

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Byline, Person, PersonAlias, Source
from articles.parsing import uncovered_characters
from tests.admin_forms import admin_form_data, post_admin_change
from tests.articles.test_loading import stored_spans
from tests.conftest import SOURCES_DIR, source_named

pytestmark = pytest.mark.django_db

BORDER = "边境线上“戍边人”"


@pytest.fixture
def sources(tmp_path, db):
    """The real sources, loaded from copies that a test may then edit and load again. Not
    indexed: these tests read the database (the one that searches builds the index)."""
    for path in SOURCES_DIR.glob("*.txt"):
        shutil.copy(path, tmp_path / path.name)
    call_command("load_sources", str(tmp_path), "--no-index", stdout=io.StringIO())
    return tmp_path


def reload(folder, name_prefix, old, new):
    path = folder / source_named(name_prefix)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    out = io.StringIO()
    call_command("load_sources", str(path), "--no-index", stdout=out)
    return out.getvalue()


@pytest.fixture
def staff(client, admin_user):
    client.force_login(admin_user)
    return client


def change_url(obj):
    return f"/admin/articles/{obj._meta.model_name}/{obj.pk}/change/"


def test_corrected_fields_survive_a_reimport_and_untouched_ones_update(sources, staff, admin_user):
    article = Article.objects.get(title=BORDER)
    response = post_admin_change(
        staff, change_url(article), title="边境线上的“戍边人”", publication="吉林日报", date="2022-05-25"
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert set(article.corrected_fields) == {"title", "publication", "date"}

    out = reload(sources, "000", "团结边境派出所辖区位于集安市中心", "团结边境派出所辖区位于集安市区中心")
    article = Article.objects.get(pk=article.pk)
    assert (article.title, article.publication, article.date.isoformat()) == (
        "边境线上的“戍边人”",
        "吉林日报",
        "2022-05-25",
    )
    texts = [p.text for s in article.sections.all() for p in s.paragraphs.all()]
    assert any("位于集安市区中心" in t for t in texts)  # what staff did not touch follows the file
    assert "review:" in out and "title: kept staff's 边境线上的“戍边人” (parser reads 边境线上“戍边人”)" in out
    assert "publication: kept staff's 吉林日报" in out


def test_every_admin_change_is_recorded_and_can_be_reverted(sources, staff, admin_user):
    article = Article.objects.get(title=BORDER)
    post_admin_change(staff, change_url(article), title="改错的标题")
    latest, before = article.history.all()[:2]
    assert latest.history_user == admin_user and latest.title == "改错的标题"
    delta = latest.diff_against(before)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "title"] == [("title", BORDER, "改错的标题")]
    assert staff.get(f"/admin/articles/article/{article.pk}/history/").status_code == 200
    # Revert through the admin's history page, as staff would.
    revert_url = f"/admin/articles/article/{article.pk}/history/{before.history_id}/"
    data = admin_form_data(staff.get(revert_url).content.decode())
    data["_save"] = ["Save"]
    assert staff.post(revert_url, data).status_code == 302
    article.refresh_from_db()
    assert article.title == BORDER


def test_a_byline_correction_is_kept(sources, staff):
    web = Article.objects.get(source__name=source_named("001"))
    byline = web.bylines.get(role="记者")
    right = Person.objects.get(name="李抑婧")
    data = admin_form_data(staff.get(change_url(web)).content.decode())
    index = next(k.split("-")[1] for k, v in data.items() if k.endswith("-id") and v == [str(byline.pk)])
    data[f"bylines-{index}-person"] = [str(right.pk)]
    data["_save"] = ["Save"]
    assert staff.post(change_url(web), data).status_code == 302
    out = reload(sources, "001", "疾风知劲草", "疾风知劲草 ")
    web.refresh_from_db()
    assert "bylines" in web.corrected_fields
    assert [(b.person.name, b.role) for b in web.credited_bylines()] == [("李抑婧", "记者"), ("张瑨瑄", "责任编辑")]
    assert "bylines: kept staff's bylines" in out


def test_a_fixed_paragraph_is_kept_and_nothing_is_lost(sources, staff):
    article = Article.objects.get(title="坚决打赢疫情防控歼灭战")
    paragraph = article.sections.first().paragraphs.first()
    fixed = paragraph.text.replace("有常住人口有", "有常住人口")
    assert staff.post(change_url(paragraph), {"text": fixed, "_save": "Save"}).status_code == 302
    paragraph.refresh_from_db()
    assert paragraph.corrected and paragraph.text == fixed and "有常住人口 有" in paragraph.raw
    out = reload(sources, "004", "全市出现首例阳性病例后", "全市出现首例阳性病例以后")
    article = Article.objects.get(pk=article.pk)
    texts = [p.text for s in article.sections.all() for p in s.paragraphs.all()]
    assert fixed in texts
    assert any("全市出现首例阳性病例以后" in t for t in texts)
    assert "坚决打赢疫情防控歼灭战: paragraph 1.1: kept staff's fixed text" in out
    source = Source.objects.get(name=source_named("004"))
    assert uncovered_characters(source.text, stored_spans(source)) == ([], [])


def test_merging_persons_moves_bylines_and_reimports_follow_the_alias(sources, staff):
    wrong, right = Person.objects.get(name="李抑嫱"), Person.objects.get(name="李抑婧")
    response = staff.post(
        "/admin/articles/person/",
        {"action": "merge", "_selected_action": [wrong.pk, right.pk]},
    )
    assert response.status_code == 302
    assert not Person.objects.filter(name="李抑嫱").exists()
    assert PersonAlias.objects.get(name="李抑嫱").person == right
    assert Byline.objects.filter(person=right).count() == 3
    reload(sources, "001", "疾风知劲草", "疾风知劲草 ")  # the web article is read again
    assert not Person.objects.filter(name="李抑嫱").exists()
    web = Article.objects.get(source__name=source_named("001"))
    assert web.bylines.get(role="记者").person == right
    assert web.bylines.get(role="记者").raw == "记者李抑嫱"  # the printed spelling is kept raw


def test_the_editor_group_may_correct_but_not_delete_or_add(sources, client):
    editor = User.objects.create_user("editor", password="x", is_staff=True)
    editor.groups.add(Group.objects.get(name="archive_editor"))
    client.force_login(editor)
    article = Article.objects.get(title=BORDER)
    assert post_admin_change(client, change_url(article), title="编辑改过的标题").status_code == 302
    assert client.get(f"/admin/articles/article/{article.pk}/delete/").status_code == 403
    assert client.get("/admin/articles/source/add/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/articles/articleedit/").status_code == 200  # splits and merges
    client.logout()
    assert client.get(change_url(article)).status_code == 302  # to the login page


def test_public_pages_never_write(sources, client):
    from search.index.writing import build_index

    build_index()
    article = Article.objects.get(title=BORDER)
    urls = ["/", "/publications/", "/persons/", "/persons/王超/", "/dates/", article.get_absolute_url(),
            Source.objects.get(kind="magazine").get_absolute_url(), "/search/?q=王鑫", "/api/search?q=王鑫",
            f"/api/articles/{article.key}", "/sitemap.xml", "/feed.atom", "/robots.txt"]  # fmt: skip
    with CaptureQueriesContext(connection) as captured:
        for url in urls:
            assert client.get(url).status_code == 200, url
    writes = [q["sql"] for q in captured if q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []


def test_merging_two_articles_is_kept_at_reimport_and_can_be_undone(sources, staff):
    page = Source.objects.get(name=source_named("000"))
    first = Article.objects.get(title=BORDER)
    photo = page.articles.get(position=first.position + 1)
    response = staff.post("/admin/articles/article/", {"action": "merge_two", "_selected_action": [first.pk, photo.pk]})
    assert response.status_code == 302
    assert page.articles.count() == 5
    merged = Article.objects.get(pk=first.pk)
    assert merged.captions.count() == 1 and merged.captions.get().text.startswith("5月20日")
    assert uncovered_characters(page.text, stored_spans(page)) == ([], [])

    reload(sources, "000", "团结边境派出所辖区位于集安市中心", "团结边境派出所辖区位于集安市区中心")
    page.refresh_from_db()
    assert page.articles.count() == 5
    assert uncovered_characters(page.text, stored_spans(page)) == ([], [])
    edit = page.edits.get()
    assert edit.history.count() == 1  # recorded

    assert staff.post(f"/admin/articles/articleedit/{edit.pk}/delete/", {"post": "yes"}).status_code == 302
    assert page.articles.count() == 6  # undone: the news photo is an article of its own again


def test_splitting_an_article_is_kept_at_reimport(sources, staff):
    article = Article.objects.get(title=BORDER)
    start = article.sections.get(heading="奋斗者正青春").paragraphs.first()
    response = staff.post("/admin/articles/paragraph/", {"action": "split_here", "_selected_action": [start.pk]})
    assert response.status_code == 302
    page = article.source
    assert page.articles.count() == 7
    second = page.articles.get(position=article.position + 1)
    assert second.sections.first().heading == "奋斗者正青春"
    assert second.sections.first().paragraphs.first().text.startswith("曾经，他身着戎装")
    # Staff give the new article its title; the title and the split both survive a re-import.
    assert post_admin_change(staff, change_url(second), title="奋斗者正青春：王鑫").status_code == 302
    reload(sources, "000", "团结边境派出所辖区位于集安市中心", "团结边境派出所辖区位于集安市区中心")
    assert page.articles.count() == 7
    second = Article.objects.get(pk=second.pk)
    assert second.title == "奋斗者正青春：王鑫" and second.position == article.position + 1
    page.refresh_from_db()
    assert uncovered_characters(page.text, stored_spans(page)) == ([], [])


def test_staff_correct_the_persons_and_places_found_and_it_survives_reimport(
    sources, staff, monkeypatch, django_capture_on_commit_callbacks
):
    from articles import recognizing
    from articles.models import Mention, Place

    soldier = Article.objects.get(title__startswith="黄沙百战穿金甲")
    assert not Mention.objects.filter(article=soldier, person__name="大英姐").exists()  # a nickname
    assert Mention.objects.filter(place__name="裕安区").count() >= 3  # a place, but staff say not
    read = []
    monkeypatch.setattr(
        recognizing, "store", lambda ids, *args, real=recognizing.store: read.extend(ids) or real(ids, *args)
    )
    for data in (
        {"kind": "person", "name": "大英姐", "target": ""},
        {"kind": "exclude", "name": "裕安区", "target": ""},
        {"kind": "spelling", "name": "陡步河社区", "target": "陡埠河社区"},
    ):
        with django_capture_on_commit_callbacks(execute=True):
            assert staff.post("/admin/articles/mentionrule/add/", {**data, "_save": "Save"}).status_code == 302
    assert not recognizing.waiting().exists()  # read again (here, inline; a web server starts a process)
    printing = {a.pk for a in Article.objects.all() if any(n in "".join(recognizing.article_texts([a.pk])[0])
                                                          for n in ("大英姐", "裕安区", "陡步河社区"))}  # fmt: skip
    assert set(read) == printing and 0 < len(printing) < 40  # only the articles that print the names

    def check():
        assert Mention.objects.filter(article=soldier, person__name="大英姐").exists()
        assert not Mention.objects.filter(place__name="裕安区").exists()
        assert Place.objects.filter(name="陡埠河社区").exists() and not Place.objects.filter(name="陡步河社区").exists()

    check()
    reload(sources, "002", "这些天要不是你们志愿者", "这些天要不是你们的志愿者")
    check()
    from articles.models import MentionRule

    assert MentionRule.history.count() == 3  # recorded


def test_a_reimport_removes_the_persons_only_it_named_and_keeps_staffs_own(sources):
    from articles.models import Place

    def named_once(person):
        bylines = list(person.bylines.select_related("article__source"))
        if len(bylines) != 1 or person.mentions.exists() or person.portraits.exists() or len(person.name) != 3:
            return None
        text = (sources / bylines[0].article.source.name).read_text(encoding="utf-8")
        return bylines[0] if text.count(person.name) == 1 else None

    person, byline = next((p, b) for p in Person.objects.all() if (b := named_once(p)))
    kept = Person.objects.create(name="馆员自建")  # staff's own entry, named in no article
    reload(sources, byline.article.source.name[:3], person.name, "钱多多")
    assert not Person.objects.filter(pk=person.pk).exists()
    assert Person.objects.filter(name="钱多多").exists() and Person.objects.filter(pk=kept.pk).exists()
    assert Person.objects.filter(bylines__isnull=True, portraits__isnull=True, aliases__isnull=True,
                                 mentions__isnull=True).exclude(pk=kept.pk).count() == 0  # fmt: skip
    assert not Place.objects.filter(mentions__isnull=True).exists()
