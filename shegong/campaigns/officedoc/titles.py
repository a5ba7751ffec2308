"""Titles that wrap break between words, in balanced lines (GB/T 9704-2012 7.3.1: 回行时，要做到
词意完整，排列对称). Words come from jieba's dictionary (its dict.txt only: importing jieba and
building its prefix dictionary costs 1–2 s a process; reading the entries a title can use costs
a few tens of ms)."""

import importlib.util
import itertools
import math
import re
from pathlib import Path

from .measures import CLOSING, OPENING, title_width

NUMBER_UNITS = "年月日号届期次个项名家场"
_dictionary: str | None = None


def _dictionary_text() -> str:
    global _dictionary
    if _dictionary is None:
        spec = importlib.util.find_spec("jieba")
        path = Path(spec.origin).parent / "dict.txt" if spec and spec.origin else None
        _dictionary = path.read_text(encoding="utf-8") if path and path.exists() else ""
    return _dictionary


def _word_frequencies(text: str) -> dict[str, int]:
    """Dictionary words of two characters or more made only of ``text``'s characters."""
    chars = {char for char in text if ord(char) >= 0x3400}
    if not chars:
        return {}
    pattern = "^([" + re.escape("".join(sorted(chars))) + r"]{2,8}) (\d+)"
    return {word: int(freq) for word, freq in re.findall(pattern, _dictionary_text(), re.M)}


def _segment(run: str, freq: dict[str, int]) -> list[str]:
    """The most probable split of a run of Chinese characters into words (jieba's method)."""
    log_total = math.log(60_000_000)
    best: list[tuple[float, int]] = [(0.0, len(run))] * (len(run) + 1)
    for start in range(len(run) - 1, -1, -1):
        options = []
        for end in range(start + 1, min(len(run), start + 8) + 1):
            word = run[start:end]
            if end == start + 1 or word in freq:
                score = math.log(freq.get(word, 1)) - log_total + best[end][0]
                options.append((score, end))
        best[start] = max(options)
    words, start = [], 0
    while start < len(run):
        end = best[start][1]
        words.append(run[start:end])
        start = end
    return words


def title_words(text: str) -> list[str]:
    """``text`` cut where a title may break: between words, never after an opening or before a
    closing mark, nor between a number and its unit (2023年)."""
    freq = _word_frequencies(text)
    tokens: list[str] = []
    for run in re.findall(r"[\u3400-\u9fff]+|[A-Za-z0-9.·]+|.", text):
        tokens.extend(_segment(run, freq) if "\u3400" <= run[0] <= "\u9fff" else [run])
    words: list[str] = []
    glue_next = False
    for token in tokens:
        if words and (
            glue_next
            or token[0] in CLOSING
            or (token[0] in NUMBER_UNITS and words[-1][-1:].isdigit())
        ):
            words[-1] += token
        else:
            words.append(token)
        glue_next = token[-1] in OPENING
    return words


def _best_breaks(widths: list[float], count: int, capacity: float) -> list[int] | None:
    """Word indexes where ``count`` lines of at most ``capacity`` start (after the first),
    chosen so the line widths stray least from their mean; None if they cannot fit."""
    mean = sum(widths) / count
    memo: dict[tuple[int, int], tuple[float, list[int]] | None] = {}

    def solve(start: int, lines: int) -> tuple[float, list[int]] | None:
        if (start, lines) in memo:
            return memo[start, lines]
        result = None
        if lines == 1:
            width = sum(widths[start:])
            if width <= capacity:
                result = ((width - mean) ** 2, [])
        else:
            width = 0.0
            for end in range(start + 1, len(widths) - lines + 2):
                width += widths[end - 1]
                if width > capacity:
                    break
                rest = solve(end, lines - 1)
                if rest is None:
                    continue
                # A tiny preference for the longer line on top breaks ties.
                cost = (width - mean) ** 2 - width * 1e-6 + rest[0]
                if result is None or cost < result[0]:
                    result = (cost, [end, *rest[1]])
        memo[start, lines] = result
        return result

    found = solve(0, count)
    return None if found is None else found[1]


def balanced_lines(text: str, capacity: float) -> list[str]:
    """``text`` in as few lines of at most ``capacity`` characters as it needs, broken between
    words so the lines are as even as they can be (the longer line first on a tie)."""
    if title_width(text) <= capacity:
        return [text]
    words = title_words(text)
    widths = [title_width(word) for word in words]
    for count in range(math.ceil(sum(widths) / capacity), len(words) + 1):
        breaks = _best_breaks(widths, count, capacity)
        if breaks is not None:
            cuts = [0, *breaks, len(words)]
            return ["".join(words[a:b]) for a, b in itertools.pairwise(cuts)]
    return [text]
