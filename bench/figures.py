"""One line per figure for `make bench`'s table (bench/run_all.py collects them).

A bench prints its own readable output as well; ``report`` adds a machine-readable line:
``BENCH {"figure": ..., "value": ..., ...}``.
"""

import json


def report(
    figure: str,
    value: float,
    unit: str,
    *,
    target: str,
    ok: bool | None,
    anchor: str = "",
    ratio: float | None = None,
) -> None:
    """``target`` as SPEC §9 words it; ``ok`` None when the figure has no target of its own."""
    print(
        "BENCH "
        + json.dumps(
            {
                "figure": figure,
                "value": round(value, 3),
                "unit": unit,
                "target": target,
                "anchor": anchor,
                "ratio": None if ratio is None else round(ratio, 3),
                "ok": ok,
            },
            ensure_ascii=False,
        ),
        flush=True,
    )
