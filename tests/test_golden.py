"""Golden output: the small test site builds to exactly the committed files in tests/golden/small/.

After an intended output change, regenerate and review the diff:

    python tests/test_golden.py --regenerate
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import SITES, copy_site, run_cli  # noqa: E402

GOLDEN = Path(__file__).resolve().parent / "golden" / "small"


def build_small(workdir: Path) -> Path:
    """Build tests/sites/small in `workdir` and return its output folder."""
    root = copy_site(SITES / "small", workdir / "small")
    result = run_cli(root, "build")
    assert result.code == 0, result.err
    return root / "site"


def read_tree(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` by relative path, the search index aside: Pagefind names some of its
    files differently on every run (tests/build/test_search.py checks the index itself)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.relative_to(folder).parts[0] != "pagefind"}


def generated(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files the engine writes, without the copies of templates/static/ and content/media/."""
    return {name: data for name, data in files.items() if not name.startswith(("static/", "media/"))}


def test_small_site_matches_golden_output(tmp_path: Path) -> None:
    built = generated(read_tree(build_small(tmp_path)))
    golden = read_tree(GOLDEN)
    assert sorted(built) == sorted(golden), "file list differs; run `python tests/test_golden.py --regenerate`"
    for name in golden:
        assert built[name].decode("utf-8", "replace") == golden[name].decode("utf-8", "replace"), name


def regenerate() -> None:
    """Rebuild the golden folder from the current engine and templates."""
    with tempfile.TemporaryDirectory() as workdir:
        site = build_small(Path(workdir))
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for name, data in generated(read_tree(site)).items():
            (GOLDEN / name).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name).write_bytes(data)
    print(f"regenerated {GOLDEN.relative_to(Path.cwd()) if GOLDEN.is_relative_to(Path.cwd()) else GOLDEN}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--regenerate"]:
        sys.exit("usage: python tests/test_golden.py --regenerate")
    regenerate()
