"""Property tests: whatever bytes an author saves, the engine answers with problems, never a traceback."""

from __future__ import annotations

import datetime
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fitfocus.config import Config
from fitfocus.content.library import index_library
from fitfocus.content.loader import load_content
from fitfocus.problems import Problem, format_problems
from fitfocus.content.validate import check

TODAY = datetime.date(2026, 12, 1)
SQUAT = b"---\nname: Squat\nmuscles: [quadriceps]\n---\nHow to.\n"

yaml_atoms = st.sampled_from([
    "title", "date", "tags", "series", "draft", "items", "squat", "sets", "reps", "tempo", "rest", "rounds",
    "superset", "exercise", "per_side", ":", "- ", "  ", "\n", "[", "]", "{", "}", "3 x 12", "0310", "1:30",
    "no", "~", "&a", "*a", "!!python/object", "'", '"', "#", "---", "```routine", "```", "x", "2026-02-30",
    "exercise:squat", "](", "![", "media/", "\t", "\ufeff", "é", "%", "|", ">",
])
texty = st.lists(yaml_atoms, max_size=60).map("".join)


def run_engine(files: dict[str, bytes]) -> list[Problem]:
    root = Path(tempfile.mkdtemp())
    try:
        for name, data in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        config = Config(root=root, series=("Fit Focus",))
        loaded = load_content(config, TODAY)
        content, problems = loaded.content, loaded.problems
        problems += check(content, index_library(content, config))
        format_problems(problems)
        for problem in problems:
            assert problem.line >= 1 and problem.col >= 1
        return problems
    finally:
        shutil.rmtree(root)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texty)
def test_arbitrary_front_matter_never_raises(text: str) -> None:
    run_engine({"exercises/squat.md": SQUAT, "content/posts/2026-01-01-p.md": f"---\n{text}\n---\nBody\n".encode()})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texty)
def test_arbitrary_routine_text_never_raises(text: str) -> None:
    body = f"---\ntitle: P\n---\nIntro\n\n```routine\ntitle: T\nitems:\n  - {text}\n```\n"
    run_engine({"exercises/squat.md": SQUAT, "content/posts/2026-01-01-p.md": body.encode()})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_arbitrary_file_bytes_never_raise(data: bytes) -> None:
    run_engine({"exercises/squat.md": b"---\nname: Squat\n" + data, "content/posts/2026-01-01-p.md": data})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_arbitrary_exercise_text_never_raises(text: str) -> None:
    run_engine({"exercises/squat.md": ("---\nname: Squat\n" + text).encode("utf-8", "surrogatepass")})
