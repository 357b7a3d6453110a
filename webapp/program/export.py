"""The program view as CSV: one row per month, one column per figure, the page's own cells.

A withheld cell is written as rules.FEWER, exactly as the page shows it, so a spreadsheet
cannot recover what the page hides; a figure not recorded yet says so in each row.
"""

import csv
import io
import unicodedata

from webapp.program.figures import ProgramView

NOT_RECORDED = "not recorded yet"
FORMULA_START = ("=", "+", "-", "@")


def to_csv(view: ProgramView) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["school", "month", *(figure.key for figure in view.figures)])
    for month in view.months:
        cells = [
            figure.cells[month].text if not figure.note else NOT_RECORDED for figure in view.figures
        ]
        writer.writerow([_safe(view.school), month, *cells])
    return out.getvalue()


def _safe(text: str) -> str:
    """A school's name, quoted with a leading ' when a spreadsheet could run it as a formula."""
    if text[:1].isspace() or unicodedata.normalize("NFKC", text[:1]).startswith(FORMULA_START):
        return "'" + text
    return text
