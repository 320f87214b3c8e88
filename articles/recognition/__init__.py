"""Recognition of the persons and places a text names: a statistical tagger, then what the
archive knows (its bylines, its staff's rules, the gazetteer). No Django here."""

from .gazetteer import Place
from .recognizer import Knowledge, Mention, Recognizer

__all__ = ["Knowledge", "Mention", "Place", "Recognizer"]
