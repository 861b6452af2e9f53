"""propwatch: find propaganda techniques in news articles, span by span, offline on a CPU.

>>> import propwatch
>>> doc = propwatch.analyze("They are traitors, and everyone knows it.")
>>> [(doc.span_text(s), s.technique) for s in doc.spans]  # doctest: +SKIP
"""

from propwatch.analysis import Analyzer, analyze
from propwatch.document import Document, TechniqueSpan
from propwatch.techniques import TECHNIQUES

__all__ = ["TECHNIQUES", "Analyzer", "Document", "TechniqueSpan", "analyze"]
