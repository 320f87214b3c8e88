"""Persons and places an article mentions, with where and in which sentence.

Places come from the gazetteer of China's administrative divisions that
jionlp ships offline (province → city → county: 九台 is 吉林省长春市九台区),
plus street-level names the text builds on them (泰山街道, 鸿博嘉园社区).
Persons are the archive's own names (bylines, portrait subjects) and the
names jieba tags, kept only when they look like a Chinese name. No Django
here: the loader stores what this finds.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from functools import lru_cache

import jieba

JIEBA_CACHE_DIR: str | None = None  # set by the app to the archive's own folder
SENTENCE_RE = re.compile(r"[^。！？!?；;]*[。！？!?；;]?[”」]?")
# Endings of places below a county: a street, a community, a compound, a town, a village.
LOCAL_SUFFIXES = ("街道", "社区", "小区", "镇", "乡", "村")
# Words before such an ending that make it no name at all (无疫小区, 城市社区, 全省村).
GENERIC = set(
    "城市 基层 开放式 物业 无疫 管控 封控 封闭 老旧 居民 所在 本 各 全省 全市 全区 每个 两个 这个 辖区 农村 城乡 "
    "乡镇 村镇 镇村 社区 小区 街道 重点 有关 周边 驻地 共建 结对 包保 下沉 相关 其他 整个 所有 一个 该 我们 "
    "美丽 文明 和谐 平安 幸福 示范 智慧 红色 绿色 无物业 旧 新 大 小 全 个 建强 筑牢 落实 全面落实 组织 处理 "
    "发挥 充分发挥 三级 接管 深入 进入 走进 服务 保障 管理 治理 指挥 推动 防范 精细化".split()
)  # fmt: skip
# The hundred commonest surnames (and the compound ones): a tagged "name" must start with one.
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷"
    "盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷"
    "晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝匡习"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟", "长孙", "宇文", "司徒")
NOT_NAMES = set("同志 书记 主任 大爷 大娘 奶奶 阿姨 师傅 老师 小姐 先生 女士 局长 部长 社长 院长 所长".split())
# Words of these articles that jieba tags as names although nobody is called that.
NOT_NAMES |= set("商超 包保 施策 张弛 连水 祝您 明白卡 蒙蒙亮 和商超 和卫健 包保村".split())
# A name does not end in these: 王鑫初(到), 张姓(嫌疑人), 杨大爷.
NOT_NAME_ENDINGS = (
    "姓",
    "初",
    "等",
    "们",
    "说",
    "大爷",
    "大娘",
    "奶奶",
    "阿姨",
    "师傅",
    "镇",
    "村",
    "乡",
    "区",
    "县",
    "市",
    "泡",
)


# Words printed right before a person's name (省委书记景俊海, 志愿者梁志有, 副主任林晨).
TITLES = (
    "省委书记|党工委书记|党委书记|第一书记|副书记|书记|副主任|主任|副局长|局长|部长|厅长|省长|副省长|市长|县长|区长|所长|院长|"
    "庭长|副主席|主席|委员|志愿者|党员|干部|负责人|同事|护士|医生|村民|居民|积极分子|网格员|民警|队长|组长|法官|值班人员|工委"
)
# What may follow a name: particles, punctuation, digits and the verbs that start a clause.
NAME_FOLLOWERS = set(
    "的，。、：；”“在到说同率带和及与也是作主担从首接一亲将被把对为已还就都正先向赶跑跟等出每0123456789"
)
LOCAL_SUFFIX_RE = re.compile(r"街道|社区|小区|镇|乡|村")
# Before a street-level name: punctuation, a number, or a word that leads to a place (在, 家住, 回 …).
PLACE_LEADERS = set("，。、；：（）“”《》 \n0123456789")
PLACE_VERBS = set("住回赴至到从")
# 乡/村/镇 inside these words are not the end of a place's name.
NOT_PLACE_WORDS = (
    "城乡",
    "乡镇",
    "乡村",
    "村镇",
    "镇村",
    "村屯",
    "村民",
    "村委",
    "镇街",
    "乡亲",
    "驻村",
    "到村",
    "包村",
)
PLACE_ENDS = ("区", "县", "市", "镇", "乡", "街道", "社区", "旗", "州")
_NAME_START = re.compile("[" + re.escape("".join(sorted(SURNAMES | {c[0] for c in COMPOUND_SURNAMES}))) + "]")
TITLED_NAME_RE = re.compile(rf"(?:{TITLES})([\u4e00-\u9fff]{{2,3}})")


@dataclass(frozen=True)
class Place:
    name: str  # the full name: 九台区, 泰山街道
    province: str = ""
    city: str = ""
    county: str = ""

    @property
    def path(self) -> str:
        return "".join(dict.fromkeys(p for p in (self.province, self.city, self.county) if p and p != self.name))


@dataclass(frozen=True)
class Mention:
    kind: str  # "person" or "place"
    name: str
    start: int
    end: int
    sentence: str
    place: Place | None = None


@dataclass(frozen=True)
class _Division:
    place: Place
    level: int  # 1 province, 2 city, 3 county


@lru_cache(maxsize=1)
def divisions() -> tuple[dict[str, _Division], dict[str, list[_Division]]]:
    """(full name → division, short name → divisions) of every administrative division."""
    with contextlib.redirect_stdout(io.StringIO()):  # jionlp prints a banner on import
        import jionlp

    full: dict[str, _Division] = {}
    short: dict[str, list[_Division]] = {}

    def walk(tree, path):
        for name, sub in tree.items():
            if name.startswith("_"):
                continue
            level = [*path, name]
            place = Place(name, level[0], level[1] if len(level) > 1 else "", level[2] if len(level) > 2 else "")
            division = _Division(place, len(level))
            full.setdefault(name, division)
            aliases = sub.get("_alias") or []
            for alias in [aliases] if isinstance(aliases, str) else aliases:
                if len(alias) >= 2 and alias != name:
                    short.setdefault(alias, []).append(division)
            walk(sub, level)

    walk(jionlp.china_location_loader(), [])
    return full, short


@lru_cache(maxsize=1)
def _names_by_division() -> dict[str, tuple[str, ...]]:
    """A division's full name → every name it is printed by (长春市: 长春市, 长春)."""
    full, short = divisions()
    names: dict[str, list[str]] = {name: [name] for name in full}
    for alias, found in short.items():
        for division in found:
            names.setdefault(division.place.name, [division.place.name]).append(alias)
    return {name: tuple(aliases) for name, aliases in names.items()}


@lru_cache(maxsize=1)
def _tagger():
    """A tagger that knows every division's names. The archive's own names are matched apart
    (Extractor), so this one is never changed: jieba cannot forget a word."""
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = JIEBA_CACHE_DIR
    full, short = divisions()
    for name in [*full, *short]:
        tokenizer.add_word(name, freq=20_000, tag="ns")
    from .name_tagger import NameTagger  # jieba's tagger and its tables: only where extraction runs

    return NameTagger(tokenizer, _NAME_START)


@lru_cache(maxsize=1)
def _word_tags() -> dict[str, str]:
    """jieba's part of speech for each dictionary word (50 MB: loaded by the first extraction)."""
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab


class NameSet:
    """Find any of many names in a text, leftmost and longest first, as a regex alternation
    would, but by looking up each position's substrings: the cost does not grow with the
    number of names (an archive knows tens of thousands)."""

    def __init__(self, names):
        self.names = {n for n in names if len(n) >= 2}
        self.lengths = sorted({len(n) for n in self.names}, reverse=True)

    def finditer(self, text: str):
        i, end = 0, len(text)
        while i < end:
            for length in self.lengths:
                if i + length <= end and text[i : i + length] in self.names:
                    yield i, i + length
                    i += length
                    break
            else:
                i += 1


def _common_word(word: str) -> bool:
    tag = _word_tags().get(word)
    return tag is not None and not tag.startswith("ns") and (jieba.get_FREQ(word) or 0) >= 100


class Extractor:
    """Finds mentions; staff corrections come in as names to leave out and names to add."""

    def __init__(self, known_persons=(), units=(), excluded=(), added_persons=(), added_places=(), spellings=None):
        """`units`: organisation names the archive prints (昌邑区延安街道鸿博嘉园社区党委) hold street names."""
        self.known_persons = {n for n in known_persons if len(n) >= 2} | set(added_persons)
        self.excluded = set(excluded)
        self.added_places = set(added_places) | {p for unit in units for p in local_places_in(unit)}
        self.spellings = dict(spellings or {})  # another spelling → the name it stands for
        jieba.dt.initialize()  # the default dictionary (word frequencies); a no-op once loaded
        self.tagger = _tagger()
        _word_tags()  # now, so that worker processes forked from here share it
        self._known_persons = NameSet(self.known_persons)
        self._added_places = NameSet(self.added_places)

    def extract(self, text: str, context: str = "") -> list[Mention]:
        """Mentions in `text`; `context` (the whole article) tells which county a short name means."""
        words = [(w.word, w.flag) for w in self.tagger.cut(text)]
        found: list[Mention] = []
        for candidates in (self._known(text), self._titled_names(text), self._local_places(text)):
            taken = {(m.start, m.end) for m in found}
            found += [m for m in candidates if not _overlaps(m, taken)]
        taken = {(m.start, m.end) for m in found}
        pos = 0
        for i, (word, flag) in enumerate(words):
            start, end = pos, pos + len(word)
            pos = end
            following = words[i + 1][0] if i + 1 < len(words) else ""
            mention = self._place(word, following, context or text, start, end, text)
            mention = mention or self._person(word, flag, start, end, text)
            if mention and mention.name not in self.excluded and not _overlaps(mention, taken):
                found.append(mention)
        return sorted(
            (self._respelled(m) for m in found if text[m.start : m.end] not in self.excluded), key=lambda m: m.start
        )

    def first_mentions(self, texts: list[str]) -> list[tuple[int, Mention]]:
        """Each person and place an article's texts name, at its first mention, with the index
        of the text it is in; the whole article is the context of each text."""
        context = "".join(texts)
        seen: set[tuple[str, str]] = set()
        found = []
        for i, text in enumerate(texts):
            for mention in self.extract(text, context) if text else ():
                if (mention.kind, mention.name) not in seen:
                    seen.add((mention.kind, mention.name))
                    found.append((i, mention))
        return found

    def _known(self, text: str) -> list[Mention]:
        """The archive's own names (bylines, subjects, staff additions) wherever they are printed."""
        found = []
        for names, kind in ((self._known_persons, "person"), (self._added_places, "place")):
            for start, end in names.finditer(text):
                name = text[start:end]
                place = Place(name) if kind == "place" else None
                found.append(Mention(kind, name, start, end, sentence_around(text, start, end), place))
        return found

    def _respelled(self, mention: Mention) -> Mention:
        target = self.spellings.get(mention.name)
        if not target:
            return mention
        place = (
            Place(target, mention.place.province, mention.place.city, mention.place.county) if mention.place else None
        )
        return Mention(mention.kind, target, mention.start, mention.end, mention.sentence, place)

    def _local_places(self, text: str) -> list[Mention]:
        """Street-level places as printed: 卢氏祠村 after 苏埠镇, 韩摆渡镇 after 回, 新平安镇 after 、.

        The name is the shortest run before 街道/社区/小区/镇/乡/村 that follows another place or
        a word leading to one; after mere punctuation it must not be made of everyday words.
        """
        found = []
        for m in LOCAL_SUFFIX_RE.finditer(text):
            k = m.start()
            if any(w in text[max(0, k - 1) : m.end() + 1] for w in NOT_PLACE_WORDS):
                continue
            for size in range(2, 6):
                start = k - size
                if start < 0:
                    break
                prefix = text[start:k]
                if not re.fullmatch(r"[\u4e00-\u9fff]+", prefix) or LOCAL_SUFFIX_RE.search(prefix):
                    break
                before = text[:start]
                strong = before.endswith(PLACE_ENDS) or (before and before[-1] in PLACE_VERBS)
                weak = not before or before[-1] in PLACE_LEADERS
                if not (strong or weak):
                    continue
                if prefix in GENERIC or re.search(r"[的了是在为与和对把被将个各本该这那每两一]", prefix):
                    break
                if prefix[0] in "给向对把被让由从往到" or prefix[-1] in "着到进包给向对入出来去在":
                    break  # a verb's object (给辽东社区 is 辽东社区), not a name
                if prefix in divisions()[0] or (not strong and _everyday(prefix)):
                    break
                name = prefix + m.group()
                found.append(
                    Mention(
                        "place",
                        self.spellings.get(name, name),
                        start,
                        m.end(),
                        sentence_around(text, start, m.end()),
                        Place(name),
                    )
                )
                break
        return [f for f in found if f.name not in self.excluded]

    def _titled_names(self, text: str) -> list[Mention]:
        """Names printed after a title or position, and the names listed with them (、和)."""
        found = []
        for m in TITLED_NAME_RE.finditer(text):
            start = m.start(1)
            while start < len(text):
                name = _name_at(text, start)
                if not name or not _could_be_name(name):
                    break
                end = start + len(name)
                found.append(
                    Mention("person", self.spellings.get(name, name), start, end, sentence_around(text, start, end))
                )
                if end < len(text) and text[end] in "、和与及":
                    start = end + 1
                else:
                    break
        return [f for f in found if f.name not in self.excluded]

    def _place(self, word, following, context, start, end, text) -> Mention | None:
        if following in LOCAL_SUFFIXES or following.startswith(("街道", "社区", "小区")):
            return None  # 延安街道 is a street, not 延安市
        full, short = divisions()
        division = full.get(word) if len(word) > 2 else None
        if division is None:
            candidates = short.get(word, [])
            if len(word) == 2 and word in full:
                candidates = [*candidates, full[word]]
            division = self._meant(word, candidates, context)
        if division is None:
            return None
        name = division.place.name
        return Mention("place", name, start, end, sentence_around(text, start, end), division.place)

    @staticmethod
    def _meant(word, candidates, context) -> _Division | None:
        """The division a short name means: a province or city as such, a county only beside its city."""
        if not candidates or _common_word(word):
            return None
        upper = [d for d in candidates if d.level <= 2]
        if upper:
            return min(upper, key=lambda d: d.level)
        names_of = _names_by_division()
        for division in candidates:
            city = division.place.city
            if any(name in context for name in names_of.get(city, (city,))):
                return division
        return None

    def _person(self, word, flag, start, end, text) -> Mention | None:
        if word in self.known_persons:
            return Mention("person", self.spellings.get(word, word), start, end, sentence_around(text, start, end))
        if not flag.startswith("nr") or word in NOT_NAMES or "某" in word or word.endswith(NOT_NAME_ENDINGS):
            return None
        if any(word[:k] in self.known_persons for k in range(2, len(word))):
            return None  # 王鑫初: a known name with the next word glued on
        if not re.fullmatch(r"[\u4e00-\u9fff]+", word) or (jieba.get_FREQ(word) or 0) >= 50:
            return None  # a word jieba knows well (关怀, 红旗) is no one's name
        compound = word.startswith(COMPOUND_SURNAMES)
        if not (2 <= len(word) <= (4 if compound else 3)) or not (compound or word[0] in SURNAMES):
            return None
        return Mention("person", self.spellings.get(word, word), start, end, sentence_around(text, start, end))


def _name_at(text: str, start: int) -> str:
    """The 2- or 3-character name starting at `start`, judged by what follows it."""
    if start >= len(text) or text[start] not in SURNAMES:
        return ""
    for size in (2, 3):
        name, after = text[start : start + size], text[start + size : start + size + 1]
        if len(name) == size and re.fullmatch(r"[\u4e00-\u9fff]+", name) and (not after or after in NAME_FOLLOWERS):
            return name
    name, after = text[start : start + 3], text[start + 3 : start + 5]
    if len(after) == 2 and (jieba.get_FREQ(after) or 0) >= 100:
        return name  # 董雅娴郑重: a name, then a word
    return ""


def _everyday(text: str) -> bool:
    """Made of common words (严格落实, 深入): no place's name."""
    for word in jieba.lcut(text, HMM=False):
        tag = _word_tags().get(word) or ""
        if len(word) > 1 and not tag.startswith(("ns", "nr", "nz", "nt")) and (jieba.get_FREQ(word) or 0) >= 100:
            return True
    return False


def _could_be_name(name: str) -> bool:
    """Not a word or a place that happens to follow a title (干部商量, 居民关切地, 干部白山市)."""
    if name in NOT_NAMES or name.endswith(NOT_NAME_ENDINGS) or name in divisions()[0]:
        return False
    if any(part in name for part in ("社区", "街道", "网格", "临时", "群发")):
        return False
    for word in (name, name[:2], name[1:]):
        tag = _word_tags().get(word) or ""
        if not tag.startswith("nr") and (jieba.get_FREQ(word) or 0) >= 100:
            return False
    return True


def _overlaps(mention: Mention, taken: set[tuple[int, int]]) -> bool:
    return any(mention.start < end and start < mention.end for start, end in taken)


@lru_cache(maxsize=1)
def _division_pattern() -> re.Pattern:
    names = sorted((n for n in divisions()[0] if len(n) > 2), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, names)))


def local_places_in(unit: str) -> list[str]:
    """Street-level places inside a unit's name: 丰满区泰山街道党工委 → 泰山街道."""
    places = []
    rest = _division_pattern().sub("|", unit)  # drop the divisions: 丰满区泰山街道 → 泰山街道
    for part in rest.split("|"):
        places += [m.group(1) for m in re.finditer(r"([\u4e00-\u9fff]{2,6}?(?:街道|社区|小区|镇|乡|村))", part)]
    return places


def sentence_around(text: str, start: int, end: int) -> str:
    for m in SENTENCE_RE.finditer(text):
        if m.start() <= start and end <= m.end() and m.group():
            return m.group().strip()
    return text[max(0, start - 40) : end + 40]
