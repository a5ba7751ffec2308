"""Time to generate official documents as .docx; target under 1 s (docs/contracts.md).

The campaign notice (印发通知 + 方案, on a throw-away in-memory SQLite database with the Haikou
2023 demo campaign) and a district's 上行文 report built directly with the generator (five
sections, about four pages). The first generation in a process is printed apart: it reads
jieba's dictionary to break the title. With ``--pdf`` (and LibreOffice installed) it also times
the PDF renderings.

    .venv/bin/python bench/bench_campaigns_notice.py [--runs 20] [--pdf]
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DATABASE_URL"] = "sqlite://:memory:"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shegong.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from figures import report  # noqa: E402  (bench/figures.py: the line `make bench`'s table reads)

from shegong.campaigns.demo import seed  # noqa: E402
from shegong.campaigns.documents import notice_docx, notice_pdf  # noqa: E402
from shegong.campaigns.officedoc import OfficialDocument, pdf_available  # noqa: E402
from shegong.orgs.models import Unit  # noqa: E402
from shegong.orgs.services import units_load_divisions  # noqa: E402

SECTIONS = ["工作开展情况", "主要做法", "特色亮点", "存在问题", "下一步打算"]
SENTENCE = "3月21日至31日，全区共开展宣传活动36场，参与群众2860人次，发放宣传资料5200份。"


def upward_report() -> OfficialDocument:
    """A district's summary report to the city bureau (上行文, 报告)."""
    date = datetime.date(2023, 4, 7)
    doc = OfficialDocument(author="秀英区民政局")
    doc.issuer_mark("秀英区民政局文件")
    doc.upward_header("秀民报〔2023〕5号", "张三")
    doc.title("秀英区民政局关于2023年社会工作主题宣传活动开展情况的报告")
    doc.recipients("海口市民政局")
    doc.body("按照《海口市2023年社会工作主题宣传活动方案》部署，现将我区活动开展情况报告如下：")
    for number, section in zip("一二三四五", SECTIONS, strict=True):
        doc.heading(f"{number}、{section}", 1)
        for index in range(3):
            doc.body(SENTENCE * 2, lead=f"（{'一二三'[index]}）加强组织。", lead_level=2)
    doc.attachment_note(["秀英区2023年社会工作主题宣传活动统计表"])
    doc.signature("秀英区民政局", date)
    doc.note("联系人：李四，联系电话：68650000")
    doc.colophon(printed_by="秀英区民政局办公室", printed_on=date, copy_to="海口市人民政府办公室")
    return doc


def timed(label: str, make, runs: int) -> float:
    """Print the first and the following generations' times; return the slowest, in ms."""
    start = time.perf_counter()
    size = len(make())
    first = time.perf_counter() - start
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        size = len(make())
        timings.append(time.perf_counter() - start)
    print(
        f"{label}: first {first * 1000:.0f} ms, then {runs} runs median "
        f"{statistics.median(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms, "
        f"{size:,} bytes (target < 1000 ms)"
    )
    return max(first, *timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--pdf", action="store_true")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    units_load_divisions()
    campaign = seed(city=Unit.objects.get(level=Unit.Level.CITY))
    campaign = type(campaign).objects.select_related("issuer").get(pk=campaign.pk)

    for label, make in (
        ("upward report .docx", lambda: upward_report().docx()),
        ("notice .docx", lambda: notice_docx(campaign)),
    ):
        worst = timed(label, make, args.runs)
        report(f"{label}, slowest run", worst, "ms", target="< 1000 ms", ok=worst < 1000)
    if args.pdf:
        if not pdf_available():
            print(".pdf: skipped, LibreOffice is not installed")
            return
        for label, make in (
            ("upward report .pdf", lambda: upward_report().pdf()),
            ("notice .pdf", lambda: notice_pdf(campaign)),
        ):
            start = time.perf_counter()
            size = len(make())
            print(f"{label}: {(time.perf_counter() - start) * 1000:.0f} ms, {size:,} bytes")


if __name__ == "__main__":
    main()
