"""A whole load with a second worker has a forked process parse half the files: what it loads,
problems and all, is what one process loads, and a failed helper costs only time."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

import pytest

from conftest import REPO
from fitfocus.config import load_config
from fitfocus.content.loader import DiskReader, load_content
from fitfocus.incremental import records
from fitfocus.incremental.records import READ_AHEAD_MIN, CachedReader

sys.path.insert(0, str(REPO / "bench"))
from corpus import write_corpus  # noqa: E402

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture(scope="module")
def blog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("read-ahead") / "blog"
    write_corpus(root, posts=READ_AHEAD_MIN + 40, exercises=30)
    posts = sorted((root / "content/posts").glob("*.md"))
    # Bad files in the half the other process reads: their problems must come back as they are.
    posts[-3].write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    posts[-2].write_text("---\ntitle: Fine\ndate: not a date\n---\nText.\n", encoding="utf-8")
    return root


def _load(root: Path, reader):
    config, problems = load_config(root, None)
    assert not problems
    return load_content(config, TODAY, reader)


def test_a_load_read_ahead_equals_a_load_in_one_process(blog: Path) -> None:
    alone = _load(blog, DiskReader())
    reader = CachedReader({}, None, workers=2)
    together = _load(blog, reader)
    assert reader._ahead is not None and len(reader._ahead._paths) >= READ_AHEAD_MIN // 2
    assert together.files == alone.files
    assert together.problems == alone.problems and len(alone.problems) >= 2
    assert together.content == alone.content
    assert reader.entries.keys() == together.files.keys()  # every file has its entry for the next build
    # The entries carry what reading the file here would give, so the next build reuses them.
    again = CachedReader(reader.entries, None, workers=2)
    assert _load(blog, again).files == alone.files
    assert again._ahead is None  # nothing left to parse


def test_one_worker_and_a_watcher_read_everything_here(blog: Path) -> None:
    for reader in (CachedReader({}, None, workers=1), CachedReader({}, frozenset(), workers=2)):
        _load(blog, reader)
        assert reader._ahead is None


def test_a_helper_that_fails_leaves_its_files_to_this_process(blog: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    alone = _load(blog, DiskReader())
    parent, read_file = os.getpid(), records.read_file

    def breaks_in_the_helper(*args: object):
        if os.getpid() != parent:
            raise RuntimeError("the helper breaks")
        return read_file(*args)

    monkeypatch.setattr(records, "read_file", breaks_in_the_helper)
    reader = CachedReader({}, None, workers=2)
    assert _load(blog, reader).files == alone.files
    assert reader._ahead is not None and not reader._ahead._entries  # nothing came back: all read here
    monkeypatch.setattr(records, "_read_in_child", lambda *args: args[-1].close())  # ends without a word
    assert _load(blog, CachedReader({}, None, workers=2)).files == alone.files
