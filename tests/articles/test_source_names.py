"""Sources are shown by a reader's name (publication, date, page or issue; else kind, date and
first headline), unique across the archive, and staff may set what it is made from. (How the
real sources are named and shown: tests/web/test_pages.py.)"""

import io
import shutil

import pytest
from django.core.management import call_command

from articles.models import Source
from tests.admin_forms import post_admin_change
from tests.conftest import SOURCES_DIR, source_named

pytestmark = pytest.mark.django_db


def test_two_sources_with_the_same_name_are_told_apart(tmp_path, db):
    magazine = source_named("004")
    shutil.copy(SOURCES_DIR / magazine, tmp_path / magazine)
    text = (SOURCES_DIR / magazine).read_text(encoding="utf-8")
    (tmp_path / "reprint.txt").write_text(text + "\n（重印）\n", encoding="utf-8")  # same issue, another file
    call_command("load_sources", str(tmp_path), "--no-recognize", stdout=io.StringIO())
    assert sorted(Source.objects.values_list("title", flat=True)) == [
        "研究与交流 2022年第2期",
        "研究与交流 2022年第2期（2）",
    ]


def test_staff_set_publication_date_and_page_and_a_reimport_keeps_them(tmp_path, db, client, admin_user):
    name = source_named("000")
    shutil.copy(SOURCES_DIR / name, tmp_path / name)
    call_command("load_sources", str(tmp_path), "--no-recognize", stdout=io.StringIO())
    source = Source.objects.get(name=name)
    client.force_login(admin_user)
    response = post_admin_change(
        client, f"/admin/articles/source/{source.pk}/change/", publication="吉林日报", date_start="2022-05-25",
        date_end="2022-05-25", page="4",
    )  # fmt: skip
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.title == "吉林日报 2022年5月25日 第4版"
    assert set(source.corrected_fields) == {"publication", "date_start", "date_end", "page"}

    path = tmp_path / name
    path.write_text(path.read_text(encoding="utf-8") + "\n（本版编辑：张三）\n", encoding="utf-8")
    call_command("load_sources", str(tmp_path), "--no-recognize", stdout=io.StringIO())
    source.refresh_from_db()
    assert "（本版编辑：张三）" in source.text  # the new text is loaded …
    assert (source.publication, str(source.date_start), source.page) == ("吉林日报", "2022-05-25", 4)  # … staff's stay
    assert source.title == "吉林日报 2022年5月25日 第4版"
    assert "吉林日报 2022年5月25日 第4版" in client.get("/").content.decode()
