"""Today's arrivals as SVG, drawn on the server: admissions per 15 minutes per door (stacked
bars) and people inside (a line), like the PDF report's chart."""

from __future__ import annotations

from scanner.reports.model import DaySeries
from server_stub.web.layout import e

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
INSIDE = "#d62728"
W, H, LEFT, RIGHT, TOP, BOTTOM = 640, 240, 36, 36, 10, 28


def arrivals_svg(day: DaySeries, title: str, inside_label: str) -> str:
    slots = len(day.starts)
    doors = list(day.admissions)
    stacked = [sum(day.admissions[d][i] for d in doors) for i in range(slots)]
    top = max([*stacked, 1])
    inside_top = max([*day.inside, 1])
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    slot = plot_w / max(slots, 1)
    base = TOP + plot_h
    parts = [
        f'<svg viewBox="0 0 {W} {H}" role="img" aria-label="{e(title)}" class="chart">',
        f'<line x1="{LEFT}" y1="{base}" x2="{W - RIGHT}" y2="{base}" class="axis"/>',
        f'<text x="{LEFT - 4}" y="{TOP + 8}" class="tick" text-anchor="end">{top}</text>',
        f'<text x="{W - RIGHT + 4}" y="{TOP + 8}" class="tick inside">{inside_top}</text>',
    ]
    for i in range(slots):
        y = float(base)
        for n, door in enumerate(doors):
            count = day.admissions[door][i]
            if not count:
                continue
            height = plot_h * count / top
            y -= height
            parts.append(
                f'<rect x="{LEFT + i * slot + 1:.1f}" y="{y:.1f}" width="{max(slot - 2, 1):.1f}" '
                f'height="{height:.1f}" fill="{PALETTE[n % len(PALETTE)]}">'
                f"<title>{e(door)} {day.starts[i]:%H:%M}: {count}</title></rect>"
            )
        if i % max(1, slots // 8) == 0:
            x = LEFT + i * slot
            parts.append(
                f'<text x="{x:.1f}" y="{H - 10}" class="tick">{day.starts[i]:%H:%M}</text>'
            )
    points = " ".join(
        f"{LEFT + (i + 0.5) * slot:.1f},{TOP + plot_h - plot_h * v / inside_top:.1f}"
        for i, v in enumerate(day.inside)
    )
    parts.append(f'<polyline points="{points}" fill="none" stroke="{INSIDE}" stroke-width="2"/>')
    parts.append("</svg>")
    legend = (
        "".join(
            f'<span><i class="c{n % len(PALETTE)}"></i>{e(door)}</span>'
            for n, door in enumerate(doors)
        )
        + f'<span><i class="ci"></i>{e(inside_label)}</span>'
    )
    return "".join(parts) + f'<p class="legend">{legend}</p>'
