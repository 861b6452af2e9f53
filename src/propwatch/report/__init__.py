"""The corpus report: which outlets use which techniques, since when, and in whose voice.

:func:`collect` answers the questions with SQL over the store and returns plain tables (the
``--format json`` output); :func:`render_html` draws the same tables as one self-contained HTML
file: inline SVG charts drawn here, inline CSS, no script and nothing fetched from a network, so
the file can be mailed, archived or opened offline. Every article is listed, the most
technique-dense first, and embedded as a highlighted view with who said what. Every string from
the corpus is HTML-escaped.

A rate is an expected count per 1,000 words (``documents.words``): the sum of the calibrated
scores of the spans, i.e. how many of them the model expects to be right, so a span scored 0.3
counts 0.3 and long and short articles and big and small outlets compare fairly. Each rate per
outlet, month and speaker comes with a 90% bootstrap interval over articles (:func:`interval`):
how far the rate would move with another sample of the same outlet's articles. It says nothing
of the model's own errors, which every rate inherits. Months come from ``published`` when it
starts ``YYYY-MM``. The highlighted views draw the spans at or above the model's display score;
rates count every span by its score.

The package reads as the report is made: :mod:`~propwatch.report.tables` (the figures from the
store and their intervals), :mod:`~propwatch.report.charts` (the HTML pieces: bars, lines,
legends, tables), :mod:`~propwatch.report.sections` (outlets, months, voices, speakers),
:mod:`~propwatch.report.articles` (the highlighted articles with who said what) and
:mod:`~propwatch.report.page` (the page put together, and ``propwatch report``).
"""

from propwatch.report.articles import highlight_html, who_said_what
from propwatch.report.charts import Segment, legend, line_chart, stacked_bars, table
from propwatch.report.page import render_html, write_report
from propwatch.report.sections import (
    WHAT_A_RATE_IS,
    comparison_section,
    month_range,
    outlet_section,
    speaker_section,
    time_section,
    voice_section,
)
from propwatch.report.tables import COMPARED, DRAWS, LEVEL, MIN_WORDS, NO_OUTLET, SEED, TOP, collect, interval

__all__ = [
    "COMPARED",
    "DRAWS",
    "LEVEL",
    "MIN_WORDS",
    "NO_OUTLET",
    "SEED",
    "TOP",
    "WHAT_A_RATE_IS",
    "Segment",
    "collect",
    "comparison_section",
    "highlight_html",
    "interval",
    "legend",
    "line_chart",
    "month_range",
    "outlet_section",
    "render_html",
    "speaker_section",
    "stacked_bars",
    "table",
    "time_section",
    "voice_section",
    "who_said_what",
    "write_report",
]
