"""Reading a source file: its bytes to text, or a one-line reason why it cannot be loaded."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf import settings


class SourceError(Exception):
    """A source file that cannot be loaded; the message names the reason in one line."""


def source_files(paths: list[Path]) -> list[Path]:
    """Expand folders into their .txt files, in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".txt")
        else:
            files.append(path)
    return files


def read_source(path: Path, encoding: str = "utf-8") -> tuple[str, str]:
    """Return the text of a source file and its hash, or raise SourceError saying why not."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(f"cannot read the file ({exc.strerror})") from exc
    if size > settings.MAX_SOURCE_BYTES:
        raise SourceError(f"file is {size:,} bytes, over the limit of {settings.MAX_SOURCE_BYTES:,} bytes")
    data = path.read_bytes()
    if b"\x00" in data:
        raise SourceError("file looks binary (it contains NUL bytes), not a text source")
    try:
        text = data.decode("utf-8-sig" if encoding.lower().replace("_", "-") == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        raise SourceError(_not_utf8(data, exc, encoding)) from exc
    except LookupError as exc:
        raise SourceError(f"unknown encoding {encoding!r}") from exc
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise SourceError("file looks binary (it is full of control characters), not a text source")
    if not text.strip():
        raise SourceError("file is empty")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


def _not_utf8(data: bytes, exc: UnicodeDecodeError, encoding: str) -> str:
    if encoding.lower().replace("_", "-") != "utf-8":
        return f"not valid {encoding} text (byte {exc.start})"
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return f"not UTF-8 text (invalid byte at offset {exc.start}), nor GB18030"
    return "not UTF-8 text: it reads as GB18030; load it with --encoding gb18030 or convert it to UTF-8"
