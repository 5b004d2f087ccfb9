"""What one build leaves the next: the template check is parsed once per set of templates, and a
template changed after a cached check is still checked."""

from __future__ import annotations

from pathlib import Path

import pytest

import fitfocus.incremental.state as state_module
from conftest import run_engine
from fitfocus.build.templates import template_files
from fitfocus.incremental.state import BuildState


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The templates folders whose templates were parsed, one item per check."""
    checked: list[Path] = []
    real = state_module.check_templates

    def counting(folder: Path, files, root: Path):
        checked.append(folder)
        return real(folder, files, root)

    monkeypatch.setattr(state_module, "check_templates", counting)
    return checked


def test_unchanged_templates_are_parsed_once(tmp_path: Path, parses: list[Path]) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "base.html").write_text("<p>{{ title }}</p>\n")
    state = BuildState(None)
    files = template_files(folder)
    assert state.template_problems(folder, files, tmp_path) == []
    assert state.template_problems(folder, template_files(folder), tmp_path) == []
    assert parses == [folder]


def test_a_template_broken_after_a_cached_check_is_still_found(tmp_path: Path, parses: list[Path]) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "base.html").write_text("<p>{{ title }}</p>\n")
    state = BuildState(None)
    assert state.template_problems(folder, template_files(folder), tmp_path) == []
    (folder / "base.html").write_text("<p>{{ title }</p>\n")
    problems = state.template_problems(folder, template_files(folder), tmp_path)
    assert [f"{p.path}:{p.line}:{p.col}: {p.message}" for p in problems] == [
        "templates/base.html:1:1: template error: unexpected '}'"]
    assert len(parses) == 2


def test_the_check_is_kept_in_the_cache_folder_between_builds(small_site: Path, parses: list[Path]) -> None:
    assert run_engine(small_site, "build").code == 0
    assert run_engine(small_site, "build").code == 0
    assert len(parses) == 1  # the second build, a new state read from disk, did not parse them again
    post = small_site / "templates/post.html"
    post.write_text(post.read_text() + "{% endif %}\n")
    broken = run_engine(small_site, "build")
    assert broken.code == 1
    assert "templates/post.html:" in broken.err and "template error: Encountered unknown tag 'endif'" in broken.err
    assert len(parses) == 2
