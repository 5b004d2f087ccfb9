"""The preview's background search index: written beside the site, replaced whole, and a failed run
leaves the last index in place with a warning."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import fitfocus.serve.search_index as search_index
from fitfocus.problems import BuildFailed, Problem
from fitfocus.serve.search_index import SearchIndexer

PAGE = '<!doctype html><html lang="en"><head><title>{0}</title></head><body data-pagefind-body><h1>{0}</h1>' \
       '<p>{1}</p></body></html>'


def _site(tmp_path: Path, word: str) -> Path:
    site = tmp_path / "site"
    (site / "posts/a").mkdir(parents=True, exist_ok=True)
    (site / "posts/a/index.html").write_text(PAGE.format("Hill Day", word))
    return site


def test_the_index_is_written_outside_the_site_and_replaced_whole(tmp_path: Path) -> None:
    site = _site(tmp_path, "kettlebell")
    indexer = SearchIndexer(site, tmp_path / "index")
    indexer.refresh()
    assert indexer.done.wait(60)
    first = sorted(p.name for p in (tmp_path / "index").iterdir())
    assert "pagefind.js" in first and "pagefind-ui.js" in first
    assert not (site / "pagefind").exists()
    _site(tmp_path, "sandbag")
    indexer.refresh()
    assert indexer.done.wait(60)
    indexer.stop()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index", "index-parts", "site"]  # no .new or .old left behind
    assert (tmp_path / "index/pagefind-entry.json").is_file()


def test_a_failed_run_keeps_the_last_index_and_warns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    site = _site(tmp_path, "kettlebell")
    indexer = SearchIndexer(site, tmp_path / "index")
    indexer.refresh()
    assert indexer.done.wait(60)
    before = (tmp_path / "index/pagefind-entry.json").read_bytes()

    def fail(folder: Path, output: Path, cache: Path, stop: object = None) -> None:
        raise BuildFailed([Problem("pyproject.toml", 1, 1, "search index could not be made: disk full")])

    monkeypatch.setattr(search_index, "index_site", fail)
    indexer.refresh()
    assert indexer.done.wait(60)
    indexer.stop()
    assert (tmp_path / "index/pagefind-entry.json").read_bytes() == before
    assert capsys.readouterr().err == ("warning: search index could not be made: disk full; search in the preview "
                                       "shows the last index\n")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread's own priority is Linux's")
def test_indexing_and_the_pagefind_runs_it_starts_yield_to_the_builds(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, str]] = []

    def index_site(folder: Path, output: Path, cache: Path, stop: object = None) -> None:
        # What the thread runs at, and what a program it starts runs at (`nice` prints its own priority).
        seen.append((os.getpriority(os.PRIO_PROCESS, threading.get_native_id()),
                     subprocess.run(["nice"], capture_output=True, text=True, check=True).stdout.strip()))
        output.mkdir(parents=True)

    monkeypatch.setattr(search_index, "index_site", index_site)
    indexer = SearchIndexer(_site(tmp_path, "kettlebell"), tmp_path / "index")
    indexer.refresh()
    assert indexer.done.wait(60)
    indexer.stop()
    base = os.getpriority(os.PRIO_PROCESS, 0)
    assert seen == [(min(base + 10, 19), str(min(base + 10, 19)))]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == base  # the server's own thread is as it was
