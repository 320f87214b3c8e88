"""Rules on the tagger's persons: how newspapers print names that a model cuts wrongly.

- A long foreign name the tagger read as two (伯奇 + 费尔, 约翰 + — + 格伦) is one; two
  names it read as one with the word between them (甲和乙, 甲之子乙) are two.
- A surname and one character the tagger cut short (李培|之同志) is whole where a name's
  boundary follows the next character; a title after a name (明仁天皇) is not part of it;
  a "name" with a division's level after it (巴达赫尚省) is a place's.
- A surname with 老, 总 or 某 after it (胡老, 王某) or 老 or 小 before it (老汤, 小李) stands
  for a person named by surname only: the span is the surname. Such a name is listed
  only where the article names one person of that surname in full (then it is that
  person); otherwise it is no entry of its own (杨大爷, 王某某).
"""

from __future__ import annotations

import re

from .lexicon import lexicon

# Characters joining the parts of a foreign name: 差猜·春哈旺, 约翰—格伦.
JOINERS = "·•—－-"
# Words after a surname that make it a reference to a person: 胡老, 唐外长, 张书记.
SURNAME_TITLES = (
    "老",
    "总",
    "某",
    "某某",
    "外长",
    "主席",
    "总理",
    "部长",
    "书记",
    "局长",
    "厂长",
    "县长",
    "市长",
    "省长",
    "主任",
    "师傅",
    "大爷",
    "大娘",
    "大妈",
    "大姐",
    "大哥",
    "大嫂",
    "小姐",
    "奶奶",
    "阿姨",
    "同志",
    "先生",
    "女士",
    "教授",
    "老师",
    "经理",
)
# The titles a surname-only reference may carry besides 老 and 总 (which 老是, 总是 share).
_LONG_TITLES = sorted((t for t in SURNAME_TITLES if t not in ("老", "总")), key=len, reverse=True)
# What may follow a surname-only reference such as 老汤 (a particle, a verb, punctuation).
AFTER_REFERENCE = set("说的在和是也又就把被对向跟与及还都却便才，。、；：！？”“）)")
HAN = re.compile(r"[\u4e00-\u9fff]+")
# The commonest surnames; 老 or 小 before other characters is an everyday word (小时, 老是).
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝匡习"
)


def joined(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans that touch, or are joined by a name's joiner, made one; but two surnames side by
    side are two persons (汤尤杯 is named after 汤姆斯 and 尤伯, 江李会谈 after two leaders)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        two_surnames = merged and merged[-1][1] - merged[-1][0] == 1 and end - start == 1
        if (
            merged
            and not two_surnames
            and (merged[-1][1] == start or (merged[-1][1] + 1 == start and text[start - 1] in JOINERS))
        ):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


# Words between two names the tagger may read as one (涅姆佐夫和赫里斯坚科, 邹常城之子邹志堂).
BETWEEN_NAMES = re.compile(r"之子|之女|之妻|之夫|之父|之母|[和与及、同跟从]")
# Titles printed after a name (明仁天皇, 福田先生): the name is what comes before them.
TITLES_AFTER = (
    "天皇",
    "国王",
    "女王",
    "王子",
    "公主",
    "总统",
    "首相",
    "总理",
    "主席",
    "先生",
    "女士",
    "夫人",
    "同志",
    "教授",
    "博士",
    "将军",
    "大使",
)
# After a name, the start of a division's name: 巴达赫尚省 is a place (but 李明市长 a person).
DIVISION_AFTER = re.compile(r"[省州市县](?![长委民政里])")


def split_at_joining_words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """One span the tagger read over two names and the word between them, as two names; a
    joining character inside a name (张和平: parts of one character) is left alone."""
    for m in BETWEEN_NAMES.finditer(text, start + 2, end - 2):
        return [(start, m.start()), *split_at_joining_words(text, m.end(), end)]
    return [(start, end)]


def without_title_after(text: str, start: int, end: int) -> tuple[int, int]:
    """明仁天皇 → 明仁: a title the tagger took into the name."""
    for title in TITLES_AFTER:
        if text.endswith(title, start, end) and end - len(title) - start >= 2:
            return start, end - len(title)
    return start, end


# Characters that start what follows a name rather than end it (王刚家的, 李明们说, 王鑫初到).
NOT_NAME_ENDINGS = set("家里上下中内外间前后边们俩人等处方面手时性式化界初曾亦仍均皆即乃便又再")


def completed_given_name(text: str, start: int, end: int) -> int:
    """Where a surname and one character the tagger cut short ends (赵致|真的, 李培|之同志):
    one character more when a name's boundary (的, a comma, 同志 …) follows that one."""
    if end - start != 2 or end + 1 > len(text) or not is_surname(text[start]):
        return end
    char, rest = text[end], text[end + 1 :]
    if not HAN.match(char) or char in NAME_FOLLOWERS or char in NOT_NAME_ENDINGS or char in SURNAME_TITLES:
        return end
    if lexicon().words.get(text[start + 1 : end + 1]) or lexicon().words.get(text[end : end + 2]):
        return end  # 清算, 英国: a word, not a name's end
    if not rest or rest[0] in NAME_FOLLOWERS - set("同") or rest.startswith(("同志", "先生", "女士", "教授")):
        return end + 1
    return end


def names_a_division(text: str, end: int) -> bool:
    """The name ends where a division's level follows it (巴达赫尚省, 阿鲁巴州): a place."""
    return DIVISION_AFTER.match(text, end) is not None


def surname_only(text: str, start: int, end: int) -> tuple[int, int]:
    """胡老 → 胡, 唐外长 → 唐: a surname followed by a title is the surname alone; 小俊平 → 俊平:
    小 or 老 before a name is how it is called, not part of it."""
    if end - start >= 2 and is_surname(text[start]) and text[start + 1 : end] in SURNAME_TITLES:
        return start, start + 1
    if end - start == 3 and text[start] in "小老":  # (小泽征尔, 小渊惠三: Japanese surnames)
        return start + 1, end
    return start, end


def is_surname(char: str) -> bool:
    """One of the commonest surnames, or a character that starts many names in jieba's dictionary (奚)."""
    return char in SURNAMES or lexicon().surname.get(char, 0) >= 4


def surname_references(text: str, taken: set[int]) -> list[tuple[int, int]]:
    """Surnames printed as a reference to a person: 老汤说, 小李的, 胡老介绍 (not 小时, 老是)."""
    words, tags = lexicon().words, lexicon().tags
    found = []
    for i, char in enumerate(text):
        if char not in SURNAMES or i in taken:
            continue
        before, after = text[i - 1 : i], text[i + 1 : i + 2]
        if (
            before in ("老", "小")
            and words.get(before + char, "nr") == "nr"
            and text[i - 2 : i - 1] not in ("老", "小")
        ):
            if not after or after in AFTER_REFERENCE:
                found.append((i, i + 1))
        elif after in ("老", "总") and words.get(char + after, "nr") == "nr":
            if i == 0 or not HAN.match(text[i - 1]) or text[i - 1] in BEFORE_REFERENCE:
                found.append((i, i + 1))
        elif before == "姓" and (not after or not HAN.match(after) or after in AFTER_REFERENCE):
            found.append((i, i + 1))  # 姓樊的技术人员
        elif _reference_title_at(text, i + 1) and (
            i == 0
            or (text[i - 1 : i + 1] not in tags and (not HAN.match(text[i - 1]) or text[i - 1] in BEFORE_REFERENCE))
        ):
            found.append((i, i + 1))  # 唐外长说, 托项市长, 常副局长表示 (not 对于某些, 就任总理)
    return found


# What may stand right before a surname-only reference (和胡老, 托项市长).
BEFORE_REFERENCE = set("的和与同跟向对请找托给让叫位")


def _reference_title_at(text: str, start: int) -> bool:
    """A title after a surname that makes it a person (外长, 副局长, 某), and no longer word
    running on from it (对于某些 names no 于)."""
    tags = lexicon().tags
    rest = start + 1 if text.startswith("副", start) else start
    title = next((t for t in _LONG_TITLES if text.startswith(t, rest)), "")
    if not title:
        return False
    end = rest + len(title)
    return not any(text[start:b] in tags for b in range(end + 1, min(len(text), start + 5) + 1))


# Positions printed right before a person's name (省委书记景俊海, 志愿者梁志有, 副主任林晨).
TITLES = (
    "党工委书记|党委书记|第一书记|副书记|书记|副主任|主任|副局长|局长|部长|厅长|副省长|省长|市长|县长|区长|所长|院长|"
    "庭长|副主席|主席|委员|志愿者|党员|干部|负责人|同事|护士|医生|村民|居民|积极分子|网格员|民警|队长|组长|法官|值班人员"
)
TITLED = re.compile(rf"(?:{TITLES})([\u4e00-\u9fff]{{2,3}})")
TITLE_BEFORE = re.compile(rf"(?:{TITLES})$")  # a position right before (search up to a name's start)
# What may follow a name: particles, punctuation, digits and the verbs that start a clause.
NAME_FOLLOWERS = set(
    "的，。、：；”“在到说同率带和及与也是作主担从首接一亲将被把对为已还就都正先向赶跑跟等出每0123456789"
)


def titled(text: str, taken: set[int]) -> list[tuple[int, int]]:
    """Names printed after a position (第一书记佟薇薇, 副书记薛明珠), and the names listed with
    them (钟鸣和鲍远国)."""
    found = []
    for m in TITLED.finditer(text):
        start = m.start(1)
        while start < len(text) and start not in taken:
            size = _name_size(text, start)
            if not size:
                break
            found.append((start, start + size))
            if start + size < len(text) and text[start + size] in "、和与及":
                start += size + 1
            else:
                break
    return found


def _name_size(text: str, start: int) -> int:
    """The length of the 2- or 3-character name at `start`, judged by what follows it; 0 if none."""
    words = lexicon().words
    if text[start] not in SURNAMES:
        return 0
    for size in (2, 3):
        name, after = text[start : start + size], text[start + size : start + size + 1]
        if len(name) == size and HAN.fullmatch(name) and (not after or after in NAME_FOLLOWERS):
            return size if could_be_name(name) else 0
    name, after = text[start : start + 3], text[start + 3 : start + 5]
    if len(after) == 2 and HAN.fullmatch(name) and words.get(after) == "w" and could_be_name(name):
        return 3  # 董雅娴郑重: a name, then a word
    return 0


def could_be_name(name: str) -> bool:
    """Not a word that happens to follow a title (干部商量, 居民关切地)."""
    words = lexicon()
    for part in (name, name[:2], name[1:]):
        tag = words.tags.get(part, "")
        if tag and not tag.startswith("nr"):
            return False
    return True
