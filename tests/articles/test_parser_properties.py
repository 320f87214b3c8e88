"""Properties of the parser on generated texts: it never raises and never loses a character."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.parsing import parse_source, uncovered_characters

# Lines in the forms the sources print, shuffled into texts no source prints.
LINES = st.sampled_from(
    [
        "# 标题", "## ——副题", "### 小节", "#### 小小节", "本报记者 张三", "本报讯（记者李四）正文。", "正文一段。",
        "被切断的段", "落", "张硕 本报记者 张野 摄", "通讯员 陈星", "图片说明。 于晓宇 摄", "吉林日报记者 王五",
        "目 录", "01 卷首标题", "/ 某某街道党工委", "卷首语", "——记某社区党委书记刘颖", "2022 年第 2 期",
        "出刊 2022年5月", "48 研究5交流 2022.2", "2020/2/25 8:58", "原标题甲乙丙丁戊己，庚辛壬癸。",
        "记者李抑嫱责任编辑张瑨瑄", "「环保绿」辉映「志愿红」", "一、标题一", "", " ", "abc", "123", "“引号", "）",
        "……", "陆组轩", "孙太男 杨小芳", "鸿博嘉园社区如今形成群防群控的良",
    ]
)  # fmt: skip
SEPARATORS = st.sampled_from(["\n", "\n\n", "  \n", "\r\n"])
SOURCE_ALPHABET = st.sampled_from(
    list('#—（）()《》“”"：，。！？ \n/|摄记者本报讯编辑目录期年月第01张王街道社区党委标题')
)


def assert_nothing_lost(text):
    parsed = parse_source(text)
    missing, twice = uncovered_characters(text, parsed.all_spans())
    assert (missing, twice) == ([], []), text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(LINES, SEPARATORS), max_size=30), st.text(max_size=30))
def test_texts_made_of_printed_forms(parts, noise):
    assert_nothing_lost("".join(line + sep for line, sep in parts) + noise)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(alphabet=SOURCE_ALPHABET, max_size=300), st.text(max_size=200)))
def test_any_text(text):
    assert_nothing_lost(text)
