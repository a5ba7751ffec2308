"""`make bench`: every bench/bench_*.py, each bounded in time, on loopback only; their output as
it comes, then one table of the figures they report (bench/figures.py) against SPEC §9.

    .venv/bin/python bench/run_all.py [NAME ...]   (NAME: a part of a bench's file name)

BENCH_TIMEOUT (default 600 s) bounds each bench. Exit status 1 when a bench fails or a figure
is short of its target.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TIMEOUT = int(os.getenv("BENCH_TIMEOUT", "600"))


def run(path: Path) -> tuple[list[dict], str]:
    print(f"== {path.name}", flush=True)
    started = time.monotonic()
    figures: list[dict] = []
    try:
        process = subprocess.Popen(
            [sys.executable, str(path)], stdout=subprocess.PIPE, text=True, cwd=HERE.parent
        )
        for line in process.stdout:
            if line.startswith("BENCH "):
                figures.append(json.loads(line.removeprefix("BENCH ")))
            else:
                print(line, end="", flush=True)
            if time.monotonic() - started > TIMEOUT:
                process.kill()
                return figures, f"stopped after {TIMEOUT} s"
        code = process.wait()
    except OSError as error:
        return figures, str(error)
    return figures, "" if code == 0 else f"exit status {code}"


def table(rows: list[tuple[str, dict]]) -> list[str]:
    header = ("bench", "figure", "value", "target (SPEC §9)", "anchor, same run", "ratio", "")
    lines = [header]
    for bench, f in rows:
        verdict = {True: "pass", False: "SHORT", None: ""}[f["ok"]]
        ratio = "" if f["ratio"] is None else f"{f['ratio']:.2f}"
        digits = 1 if f["value"] < 100 else 0
        value = f"{f['value']:,.{digits}f} {f['unit']}" if f["unit"] else ""
        lines.append((bench, f["figure"], value, f["target"], f["anchor"], ratio, verdict))
    widths = [max(len(str(line[i])) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return out


def main() -> int:
    wanted = sys.argv[1:]
    benches = sorted(
        p for p in HERE.glob("bench_*.py") if not wanted or any(w in p.name for w in wanted)
    )
    rows: list[tuple[str, dict]] = []
    failures: list[str] = []
    for path in benches:
        figures, error = run(path)
        name = path.stem.removeprefix("bench_")
        rows += [(name, f) for f in figures]
        if error:
            failures.append(f"{path.name}: {error}")
        elif not figures:
            rows.append(
                (
                    name,
                    {
                        "figure": "(no table figures; see its output above)",
                        "value": 0,
                        "unit": "",
                        "target": "",
                        "anchor": "",
                        "ratio": None,
                        "ok": None,
                    },
                )
            )
    print()
    print("\n".join(table(rows)))
    for failure in failures:
        print(f"FAILED {failure}")
    short = [f for _, f in rows if f["ok"] is False]
    return 1 if failures or short else 0


if __name__ == "__main__":
    sys.exit(main())
