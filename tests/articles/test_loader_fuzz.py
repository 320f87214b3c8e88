"""The loader fuzzed with hypothesis: any bytes as a source file either load with nothing lost
or are refused with the loader's own clear error, leaving the database as it was.

More examples than CI runs: ARCHIVE_FUZZ_EXAMPLES=20000 pytest tests/articles/test_loader_fuzz.py
"""

import os
import random

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from articles import loading, reading
from articles.models import Article, Source
from articles.parsing import uncovered_characters
from tests.articles.test_loading import stored_spans
from tests.articles.test_parser_properties import LINES
from tests.conftest import SOURCE_NAMES, source_text

EXAMPLES = int(os.environ.get("ARCHIVE_FUZZ_EXAMPLES", "150"))
REAL_TEXT = "\n".join(source_text(name) for name in SOURCE_NAMES)

# Pieces of files as they arrive: real text cut anywhere, printed forms, any text, and the
# bytes that break readers (invalid UTF-8, a byte-order mark, NUL, control characters, CR).
real_slices = st.tuples(st.integers(0, len(REAL_TEXT)), st.integers(0, 3000)).map(
    lambda cut: REAL_TEXT[cut[0] : cut[0] + cut[1]].encode("utf-8")
)
text_chunks = st.one_of(
    real_slices,
    LINES.map(lambda line: (line + "\n").encode("utf-8")),
    st.text(max_size=40).map(lambda text: text.encode("utf-8")),
    st.sampled_from([b"\xef\xbb\xbf", b"\x1b", b"\x07", b"\r", b"\r\n", b"\n\n"]),
)
byte_chunks = st.one_of(st.sampled_from([b"\xff", b"\xe4\xb8", b"\x00", b"\xc0\x80"]), st.binary(max_size=12))
# Two files in three are text (they load or are refused as empty); one in three holds stray bytes.
files = st.one_of(
    st.lists(text_chunks, max_size=12),
    st.lists(text_chunks, max_size=12),
    st.lists(st.one_of(text_chunks, byte_chunks), max_size=12),
).map(b"".join)


def expected_text(data: bytes) -> str | None:
    """What the file says, read the way a person would; None when it is not UTF-8 text."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def visible(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


@pytest.mark.django_db
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=files, seed=st.integers(0, 2**16))
def test_any_bytes_load_whole_or_are_refused_clearly(tmp_path, data, seed):
    path = tmp_path / f"fuzz-{random.Random(seed).randrange(10**6)}.txt"
    path.write_bytes(data)
    with transaction.atomic():
        try:
            result = loading.load_source(path)
        except reading.SourceError as exc:
            message = str(exc)
            event(f"refused: {message.split('(')[0].split(':')[0]}")
            assert message and "\n" not in message and "Traceback" not in message
            assert not Source.objects.filter(name=path.name).exists()
            assert not Article.objects.filter(source__name=path.name).exists()
            # Refused only for a reason the file really has.
            text = expected_text(data)
            assert text is None or b"\x00" in data or not text.strip() or "control characters" in message, message
        else:
            source = result.source
            event(f"loaded: {min(result.articles, 3)}{'+' if result.articles >= 3 else ''} articles")
            text = expected_text(data)
            assert text is not None, "a file that is not UTF-8 was loaded"
            assert visible(source.text) == visible(text)  # every printed character kept, in order
            assert uncovered_characters(source.text, stored_spans(source)) == ([], [])
            assert source.articles.count() == result.articles
            assert loading.load_source(path).status == "unchanged"
        transaction.set_rollback(True)
