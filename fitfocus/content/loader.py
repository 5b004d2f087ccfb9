"""Loading: every author file of the blog into typed records, collecting problems instead of stopping.

Which files there are and how their bytes become records is decided here; how a file is got is
the `Reader`'s business. `DiskReader` reads every file; the build cache hands in a reader that
reuses the records of files that did not change (fitfocus/incremental/records.py).
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import Protocol

from fitfocus.config import Config
from fitfocus.content.files import FileContext, ReadFile, read_file
from fitfocus.content.model import Content, Exercise, Page, Post
from fitfocus.problems import Problem

# The folders of Markdown files, in the order they are loaded.
FOLDERS = ("exercises", "content/posts", "content/pages")

_POST_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>.+)$")


class Reader(Protocol):
    """How the loader gets files: their names, and each one read into a record."""

    def names(self, root: Path, folder: str) -> list[str]:
        """The names of the Markdown files of `folder` to load."""

    def read(self, root: Path, folder: str, name: str, context: FileContext) -> ReadFile | None:
        """`folder/name` read with `context`, or None when it is gone or not a file."""


def markdown_names(names: set[str] | list[str]) -> list[str]:
    """The names among `names` the loader reads, sorted: `*.md`, hidden ones (editor lock and
    backup files) left out."""
    return sorted(name for name in names if name.endswith(".md") and "/" not in name and not name.startswith((".", "#")))


class DiskReader:
    """Reads every file from disk, each time."""

    def names(self, root: Path, folder: str) -> list[str]:
        """The Markdown files of `folder`."""
        try:
            return markdown_names({entry.name for entry in os.scandir(root / folder)})
        except (FileNotFoundError, NotADirectoryError):
            return []

    def read(self, root: Path, folder: str, name: str, context: FileContext) -> ReadFile | None:
        """`folder/name` read and parsed."""
        data = read_regular_file(root / folder / name)
        return None if data is None else read_file(root, folder, name, data, context)


def read_regular_file(path: Path) -> bytes | None:
    """The bytes of `path`, or None when it is gone or not a regular file."""
    try:
        if not S_ISREG(os.stat(path).st_mode):
            return None
        return path.read_bytes()
    except OSError:
        return None  # removed while we looked


def list_media(root: Path) -> frozenset[str]:
    """The files of `content/media/`, as paths relative to content/ (`media/squat.jpg`)."""
    return frozenset(
        path.relative_to(root / "content").as_posix()
        for path in sorted((root / "content" / "media").rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    )


def read_cname(root: Path) -> str | None:
    """The custom domain in `content/CNAME`, if there is one."""
    path = root / "content" / "CNAME"
    try:
        text = path.read_text("utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text.splitlines()[0].strip() if text else None


@dataclass(frozen=True)
class Loaded:
    """What `load_content` read: the content, every problem, and each file's read by path."""

    content: Content
    problems: list[Problem]
    files: dict[str, ReadFile]  # "content/posts/x.md" -> its read


def load_content(config: Config, today: datetime.date, reader: Reader | None = None) -> Loaded:
    """Read `exercises/`, `content/posts/`, `content/pages/` and list `content/media/` under `config.root`."""
    reader = reader or DiskReader()
    root = config.root
    context = FileContext(config, today, list_media(root))
    problems: list[Problem] = []
    files: dict[str, ReadFile] = {}
    records: dict[str, list] = {folder: [] for folder in FOLDERS}
    failed: dict[str, list[str]] = {folder: [] for folder in FOLDERS}
    for folder in FOLDERS:
        for name in reader.names(root, folder):
            read = reader.read(root, folder, name, context)
            if read is None:
                continue
            files[f"{folder}/{name}"] = read
            problems.extend(read.problems)
            if read.record is None:
                failed[folder].append(name.removesuffix(".md"))
            else:
                records[folder].append(read.record)
    broken = ({f"exercise:{stem}" for stem in failed["exercises"]}
              | {f"post:{_post_slug(stem)}" for stem in failed["content/posts"]})
    exercises: tuple[Exercise, ...] = tuple(records["exercises"])
    posts: tuple[Post, ...] = tuple(records["content/posts"])
    pages: tuple[Page, ...] = tuple(records["content/pages"])
    content = Content(exercises, posts, pages, context.media, frozenset(broken), read_cname(root))
    return Loaded(content, problems, files)


def _post_slug(stem: str) -> str:
    match = _POST_NAME.match(stem)
    return match.group("slug") if match else stem
