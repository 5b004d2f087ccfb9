"""The dev server's quick load: the files the watcher names read again into the last build's
content, with the result `load_content` gives, and the whole load whenever that is not sure."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

import fitfocus.content.loader as loader
from fitfocus.build.pipeline import Options, build
from fitfocus.config import load_config
from fitfocus.content.loader import DiskReader, load_content
from fitfocus.incremental.reload import reloaded
from fitfocus.incremental.state import BuildState
from conftest import TODAY_EPOCH

TODAY = datetime.datetime.fromtimestamp(int(TODAY_EPOCH), datetime.timezone.utc).date()

POST = "content/posts/2026-03-01-first.md"


def _built(site: Path) -> BuildState:
    state = BuildState(None)
    build(Options(root=site, out=site / "out", templates=site / "templates", today=TODAY, drafts=True, future=True,
                  search=False), state)
    return state


def _config(site: Path):
    config, problems = load_config(site, None)
    assert problems == []
    return config


def _append(site: Path, name: str, text: str) -> None:
    path = site / name
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_an_edited_post_is_read_again_into_what_a_whole_load_gives(small_site: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    state = _built(small_site)
    _append(small_site, POST, "\nOne more paragraph about the [squat](exercise:back-squat).\n")
    _append(small_site, "exercises/plank.md", "\nBreathe out as you brace.\n")
    changed = frozenset({POST, "exercises/plank.md"})
    reader = state.reader(changed)
    monkeypatch.setattr(loader, "survey_folder", lambda *args: pytest.fail("the quick load lists no folder"))
    quick = reloaded(state.last, _config(small_site), TODAY, reader, changed)
    monkeypatch.undo()
    whole = load_content(_config(small_site), TODAY, DiskReader())
    assert quick is not None
    assert quick.content == whole.content and quick.problems == whole.problems
    assert quick.files == whole.files and list(quick.files) == list(whole.files)
    assert reader.entries.keys() == state.records.keys()  # every file's record is kept for the next build
    assert "One more paragraph" in reader.entries[POST].read.record.body.text


@pytest.mark.parametrize("change", ["new post", "removed post", "media", "settings", "problem"])
def test_anything_else_loads_everything(small_site: Path, change: str) -> None:
    state = _built(small_site)
    name = {"new post": "content/posts/2026-07-01-new.md", "removed post": POST, "media": "content/media/x.png",
            "settings": "pyproject.toml", "problem": POST}[change]
    if change == "new post":
        (small_site / name).write_text("---\ntitle: New\n---\nHello.\n", encoding="utf-8")
    elif change == "removed post":
        (small_site / name).unlink()
    elif change == "media":
        (small_site / "content/media").mkdir(parents=True, exist_ok=True)
        (small_site / name).write_bytes(b"not a picture")
    elif change == "settings":
        _append(small_site, name, "\n")
    else:  # a front matter the loader cannot read
        (small_site / name).write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    reader = state.reader(frozenset({name}))
    assert reloaded(state.last, _config(small_site), TODAY, reader, frozenset({name})) is None
    assert reader.entries == {}  # the whole load starts from nothing

