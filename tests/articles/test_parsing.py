"""The parser on the five real sources, and on small texts of each printed form."""

import datetime as dt

import pytest

from articles.parsing import parse_source, uncovered_characters
from tests.conftest import SOURCE_NAMES, source_text


def titles(parsed_source):
    return [a.title.text if a.title else None for a in parsed_source.articles]


def bylines(article):
    return [(c.name, c.role) for c in article.bylines]


def headings(article):
    return [s.heading.text for s in article.sections if s.heading]


def body(article):
    return "".join(p.text for p in article.paragraphs)


# --- nothing lost -----------------------------------------------------------


@pytest.mark.parametrize("name", SOURCE_NAMES)
def test_every_visible_character_lands_in_exactly_one_piece(name):
    text = source_text(name)
    parsed = parse_source(text)
    missing, twice = uncovered_characters(text, parsed.all_spans())
    assert missing == [], f"unclaimed: {text[missing[0] : missing[0] + 30]!r}"
    assert twice == [], f"claimed twice: {text[twice[0] : twice[0] + 30]!r}"


@pytest.mark.parametrize("name", SOURCE_NAMES)
def test_each_piece_keeps_the_raw_text_of_its_spans(name):
    text = source_text(name)
    parsed = parse_source(text)
    pieces = [b.piece for b in parsed.blocks]
    for article in parsed.articles:
        pieces += list(article.headline_pieces().values())
        pieces += [s.heading for s in article.sections if s.heading] + article.paragraphs
        pieces += [c.piece for c in article.captions]
    for piece in pieces:
        from_spans = "".join(text[s:e] for s, e in piece.spans)
        assert "".join(piece.raw.split()) == "".join(from_spans.split())


# --- 000: a newspaper page with markdown headings --------------------------


def test_newspaper_page_articles_and_headlines(parsed):
    page = parsed["000"]
    assert page.kind == "newspaper"
    assert titles(page) == [
        "彰显担当作为 凝聚组织力量",
        "当好“电小二” 做实“加减法”",
        "我省首获大禹水利科技进步一等奖",
        "市场监管部门开展专项行动 整治涉企违规收费 助力企业复工复产",
        "边境线上“戍边人”",
        None,  # a news photo with no headline of its own
    ]
    first, second = page.articles[0], page.articles[1]
    assert first.subtitle.text == "全省组织系统抗疫工作综述"
    assert first.column.text == "战“疫”有我"
    assert headings(first) == [
        "强化组织领导，凝聚坚强合力",
        "全力构筑堡垒，烈火淬炼真金",
        "一线考察识别，树立鲜明导向",
        "党员奋勇当先，彰显初心本色",
    ]
    assert second.subtitle.text == "国网辽源供电公司助企发展添动能"
    assert page.publication == ""  # the page never names its paper


def test_newspaper_bylines_in_every_printed_form(parsed):
    page = parsed["000"]
    assert bylines(page.articles[0]) == [("李抑婧", "记者")]
    assert bylines(page.articles[1]) == [("董博", "记者"), ("赵蔚", "记者")]
    assert bylines(page.articles[2]) == [("任胜章", "记者")]
    assert bylines(page.articles[4]) == [("王超", "记者"), ("郑博文", "通讯员"), ("徐一戈", "通讯员")]
    # 本报讯(…) is a dateline: the rest of the paragraph is body text.
    assert page.articles[1].paragraphs[0].text.startswith("“现在是企业复工复产")
    assert "本报讯" not in body(page.articles[1])


def test_news_photo_is_an_article_credited_to_its_photographers(parsed):
    photo = parsed["000"].articles[5]
    assert photo.paragraphs == []
    assert len(photo.captions) == 1
    assert photo.captions[0].piece.text.startswith("5月20日，农安县哈拉海镇")
    assert photo.captions[0].piece.text.endswith("奠定基础。")
    assert [(c.name, c.role) for c in photo.captions[0].credits] == [("张硕", "摄影"), ("张野", "摄影")]


def test_paragraphs_cut_mid_sentence_are_joined(parsed):
    text = body(parsed["000"].articles[0])
    assert "提出分区分级严格管控、严密有序组织核酸采样" in text
    assert "选派第一书记2638名" in text
    assert "组织他人偷越国（边）境犯罪团伙" in body(parsed["000"].articles[4])


# --- 001: a web article on one line -----------------------------------------


def test_web_article(parsed):
    web = parsed["001"]
    assert web.kind == "web"
    (article,) = web.articles
    assert article.title.text == "吉林省各级机关党组织和党员干部投身战疫"
    assert article.date == dt.date(2020, 2, 25)
    assert article.dateline.text == "2020/2/25 8:58"
    assert article.original_title.text == "战时当先锋疫线打头阵"
    assert bylines(article) == [("李抑嫱", "记者"), ("张瑨瑄", "责任编辑")]
    assert body(article).startswith("疾风知劲草，危难显担当。")
    assert body(article).endswith("进行到底。")
    assert article.publication == ""


# --- 002: captions, bare-name bylines, a headline printed apart -------------


def test_captions_are_never_body_paragraphs(parsed):
    page = parsed["002"]
    first = page.articles[0]
    assert bylines(first) == [("陆组轩", "作者")]
    assert [c.piece.text[:10] for c in first.captions] == ["裕安区罗集乡成立临时", "全安区委组织部负责同"]
    assert [[x.name for x in c.credits] for c in first.captions] == [["于晓宇"], ["陈郑"]]
    # The caption sat between the two halves of a sentence.
    assert "第一时间进入临战状态、投入抗疫斗争" in body(first)
    assert "于晓宇" not in body(first)


def test_photo_story_with_a_credit_split_over_lines(parsed):
    page = parsed["002"]
    story = next(a for a in page.articles if a.title and a.title.text == "守护“菜篮子”")
    assert story.paragraphs == []
    assert story.captions[0].piece.text.startswith("4月26日，市公安局裕安分局")
    assert [(c.name, c.role) for c in story.captions[0].credits] == [("陈星", "摄影"), ("王丽", "摄影")]


def test_a_headline_printed_apart_from_its_text_gets_that_text(parsed):
    page = parsed["002"]
    assert [bylines(a) for a in page.articles[1:4]] == [
        [("许睿", "记者")],
        [("王欢", "记者")],
        [("孙太男", "作者"), ("杨小芳", "作者")],
    ]
    green = page.articles[-1]
    assert green.title.text == "「环保绿」辉映「志愿红」"
    assert bylines(green) == [("桑宏", "记者")]
    assert green.paragraphs[0].text.startswith("从4月4日全市实行静态管理以来")
    assert headings(green) == ["闻令而动，志愿服务筑防线", "关爱弱势群体，志愿服务更有温度"]
    host = page.articles[3]
    assert body(host).endswith("为赢得本次疫情防控攻坚战最终胜利奠定坚实基础。")


# --- 003: plain text without markup -----------------------------------------


def test_plain_text_page_headlines_from_the_text_itself(parsed):
    page = parsed["003"]
    assert page.publication == "吉林日报"
    first, second = page.articles
    assert first.kicker.text == "韩俊到白城市调研时强调"
    assert first.title.text == "深入推进盐碱地治理和利用 为实现“千亿斤粮食”工程提供有力支撑"
    assert bylines(first) == [("于小博", "记者")]
    assert body(first).startswith("5月23日到24日")
    assert body(first).endswith("安桂武参加调研。")
    assert second.column.text == "战“疫”有我"
    assert second.title.text == "彰显担当作为 凝聚组织力量"
    assert second.subtitle.text == "全省组织系统抗疫工作综述"
    assert bylines(second) == [("李抑婧", "记者")]
    assert headings(second) == [
        "强化组织领导，凝聚坚强合力",
        "全力构筑堡垒，烈火淬炼真金",
        "一线考察识别，树立鲜明导向",
        "党员奋勇当先，彰显初心本色",
    ]
    assert "关键时刻，危难关头，党组织就是主心骨。" in body(second)
    assert all(a.publication == "吉林日报" for a in page.articles)


# --- 004: a magazine issue --------------------------------------------------


def test_magazine_masthead_and_colophon(parsed):
    issue = parsed["004"]
    assert issue.kind == "magazine"
    assert issue.publication == "研究与交流"
    assert issue.issue_label == "2022年第2期"
    assert (issue.date_start, issue.date_end) == (dt.date(2022, 5, 1), dt.date(2022, 5, 31))
    assert issue.metadata["主办"] == "中共吉林市委组织部"
    assert issue.metadata["主编"] == "耿楚翔"
    assert issue.metadata["责任编辑"] == "张广俊"
    kinds = [b.kind for b in issue.blocks]
    assert kinds == ["masthead", "contents", "colophon", "footer"]


def test_magazine_articles_follow_the_contents(parsed):
    issue = parsed["004"]
    assert len(issue.contents) == 25
    assert len(issue.articles) == 25
    assert [a.page for a in issue.articles] == [e.page for e in issue.contents]
    assert [a.page for a in issue.articles][:6] == [1, 4, 7, 9, 11, 12]
    columns = [a.column_name for a in issue.articles]
    assert columns[0] == "卷首语" and columns[1] == "疫情防控综述"
    assert columns.count("筑牢堡垒敢战斗") == 6
    assert columns.count("带头出征勇担当") == 6
    assert columns.count("临危受命齐上阵") == 4
    assert columns.count("驻守一线当先锋") == 7
    # Titles come from the body even where the contents print them differently.
    assert issue.articles[5].title.text == "发挥社区党组织“轴心”作用 坚决筑牢疫情防线"
    assert issue.contents[5].title.startswith("发挥社区党组织“轴心”作用 协同筑牢")
    assert not any("研究5交流" in p.text for a in issue.articles for p in a.paragraphs)


def test_magazine_author_units_and_portrait_subjects(parsed):
    issue = parsed["004"]
    unit = issue.articles[2]
    assert [(c.name, c.role, c.kind) for c in unit.bylines] == [("昌邑区东局子街道党工委", "单位", "organisation")]
    profile = issue.articles[8]
    assert profile.subtitle.text == "记船营区临江街道党工委书记刘颖"
    assert (profile.subject, profile.subject_title) == ("刘颖", "船营区临江街道党工委书记")
    assert profile.bylines == []  # the person portrayed is not the author
    # The contents print 姜森, the article 姜淼: the article's own text wins.
    assert issue.articles[12].subject == "姜淼"
    assert issue.articles[14].subject == "熊焱"


def test_magazine_headings_including_wrapped_numbered_ones(parsed):
    issue = parsed["004"]
    assert headings(issue.articles[8]) == [
        "一、作模范、充当表率，疫情之下，她是党员干部的“践行者”",
        "二、善统筹、果断决策，疫情之下，她是辖区安全的“捍卫者”",
        "三、依实际、坚持原则，疫情之下，她是人民群众的“守护者”",
    ]
    assert "二、转战方舱医院，临危不乱、发挥专长" in headings(issue.articles[21])
    # A line cut inside a word is not a heading (…群防群控的良 / 好态势).
    assert "鸿博嘉园社区如今形成群防群控的良好态势" in body(issue.articles[5])


def test_ocr_spaces_inside_chinese_are_removed_but_kept_raw(parsed):
    article = parsed["004"].articles[3]
    assert "泰山街道" in body(article)
    assert "泰 山街道" not in body(article)
    assert any("东局 子街道" in p.raw for p in parsed["004"].articles[2].paragraphs)


# --- small texts: the general forms, not only these five files --------------


def test_second_level_heading_followed_by_a_byline_starts_an_article():
    text = "# 甲乙丙丁\n\n## ——戊己庚辛综述\n\n本报记者 张三\n\n正文第一段。\n\n## 新的标题在这里\n\n本报讯（记者李四）正文开始。\n"
    parsed = parse_source(text)
    assert titles(parsed) == ["甲乙丙丁", "新的标题在这里"]
    assert parsed.articles[0].subtitle.text == "戊己庚辛综述"
    assert bylines(parsed.articles[1]) == [("李四", "记者")]
    assert body(parsed.articles[1]) == "正文开始。"


def test_trailing_byline_with_paper_name_names_the_publication():
    text = "调研时强调\n\n推进某项重要工作 提供有力支撑\n\n第一段正文写在这里。\n\n第二段正文。\n\n新华日报记者 王五\n"
    parsed = parse_source(text)
    (article,) = parsed.articles
    assert article.kicker.text == "调研时强调"
    assert bylines(article) == [("王五", "记者")]
    assert article.publication == "新华日报"


def test_unreadable_original_title_is_reported_not_guessed_silently():
    text = "标题\n2021-03-04 10:00\n原标题某某某某某某某某某某某某某某，正文很长很长很长很长很长很长很长的一句话。记者赵六\n"
    parsed = parse_source(text)
    assert parsed.articles[0].date == dt.date(2021, 3, 4)
    assert bylines(parsed.articles[0]) == [("赵六", "记者")]
    assert parsed.warnings


def test_marked_up_page_with_a_kicker_printed_above_the_title():
    text = "前一篇正文。\n\n战“疫”有我\n\n省长到某市调研时强调\n\n# 深入推进某项工作\n\n本报记者 张三\n\n正文。\n"
    parsed = parse_source(text)
    article = parsed.articles[-1]
    assert (article.column.text, article.kicker.text, article.title.text) == (
        "战“疫”有我",
        "省长到某市调研时强调",
        "深入推进某项工作",
    )
    assert bylines(article) == [("张三", "记者")]


@pytest.mark.parametrize(
    "opening, names",
    [
        ("本报讯(记者董博 赵蔚)", [("董博", "记者"), ("赵蔚", "记者")]),
        ("本报讯（许睿）", [("许睿", "记者")]),
        ("本报长春5月20日讯（记者 王五 通讯员 赵六）", [("王五", "记者"), ("赵六", "通讯员")]),
        ("新华社北京5月20日电（记者 阿不都·热合曼）", [("阿不都·热合曼", "记者")]),
    ],
)
def test_datelines_give_bylines_and_leave_the_body(opening, names):
    parsed = parse_source(f"# 标题在此\n\n{opening}近日，某地开展工作。\n")
    assert bylines(parsed.articles[0]) == names
    assert body(parsed.articles[0]) == "近日，某地开展工作。"


def test_agency_in_a_byline_is_not_taken_for_the_publication():
    parsed = parse_source("# 标题在此\n\n正文一段。\n\n新华社记者 张三\n")
    assert bylines(parsed.articles[0]) == [("张三", "记者")]
    assert parsed.articles[0].publication == ""


MAGAZINE = """开卷的话题目

开卷正文第一段。

《基层通讯》

2023 年第 4 期

主办 某某市委组织部

出刊 2023年4月

目 录

卷首语

开卷的话题目 …… 1

经验交流

做好基层治理工作 …… 3

/ 某某街道党工委

先进人物

坚守一线的好书记 …… 5

/ 某某社区党委书记张三

主 编 李四

做好基层治理工作

某某街道党工委

一、抓好组织建设

街道党工委高度重视，迅速行动。

坚守一线的好书记

——记某某社区党委书记张三

张三同志始终坚守在一线。

6 基层通讯 2023.4
"""


def test_a_small_magazine_with_page_numbers_after_the_titles():
    parsed = parse_source(MAGAZINE)
    assert parsed.kind == "magazine"
    assert (parsed.publication, parsed.issue_label) == ("基层通讯", "2023年第4期")
    assert parsed.date_start == dt.date(2023, 4, 1)
    assert [(e.column, e.page, e.title) for e in parsed.contents] == [
        ("卷首语", 1, "开卷的话题目"),
        ("经验交流", 3, "做好基层治理工作"),
        ("先进人物", 5, "坚守一线的好书记"),
    ]
    assert titles(parsed) == ["开卷的话题目", "做好基层治理工作", "坚守一线的好书记"]
    assert bylines(parsed.articles[1]) == [("某某街道党工委", "单位")]
    assert headings(parsed.articles[1]) == ["一、抓好组织建设"]
    assert parsed.articles[2].subject == "张三"
    assert body(parsed.articles[2]) == "张三同志始终坚守在一线。"
    assert parsed.metadata["主编"] == "李四"
    missing, twice = uncovered_characters(MAGAZINE, parsed.all_spans())
    assert (missing, twice) == ([], [])
