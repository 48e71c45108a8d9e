"""CSV files that Excel opens as they are (UTF-8 with a byte order mark, CRLF line ends) and that
run nothing (no cell a spreadsheet takes for a formula): the organizers' and providers' exports,
and later the statistics'."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from litestar import Response

#: what Excel and other spreadsheets take for a formula at the start of a cell
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Excel reads a CSV file as UTF-8 (not the system's code page) only after this mark
BYTE_ORDER_MARK = "\ufeff"
_CSV_TIME = "%Y-%m-%d %H:%M:%S"
CSV_MEDIA_TYPE = "text/csv"


@dataclass(frozen=True)
class CsvExport:
    filename: str
    content: bytes


def safe_cell(value: str) -> str:
    """The text, with a leading quote if a spreadsheet would run it as a formula (CSV
    injection: a name like `=HYPERLINK(...)`)."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def local_time(moment: dt.datetime | None, zone: ZoneInfo) -> str:
    """A cell's time, on the zone's wall clock (empty for none)."""
    return "" if moment is None else moment.astimezone(zone).strftime(_CSV_TIME)


def csv_file(filename: str, header: Sequence[str], rows: Iterable[Sequence[str]]) -> CsvExport:
    """The file of `header` and `rows`, every cell made safe."""
    text = io.StringIO()
    text.write(BYTE_ORDER_MARK)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return CsvExport(filename=filename, content=text.getvalue().encode("utf-8"))


def csv_response(export: CsvExport) -> Response[bytes]:
    """The file as an HTTP answer that browsers save under its name."""
    return Response(
        export.content,
        media_type=CSV_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )
