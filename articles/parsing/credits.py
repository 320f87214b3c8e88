"""Bylines, photo credits and author units: who wrote, photographed or is portrayed."""

from __future__ import annotations

import re

from .structure import Credit
from .text import CJK, Line, has_cjk

# Printed role words, longest first so 本报记者 wins over 记者.
ROLE_WORDS = (
    "本报特约记者", "本报通讯员", "本报记者", "特约记者", "实习记者", "实习生",
    "通讯员", "责任编辑", "记者", "编辑", "摄影", "作者",
)  # fmt: skip
ROLE_NAMES = {
    "本报记者": "记者",
    "本报通讯员": "通讯员",
    "本报特约记者": "特约记者",
    "实习记者": "实习生",
}
_ROLE = "|".join(ROLE_WORDS)
_TOKEN_RE = re.compile(
    rf"(?P<sep>[\s()（）:：,，、|｜]+)"
    rf"|(?P<pub>[{CJK}]{{2,8}}?(?:日报|晚报|报|社|网|台))?(?P<role>{_ROLE})"
    rf"|(?P<name>(?:(?!{_ROLE})[{CJK}]){{1,6}}·(?:(?!{_ROLE})[{CJK}]){{1,8}}|(?:(?!{_ROLE})[{CJK}]){{2,4}})"
    rf"(?=$|[^{CJK}·]|{_ROLE})"
)
# A dateline: 本报讯(记者…), 本报长春5月20日讯（…）, 新华社北京5月20日电（记者…）.
NEWS_SERVICE_RE = re.compile(rf"^(?:本报|新华社|中新社)?[{CJK}\d]{{0,14}}?(?:讯|电)\s*[（(]([^（()）]{{1,40}})[)）]")
# A unit printed as an author: an organisation name ends in one of these.
_UNIT_END_RE = re.compile(
    r"(党工委|党委|委员会|工委|政府|研究室|编辑部|办公室|[部局办委处科室院所站队]|中心|公司|社区|街道)$"
)
# The last unit or position word before a portrayed person's name.
_POSITION_RE = re.compile(
    r"(书记[\"”]?|局长|部长|主任|庭长|所长|科长|队长|党工委|党委|委员会|[局办科室部委院所站队组]|中心|社区|街道|公司)"
)
SENTENCE_MARKS = re.compile(r"[。！？!?；;，,]")


def parse_credits(text: str, offset: int, default_role: str, need_role: bool = False) -> list[Credit] | None:
    """Read `text` as nothing but roles and names; return None if it is anything else.

    Each credit claims the characters from its role (or name) up to the next
    credit, so the credits of one line share out all of its characters.
    """
    pos, role, saw_role = 0, default_role, False
    pending_role_start, pending_pub = None, ""
    found: list[tuple[int, str, str, str]] = []  # (start, name, role, publication)
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            return None
        if m.group("role"):
            if pending_role_start is not None:
                return None  # two roles in a row: not a byline
            printed = m.group("role")
            role = ROLE_NAMES.get(printed, printed)
            pending_role_start, pending_pub, saw_role = m.start(), m.group("pub") or "", True
        elif m.group("name"):
            start = pending_role_start if pending_role_start is not None else m.start()
            found.append((start, m.group("name"), role, pending_pub))
            pending_role_start = None
        pos = m.end()
    if not found or pending_role_start is not None or (need_role and not saw_role):
        return None
    credits = []
    for i, (start, name, role_name, pub) in enumerate(found):
        chunk_start = 0 if i == 0 else start
        chunk_end = found[i + 1][0] if i + 1 < len(found) else len(text)
        raw = text[chunk_start:chunk_end]
        lead = len(raw) - len(raw.lstrip())
        raw = raw.strip()
        s = offset + chunk_start + lead
        credits.append(Credit(name=name, role=role_name, raw=raw, spans=[(s, s + len(raw))], publication=pub))
    return credits


def byline_line(line: Line, bare_names: bool = False) -> list[Credit] | None:
    """Credits of a line that is a byline (本报记者 王超 …); bare names only when allowed."""
    if len(line.text) > 60:
        return None
    credits = parse_credits(line.text, line.start, "作者", need_role=not bare_names)
    if credits and bare_names and len(credits) > 4:
        return None
    return credits


def news_service_prefix(line: Line) -> tuple[list[Credit], int] | None:
    """Credits in a dateline (本报讯(记者…), 新华社…电（记者…）), and where the body text starts."""
    m = NEWS_SERVICE_RE.match(line.text)
    if not m:
        return None
    inner_start = m.start(1)
    credits = parse_credits(m.group(1), line.start + inner_start, "记者")
    if not credits:
        return None
    # The dateline's own characters (本报讯 and the brackets) go with the credits.
    first, last = credits[0], credits[-1]
    first.spans = [(line.start, first.spans[0][1])]
    first.raw = line.text[: first.spans[0][1] - line.start]
    end = line.start + m.end()
    last.spans = [(last.spans[0][0], end)]
    last.raw = line.text[last.spans[0][0] - line.start : m.end()]
    return credits, m.end()


def trailing_credits(text: str, offset: int) -> tuple[list[Credit], int] | None:
    """Credits run on at the end of a paragraph (…进行到底。记者李抑嫱责任编辑张瑨瑄)."""
    for m in reversed(list(re.finditer(r"[。！？!?”\"]", text))):
        tail_start = m.end()
        tail = text[tail_start:]
        if not tail.strip():
            return None
        credits = parse_credits(tail, offset + tail_start, "作者", need_role=True)
        if credits:
            return credits, tail_start
        return None
    return None


def photo_credit(text: str, offset: int) -> tuple[list[Credit], int] | None:
    """Split `… 于晓宇 摄` into the caption's length and its photographers."""
    stripped = text.rstrip()
    if not stripped.endswith("摄"):
        return None
    body = stripped[:-1]
    cuts = [0] + [m.end() for m in re.finditer(r"[\s。！？!?]", body)]
    for cut in cuts:
        credits = parse_credits(body[cut:], offset + cut, "摄影")
        if credits and len(credits) <= 6:
            for credit in credits:
                credit.role = "摄影"
            last = credits[-1]
            last.spans = [(last.spans[0][0], offset + len(stripped))]
            last.raw = text[last.spans[0][0] - offset : len(stripped)]
            return credits, cut
    return None


def is_unit_line(text: str) -> bool:
    """A line that names an organisation as the author (昌邑区东局子街道党工委)."""
    return 4 <= len(text) <= 30 and not SENTENCE_MARKS.search(text) and bool(_UNIT_END_RE.search(text.rstrip(" |")))


def split_position_and_name(text: str) -> tuple[str, str]:
    """Split 船营区临江街道党工委书记刘颖 into (船营区临江街道党工委书记, 刘颖)."""
    text = text.strip().strip("|｜ ").strip()
    matches = list(_POSITION_RE.finditer(text))
    if matches:
        cut = matches[-1].end()
        name = text[cut:].strip('"“” ')
        if 2 <= len(name) <= 4 and has_cjk(name) and re.fullmatch(f"[{CJK}·]+", name):
            return text[:cut].strip(), name
    return text, ""
