"""Sites with something a build warns about: each folder under tests/sites/warning/ builds, and
prints exactly its expected.txt; with `--strict` the same problems are errors, the run fails, and
a site/ from an earlier build is left as it was."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

if __name__ == "__main__":  # run as a script: make tests/conftest.py importable as pytest does
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import copy_site, run_cli, run_engine  # noqa: E402
from test_invalid_sites import PREVIOUS_SITE, _snapshot  # noqa: E402

WARNING = Path(__file__).resolve().parent / "sites" / "warning"
CASES = sorted(path.name for path in WARNING.iterdir() if (path / "pyproject.toml").is_file())


def _prepare(case: str, tmp_path: Path) -> Path:
    root = copy_site(WARNING / case, tmp_path / case)
    for relative, data in PREVIOUS_SITE.items():
        target = root / "site" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return root


def _expected(case: str) -> str:
    return (WARNING / case / "expected.txt").read_text(encoding="utf-8")


def as_errors(warnings: str) -> str:
    """What `--strict` prints for these warnings."""
    lines = warnings.replace(": warning: ", ": error: ").splitlines()
    count = int(lines[-1].split()[0])
    lines[-1] = f"{count} error{'' if count == 1 else 's'}; nothing was written."
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("case", CASES)
def test_a_warning_is_printed_and_the_build_goes_on(case: str, tmp_path: Path) -> None:
    run = run_engine(_prepare(case, tmp_path), "build")
    assert run.code == 0, run.err
    assert run.err == _expected(case)
    assert run.out.startswith("built ")


@pytest.mark.parametrize("case", CASES)
def test_strict_makes_warnings_errors_and_writes_nothing(case: str, tmp_path: Path) -> None:
    root = _prepare(case, tmp_path)
    before = _snapshot(root)
    run = run_engine(root, "build", "--strict")
    assert run.code == 1
    assert run.err == as_errors(_expected(case))
    assert _snapshot(root) == before


def test_the_real_command_takes_strict(tmp_path: Path) -> None:
    root = _prepare("post-saved-as-upper-md", tmp_path)
    assert run_cli(root, "check").code == 0
    assert run_cli(root, "check", "--strict").code == 1


def regenerate(cases: list[str]) -> None:
    """Write each case's expected.txt from what `build` prints now."""
    for case in cases or CASES:
        with tempfile.TemporaryDirectory() as tmp:
            run = run_cli(_prepare(case, Path(tmp)), "build")
        (WARNING / case / "expected.txt").write_text(run.err, encoding="utf-8")
        print(f"{case}: exit {run.code}, {len(run.err.splitlines())} lines")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--regenerate"]:
        regenerate(sys.argv[2:])
    else:
        sys.exit("usage: python tests/test_warning_sites.py --regenerate [CASE ...]")
