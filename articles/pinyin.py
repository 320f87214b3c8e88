"""Names in pinyin: the order of the person and place indexes (no Django here, so the maps
use it too). pypinyin is imported on first use: its phrase tables take 57 MB, which
serving never needs (the place index reads its divisions' pinyin from the drawn maps)."""

from functools import lru_cache


@lru_cache(maxsize=100_000)
def pinyin_key(name: str) -> str:
    """The name in pinyin, syllables apart, in lower case ("li yi jing")."""
    from pypinyin import lazy_pinyin

    return " ".join(lazy_pinyin(name)).lower()
