"""Charts of the dashboard as plain geometry for server-rendered SVG (no JavaScript).

Each function returns the geometry; ``Chart.svg`` writes the markup with every label escaped
(in Python: a template node per bar attribute cost more than the page's queries), and
``reports/dashboard_chart.html`` puts it in a figure. Each chart sits beside a table with the
same figures, for those who would rather read.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL = 170  # room for the labels left of horizontal bars
ROW = 26


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as printed
    x: float
    y: float
    width: float
    height: float
    series: int = 0

    @property
    def text_y(self) -> float:
        return round(self.y + self.height * 0.8, 1)

    @property
    def label_x(self) -> float:
        return self.x - 8

    @property
    def value_x(self) -> float:
        return round(self.x + self.width + 6, 1)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list
    title: str
    ticks: list  # (x or y, label) of the axis
    legend: list  # (series, label)
    kind: str = "hbars"

    @property
    def svg(self) -> SafeString:
        parts = [
            f'<svg viewBox="0 0 {self.width} {self.height}" role="img" '
            f'aria-label="{escape(self.title)}（数据见旁边的表格）" focusable="false">'
        ]
        for bar in self.bars:
            label = escape(bar.label)
            parts.append(
                f'<rect class="bar s{bar.series}" x="{bar.x:g}" y="{bar.y:g}" '
                f'width="{bar.width:g}" height="{bar.height:g}">'
                f"<title>{label}：{escape(bar.text)}</title></rect>"
            )
            if self.kind == "columns":
                continue
            if bar.series == 0:
                short = label if len(bar.label) <= 12 else escape(bar.label[:11] + "…")
                parts.append(
                    f'<text class="label" x="{bar.label_x:g}" y="{bar.text_y:g}">{short}</text>'
                )
            parts.append(
                f'<text class="value" x="{bar.value_x:g}" y="{bar.text_y:g}">'
                f"{escape(bar.text)}</text>"
            )
        for x, label in self.ticks:
            parts.append(
                f'<text class="axis" x="{x:g}" y="{self.height - 8}">{escape(label)}</text>'
            )
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


def hbars(items: list[tuple[str, float]], *, title: str, suffix: str = "") -> Chart:
    """One horizontal bar per item: label, bar, value."""
    top = max([value for _, value in items] + [0]) or 1
    span = WIDTH - LABEL - 70
    bars = [
        Bar(
            label=label,
            value=value,
            text=f"{value:g}{suffix}",
            x=LABEL,
            y=8 + n * ROW,
            width=round(span * value / top, 1),
            height=ROW - 8,
        )
        for n, (label, value) in enumerate(items)
    ]
    return Chart(WIDTH, 16 + len(items) * ROW, bars, title, [], [])


def paired_hbars(
    items: list[tuple[str, float | None, float | None]], *, title: str, legend: tuple[str, str]
) -> Chart:
    """Two bars per item (e.g. baseline and campaign), on a 0–100 scale; missing values skip."""
    span = WIDTH - LABEL - 70
    bars = []
    for n, (label, first, second) in enumerate(items):
        for series, value in enumerate((first, second)):
            if value is None:
                continue
            bars.append(
                Bar(
                    label=label,
                    value=float(value),
                    text=f"{value}%",
                    x=LABEL,
                    y=8 + n * ROW * 2 + series * (ROW - 6),
                    width=round(span * float(value) / 100, 1),
                    height=ROW - 10,
                    series=series,
                )
            )
    height = 16 + len(items) * ROW * 2 + 24
    return Chart(WIDTH, height, bars, title, [], list(enumerate(legend)), kind="paired")


def columns(points: list[tuple[str, float]], *, title: str) -> Chart:
    """One column per point (a day or a month), with a few date labels under them."""
    count = len(points) or 1
    top = max([value for _, value in points] + [0]) or 1
    plot_height = 160
    step = (WIDTH - 50) / count
    bars = []
    for n, (label, value) in enumerate(points):
        height = round(plot_height * value / top, 1)
        bars.append(
            Bar(
                label=label,
                value=value,
                text=f"{value:g}",
                x=round(40 + n * step, 1),
                y=round(10 + plot_height - height, 1),
                width=max(round(step * 0.8, 1), 1),
                height=height,
            )
        )
    every = max(1, count // 6)
    ticks = [(bar.x, bar.label) for n, bar in enumerate(bars) if n % every == 0]
    return Chart(
        WIDTH, plot_height + 40, bars, title, ticks, [(0, f"最高 {top:g}")], kind="columns"
    )
