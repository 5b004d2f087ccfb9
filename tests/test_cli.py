"""The command as authors run it: help, default build, `new post` and `new exercise`."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from conftest import run_cli
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


def test_new_post_writes_a_draft_that_passes_check(small_site: Path) -> None:
    result = run_cli(small_site, "new", "post", 'Hill Sprints: "Short" & Sharp')
    assert result.code == 0, result.err
    assert result.out == "wrote content/posts/2026-12-01-hill-sprints-short-sharp.md\n"
    text = (small_site / "content/posts/2026-12-01-hill-sprints-short-sharp.md").read_text()
    assert 'title: "Hill Sprints: \\"Short\\" & Sharp"' in text and "draft: true" in text
    assert "  - plank: 3 x 10" in text
    check = run_cli(small_site, "check", "--drafts")
    assert check.code == 0, check.err
    path = small_site / "content/posts/2026-12-01-hill-sprints-short-sharp.md"
    path.write_text(text.replace("\n# ", "\n").replace("\n  # ", "\n  ").replace("squat: 12-15", "plank: 12-15")
                    .replace("[wall-sit]", "[squat]"))
    check = run_cli(small_site, "check", "--drafts")  # the commented-out forms are valid once filled in
    assert check.code == 0, check.err


def test_new_exercise_passes_check(small_site: Path) -> None:
    result = run_cli(small_site, "new", "exercise", "Hip Thrust")
    assert result.code == 0 and result.out == "wrote exercises/hip-thrust.md\n"
    assert run_cli(small_site, "check").code == 0


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
