"""The command as authors run it: help, default build, `new post`, `new exercise` and `new plan`, drafts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

from conftest import REPO, TODAY_EPOCH, run_cli
from fitfocus.content.files import EXERCISE_KEYS


def test_help_lists_every_command() -> None:
    result = run_cli(Path.cwd(), "--help")
    assert result.code == 0
    for word in ("build", "check", "new", "--drafts", "--base-url", "path:line:col"):
        assert word in result.out


def test_no_command_means_build(small_site: Path) -> None:
    result = run_cli(small_site)
    assert result.code == 0, result.err
    assert (small_site / "site/index.html").exists()


def test_new_post_writes_a_draft_that_passes_check_with_a_warning_at_each_sentence_to_replace(
        small_site: Path) -> None:
    result = run_cli(small_site, "new", "post", 'Hill Sprints: "Short" & Sharp')
    assert result.code == 0, result.err
    assert result.out == "wrote content/posts/2026-12-01-hill-sprints-short-sharp.md\n"
    text = (small_site / "content/posts/2026-12-01-hill-sprints-short-sharp.md").read_text()
    assert 'title: "Hill Sprints: \\"Short\\" & Sharp"' in text and "draft: true" in text
    assert "  - plank: 3 x 10" in text
    check = run_cli(small_site, "check", "--drafts")
    assert check.code == 0, check.err
    shown = "content/posts/2026-12-01-hill-sprints-short-sharp.md"
    assert _warned_at(check.err) == [f"{shown}:3:10", f"{shown}:9:1", f"{shown}:10:1"]
    assert check.err.endswith("3 warnings.\n")
    assert run_cli(small_site, "check", "--drafts", "--strict").code == 1
    path = small_site / "content/posts/2026-12-01-hill-sprints-short-sharp.md"
    path.write_text(text.replace("\n# ", "\n").replace("\n  # ", "\n  ").replace("squat: 12-15", "plank: 12-15")
                    .replace("[wall-sit]", "[squat]"))
    check = run_cli(small_site, "check", "--drafts")  # the commented-out forms are valid once filled in
    assert check.code == 0, check.err


def test_new_exercise_passes_check_with_a_warning_at_each_sentence_to_replace(small_site: Path) -> None:
    result = run_cli(small_site, "new", "exercise", "Hip Thrust")
    assert result.code == 0 and result.out == "wrote exercises/hip-thrust.md\n"
    check = run_cli(small_site, "check")
    assert check.code == 0, check.err
    assert _warned_at(check.err) == ["exercises/hip-thrust.md:10:5", "exercises/hip-thrust.md:11:9",
                                     "exercises/hip-thrust.md:22:1"]
    assert "warning: text from the `new` skeleton is still here\n" in check.err
    path = small_site / "exercises/hip-thrust.md"
    path.write_text(path.read_text().replace("The one form point that matters most (it is printed on workout cards).",
                                             "Squeeze at the top.")
                    .replace("When to stop or what to avoid.", "Stop if your lower back aches.")
                    .replace("How to do it, step by step.", "Shoulders on a bench, drive the hips up."))
    check = run_cli(small_site, "check")
    assert (check.code, check.err) == (0, "")


def test_new_plan_passes_check_with_a_warning_at_each_sentence_to_replace(small_site: Path) -> None:
    result = run_cli(small_site, "new", "plan", "Base Building")
    assert result.code == 0 and result.out == "wrote content/plans/base-building.md\n"
    text = (small_site / "content/plans/base-building.md").read_text()
    assert "start: 2026-12-07   # a Monday" in text and "```plan\n" in text
    check = run_cli(small_site, "check")
    assert check.code == 0, check.err
    assert _warned_at(check.err) == ["content/plans/base-building.md:3:10", "content/plans/base-building.md:8:1"]
    path = small_site / "content/plans/base-building.md"
    path.write_text(text.replace("One sentence on who this plan is for and what it leads to.", "Four easy weeks.")
                    .replace("How to fit these weeks around your running, and what to do when you miss a session.",
                             "Run first, lift later."))
    check = run_cli(small_site, "check")
    assert (check.code, check.err) == (0, "")
    assert run_cli(small_site, "new", "plan", "Base Building").code == 1


def _warned_at(err: str) -> list[str]:
    return [line.split(": warning: ")[0] for line in err.splitlines() if ": warning: " in line]


def test_new_exercise_lists_every_field_and_its_optional_ones_pass_check_once_filled_in(small_site: Path) -> None:
    run_cli(small_site, "new", "exercise", "Hip Thrust")
    path = small_site / "exercises/hip-thrust.md"
    text = path.read_text()
    front = text.split("---\n")[1]
    written = {line.lstrip("# ").split(":")[0] for line in front.splitlines() if ":" in line}
    assert written == set(EXERCISE_KEYS)
    (small_site / "content/media").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (40, 30)).save(small_site / "content/media/photo.jpg", "JPEG")
    # `images:` is the other way to name pictures, which `image:` excludes: it stays a comment.
    path.write_text("".join(line if line.startswith("# images:") else line.removeprefix("# ")
                            for line in text.splitlines(keepends=True)))
    check = run_cli(small_site, "check")
    assert check.code == 0, check.err


def test_new_never_overwrites_a_file(small_site: Path) -> None:
    before = (small_site / "exercises/squat.md").read_text()
    result = run_cli(small_site, "new", "exercise", "Squat")
    assert result.code == 1
    assert result.err.startswith("exercises/squat.md:1:1: error: file already exists; it was left as it is\n")
    assert (small_site / "exercises/squat.md").read_text() == before


def test_outside_a_blog_folder_the_error_says_where_to_run(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "build")
    assert result.code == 1
    assert result.err.startswith("pyproject.toml:1:1: error: no pyproject.toml in this folder\n")
    assert "Traceback" not in result.err


DRAFT = """---
title: Half Written
draft: true
---
Notes for later.

```routine
items:
  - sqat: 3 x 10
```
"""


def test_an_error_in_a_draft_is_a_warning_for_a_build_that_leaves_it_out(small_site: Path) -> None:
    (small_site / "content/posts/2026-11-20-half-written.md").write_text(DRAFT)
    result = run_cli(small_site, "build")
    assert result.code == 0, result.err
    assert result.err == (
        "content/posts/2026-11-20-half-written.md:9:5: warning: unknown exercise `sqat`\n"
        "    9 |   - sqat: 3 x 10\n"
        "      |     ^\n"
        "  hint: did you mean `squat`? (this draft is left out of the build; `--drafts` and `serve` treat this "
        "as an error)\n"
        "1 warning.\n")
    assert "; left out 2 drafts and 1 scheduled post (--drafts and --future to include them)" in result.out
    assert not (small_site / "site/posts/half-written").exists()


def test_an_error_in_a_draft_stops_a_build_with_drafts_or_strict(small_site: Path) -> None:
    (small_site / "content/posts/2026-11-20-half-written.md").write_text(DRAFT)
    for flags in (("--drafts",), ("--strict",)):
        result = run_cli(small_site, "build", *flags)
        assert result.code == 1
        assert result.err.startswith("content/posts/2026-11-20-half-written.md:9:5: error: unknown exercise `sqat`\n")
        assert "this draft is left out" not in result.err


def test_a_draft_whose_front_matter_cannot_be_read_does_not_stop_the_build(small_site: Path) -> None:
    (small_site / "content/posts/2026-11-20-half-written.md").write_text(
        "---\ntitle: [Half Written\ndraft: true\n---\nNotes.\n")
    result = run_cli(small_site, "build")
    assert result.code == 0, result.err
    assert ": warning: " in result.err and ": error: " not in result.err


def test_a_build_counts_the_drafts_and_scheduled_posts_it_left_out(small_site: Path) -> None:
    posts = small_site / "content/posts"
    before = run_cli(small_site, "build")
    assert before.out.endswith("; left out 1 draft and 1 scheduled post (--drafts and --future to include them)\n")
    (posts / "2026-11-20-half-written.md").write_text("---\ntitle: Half Written\ndraft: true\n---\nNotes.\n")
    (posts / "2027-01-05-new-year.md").write_text("---\ntitle: New Year\n---\nSoon.\n")
    (posts / "2027-02-05-a-draft-later.md").write_text("---\ntitle: Later\ndraft: true\n---\nSoon.\n")
    result = run_cli(small_site, "build")
    assert result.code == 0, result.err
    assert result.out.endswith("; left out 3 drafts and 2 scheduled posts (--drafts and --future to include them)\n")
    assert "left out" not in run_cli(small_site, "build", "--drafts", "--future").out


def test_the_summary_counts_plans_when_the_site_has_them(sample_blog: Path) -> None:
    result = run_cli(sample_blog, "check")
    assert result.code == 0, result.err
    plans = len(list((sample_blog / "content/plans").glob("*.md")))
    assert plans and f" pages, {plans} plan{'' if plans == 1 else 's'}: " in result.out


def test_the_program_says_all_it_has_to_and_runs_what_waits_for_its_exit(small_site: Path) -> None:
    # `run` leaves without freeing every object: what is printed, the exit status and the
    # functions registered to run at exit must come through all the same, into a pipe too.
    script = ("import atexit, sys; atexit.register(lambda: print('registered at exit ran')); "
              "sys.argv = ['build.py'] + sys.argv[1:]; from fitfocus.cli import run; run()")
    env = dict(os.environ, PYTHONPATH=str(REPO), SOURCE_DATE_EPOCH=TODAY_EPOCH)
    built = subprocess.run([sys.executable, "-c", script, "build"], cwd=small_site, env=env, capture_output=True,
                           text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("built ") and built.stdout.endswith("\nregistered at exit ran\n")
    (small_site / "content/posts/2026-05-01-third.md").write_text("---\ntitle: [\n---\n")
    failed = subprocess.run([sys.executable, "-c", script, "check"], cwd=small_site, env=env, capture_output=True,
                            text=True, timeout=120)
    assert failed.returncode == 1
    assert failed.stderr.startswith("content/posts/2026-05-01-third.md:3:1: error: invalid YAML")
    assert failed.stdout == "registered at exit ran\n"


def test_output_that_goes_nowhere_is_no_traceback(small_site: Path) -> None:
    # Started with standard output closed (`>&-`), the build succeeds; with a pipe whose reader is
    # gone (`| head -0`), the summary cannot be printed: exit status 1, and no traceback either way.
    env = dict(os.environ, PYTHONPATH=str(REPO), SOURCE_DATE_EPOCH=TODAY_EPOCH)
    command = [sys.executable, str(REPO / "build.py"), "build"]
    closed = subprocess.run(["sh", "-c", 'exec "$@" >&-', "sh", *command], cwd=small_site, env=env,
                            stderr=subprocess.PIPE, text=True, timeout=120)
    assert closed.returncode == 0 and "Traceback" not in closed.stderr, closed.stderr
    assert (small_site / "site/index.html").is_file()
    reader, writer = os.pipe()
    os.close(reader)
    try:
        gone = subprocess.run(command, cwd=small_site, env=env, stdout=writer, stderr=subprocess.PIPE, text=True,
                              timeout=120)
    finally:
        os.close(writer)
    assert gone.returncode == 1 and "Traceback" not in gone.stderr, gone.stderr
