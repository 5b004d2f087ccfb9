"""Shared fixtures: sample sites copied into tmp_path, and the command run as a user runs it."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
# A fixed "today" so scheduled posts and dates do not depend on when the tests run.
TODAY_EPOCH = "1796083200"  # 2026-12-01


@dataclass(frozen=True)
class Run:
    """What one command printed and returned."""

    code: int
    out: str
    err: str


def file_system(path: Path) -> str:
    """The type of the file system `path` is on (`ext4`, `tmpfs` …), from the kernel's list of
    mounts; "" where there is none to read."""
    try:
        lines = Path("/proc/self/mountinfo").read_text(encoding="utf-8").splitlines()
    except OSError:
        return ""
    place, found, kind = os.path.realpath(path), "", ""
    for line in lines:
        fields, _, rest = line.partition(" - ")
        point = fields.split(" ")[4].encode("ascii", "replace").decode("unicode_escape")  # `\040` is a space
        inside = place == point or place.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(found) and rest:
            found, kind = point, rest.split(" ")[0]
    return kind


def copy_site(source: Path, target: Path) -> Path:
    """Copy a site folder to `target`, adding the repository's templates when it has none."""
    # Symbolic links stay links: some invalid sites are about links that point out of the project.
    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns("expected.txt", "site"))
    if not (target / "templates").exists():
        shutil.copytree(REPO / "templates", target / "templates")
    return target


def run_cli(root: Path, *args: str, today_epoch: str = TODAY_EPOCH) -> Run:
    """Run `python build.py ARGS` in `root` as a separate process."""
    env = dict(os.environ, PYTHONPATH=str(REPO), SOURCE_DATE_EPOCH=today_epoch)
    result = subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=root, env=env,
                            capture_output=True, text=True, timeout=120)
    return Run(result.returncode, result.stdout, result.stderr)


def run_engine(root: Path, *args: str, today_epoch: str = TODAY_EPOCH) -> Run:
    """Run the command `args` in `root` in this process, as `python build.py ARGS` would (the
    engine's own entry, without starting Python again: test_cli.py runs the real command)."""
    from fitfocus.cli import main

    out, err = io.StringIO(), io.StringIO()
    previous_dir, previous_epoch = os.getcwd(), os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = today_epoch
    try:
        os.chdir(root)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(previous_dir)
        if previous_epoch is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous_epoch
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def small_site(tmp_path: Path) -> Path:
    """A copy of tests/sites/small with the repository's templates."""
    return copy_site(SITES / "small", tmp_path / "small")


@pytest.fixture
def sample_blog(tmp_path: Path) -> Path:
    """A copy of the repository's own sample blog."""
    target = tmp_path / "blog"
    target.mkdir()
    for name in ("content", "exercises", "templates"):
        shutil.copytree(REPO / name, target / name)
    shutil.copyfile(REPO / "pyproject.toml", target / "pyproject.toml")
    return target
