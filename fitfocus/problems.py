"""Problems found in an author's files, and the one way they are printed."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one place: `path:line:col: error: message`, a quoted line, a hint. A
    warning does not stop a build (unless it runs with `--strict`)."""

    path: str
    line: int
    col: int
    message: str
    hint: str | None = None
    source_line: str | None = None
    severity: str = "error"  # or "warning"


def as_warning(problem: Problem) -> Problem:
    """The same problem, as a warning."""
    return replace(problem, severity="warning")


def is_error(problem: Problem) -> bool:
    """Whether `problem` stops a build."""
    return problem.severity == "error"


class BuildFailed(Exception):
    """Raised by the engine when a run found problems; carries all of them."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(f"{len(self.problems)} problem(s)")


QUOTE_WIDTH = 100  # characters of a source line quoted under a problem, at most


def format_problem(problem: Problem) -> str:
    """Render one problem as the lines a terminal (or the browser overlay) shows."""
    lines = [f"{problem.path}:{problem.line}:{problem.col}: {problem.severity}: {problem.message}"]
    if problem.source_line is not None:
        text = problem.source_line.rstrip("\n").expandtabs(4)
        caret_at = max(problem.col - 1, 0)
        if len(text) > QUOTE_WIDTH:  # a very long line: the part around the column
            start = max(0, min(caret_at - QUOTE_WIDTH // 2, len(text) - QUOTE_WIDTH))
            shown = text[start:start + QUOTE_WIDTH]
            text = ("…" if start else "") + shown + ("…" if start + QUOTE_WIDTH < len(text) else "")
            caret_at = caret_at - start + (1 if start else 0)
        lines.append(f"    {problem.line} | {text}")
        lines.append(f"    {' ' * len(str(problem.line))} | {' ' * caret_at}^")
    if problem.hint:
        lines.append(f"  hint: {problem.hint}")
    return "\n".join(lines)


def format_problems(problems: Iterable[Problem]) -> str:
    """Render every problem, then a count line: of errors (nothing was written) or only of warnings."""
    problems = sorted(set(problems))
    blocks = [format_problem(p) for p in problems]
    errors = sum(1 for p in problems if is_error(p))
    warnings = len(problems) - errors
    counts = [_count(errors, "error")] if errors else []
    if warnings:
        counts.append(_count(warnings, "warning"))
    blocks.append(", ".join(counts) + ("; nothing was written." if errors else "."))
    return "\n".join(blocks)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """Return 'did you mean `x`?' for the closest candidate, or None when nothing is close."""
    candidates = sorted(set(candidates))
    matches = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower(): c for c in candidates}
        matches = [lowered[m] for m in difflib.get_close_matches(word.lower(), lowered, n=1, cutoff=0.6)]
    return f"did you mean `{matches[0]}`?" if matches else None


class SourceFile:
    """The text of one author file, for quoting lines in problems."""

    def __init__(self, path: Path, display: str, text: str) -> None:
        self.path = path
        self.display = display
        self.text = text
        self.lines = text.splitlines()

    def line(self, number: int) -> str | None:
        """Return line `number` (1-based), or None past the end."""
        if 1 <= number <= len(self.lines):
            return self.lines[number - 1]
        return None

    def problem(self, line: int, col: int, message: str, hint: str | None = None) -> Problem:
        """Make a problem at `line:col` of this file, quoting the line."""
        line = max(line, 1)
        return Problem(self.display, line, max(col, 1), message, hint, self.line(line))
