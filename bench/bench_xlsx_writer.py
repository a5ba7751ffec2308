"""The streaming .xlsx writer alone (``core.xlsx.StreamingXlsx``): rows/s for the 台账's 22
columns, and the Python memory it holds for 50,000 and for 200,000 rows (the same: constant).
openpyxl's write-only mode is timed beside it on the same rows, for the ratio.

Usage: .venv/bin/python bench/bench_xlsx_writer.py [ROWS]
"""

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings")

import django

django.setup()

from openpyxl import Workbook  # noqa: E402

from shegong.activities.excel import LEDGER_HEADER  # noqa: E402
from shegong.core.xlsx import StreamingXlsx  # noqa: E402


def row(n: int) -> list:
    return [
        f"46010{n % 9}001", "现场活动", f"社工宣传周进社区活动第{n}场", "2023-03-21 09:30",
        "秀英街道某社区广场", "社会公众、服务对象", "一老、五社联动", 120 + n % 50, 15, 0, 0,
        n % 500, 800.0, 650.5, f"发放宣传资料 {n % 300} 份", "秀英街道社工站", "海口2023",
        "草稿", "是", "某社会组织、某慈善基金", "否", "否",
    ]  # fmt: skip


def ours(path, rows: int) -> float:
    started = time.perf_counter()
    with StreamingXlsx(path, sheet_title="活动台账", header=LEDGER_HEADER) as book:
        for n in range(rows):
            book.append(row(n))
    return time.perf_counter() - started


def openpyxl_write_only(path, rows: int) -> float:
    started = time.perf_counter()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("活动台账")
    sheet.append(LEDGER_HEADER)
    for n in range(rows):
        sheet.append(row(n))
    book.save(path)
    return time.perf_counter() - started


def held(path, rows: int) -> int:
    tracemalloc.start()
    ours(path, rows)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ledger.xlsx"
        seconds = ours(path, rows)
        size = path.stat().st_size
        theirs = openpyxl_write_only(Path(folder) / "openpyxl.xlsx", rows // 4)
        small, large = held(path, 50_000), held(path, 200_000)
    print(f"streaming writer: {rows:,} rows x 22 columns in {seconds:.1f} s = "
          f"{rows / seconds:,.0f} rows/s ({size / 1024 / 1024:.1f} MB)")  # fmt: skip
    print(f"openpyxl write-only, same rows: {rows // 4 / theirs:,.0f} rows/s")
    print(f"Python memory held: {small / 1024:.0f} KB for 50,000 rows, "
          f"{large / 1024:.0f} KB for 200,000 rows")  # fmt: skip
    from figures import report as figure  # bench/figures.py: `make bench`'s table

    figure(
        "streaming .xlsx writer",
        rows / seconds,
        "rows/s",
        target=">= 20,000 rows/s",
        ok=rows / seconds >= 20_000,
        anchor=f"openpyxl write-only {rows // 4 / theirs:,.0f} rows/s",
        ratio=(rows / seconds) / (rows // 4 / theirs),
    )


if __name__ == "__main__":
    main()
