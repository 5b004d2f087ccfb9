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
from fitfocus.content.model import Content, Exercise, Page, Plan, Post
from fitfocus.problems import Problem, as_warning

# The folders of Markdown files, in the order they are loaded.
FOLDERS = ("exercises", "content/posts", "content/pages", "content/plans")

_POST_NAME = re.compile(r"^(?P<date>\d{4}-\d{2}-\d{2})-(?P<slug>.+)$")
# Endings editors give Markdown files; only `.md` is read, the others are reported.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


class Reader(Protocol):
    """How the loader gets files: their names, and each one read into a record."""

    def names(self, root: Path, folder: str) -> list[str]:
        """The names of the Markdown files of `folder` to load."""

    def read(self, root: Path, folder: str, name: str, context: FileContext) -> ReadFile | None:
        """`folder/name` read with `context`, or None when it is gone or not a file."""

    def read_ahead(self, root: Path, paths: list[tuple[str, str]], context: FileContext) -> None:
        """Told the (folder, name) of every file `read` is about to be asked for, in that order."""


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

    def read_ahead(self, root: Path, paths: list[tuple[str, str]], context: FileContext) -> None:
        """Nothing: each file is read when asked for."""


def read_regular_file(path: Path) -> bytes | None:
    """The bytes of `path`, or None when it is gone or not a regular file."""
    try:
        if not S_ISREG(os.stat(path).st_mode):
            return None
        return path.read_bytes()
    except OSError:
        return None  # removed while we looked


def list_media(root: Path) -> frozenset[str]:
    """The files of `content/media/` that may be published, as paths relative to content/ (`media/squat.jpg`)."""
    return survey_media(root)[0]


def survey_media(root: Path) -> tuple[frozenset[str], list[Problem]]:
    """The files of `content/media/` (symbolic links within the project followed), and the links refused."""
    media = root / "content" / "media"
    found: set[str] = set()
    problems: list[Problem] = []
    seen: set[str] = set()
    for folder, dirs, files in os.walk(media, followlinks=True):
        real = os.path.realpath(folder)
        if real in seen:  # a link back to a folder already listed
            dirs.clear()
            continue
        seen.add(real)
        for name in sorted(dirs):
            if name.startswith(".") or _refused(root, Path(folder) / name, problems):
                dirs.remove(name)
        for name in files:
            path = Path(folder) / name
            if name.startswith(".") or _refused(root, path, problems) or not path.is_file():
                continue
            found.add(path.relative_to(root / "content").as_posix())
    return frozenset(found), problems


def survey_folder(root: Path, folder: str) -> tuple[set[str], list[Problem]]:
    """The names in `folder` the loader must not read, and a problem for each file that looks like
    content but is not read (a `.MD` or `.markdown` file, a folder named like a post)."""
    path = root / folder
    problems: list[Problem] = []
    if _refused(root, path, problems, linked=os.path.realpath(path) != os.path.join(os.path.realpath(root), folder)):
        return {"*"}, problems
    try:
        entries = sorted(os.scandir(path), key=lambda entry: entry.name)
    except FileNotFoundError:
        return set(), problems
    except NotADirectoryError:
        problems.append(Problem(folder, 1, 1, f"`{folder}` is a file, not a folder",
                                f"rename the file and make {folder}/ a folder of Markdown files"))
        return {"*"}, problems
    except OSError as error:
        problems.append(Problem(folder, 1, 1, f"cannot read the folder `{folder}` ({error.strerror})",
                                "check the folder's permissions"))
        return {"*"}, problems
    refused: set[str] = set()
    for entry in entries:
        name, display = entry.name, f"{folder}/{entry.name}"
        if name.startswith((".", "#")):
            continue
        if entry.is_symlink() and _refused(root, Path(entry.path), problems):
            refused.add(name)
        elif entry.is_dir():
            if name.lower().endswith(MARKDOWN_SUFFIXES) or (folder == "content/posts" and _POST_NAME.match(name)):
                stem = _stem(name)
                problems.append(as_warning(Problem(display, 1, 1, f"folder `{display}` is not read: a post or page "
                                                   "is one file", f"write it as the file {folder}/{stem}.md")))
        elif not name.endswith(".md") and name.lower().endswith(MARKDOWN_SUFFIXES):
            problems.append(as_warning(Problem(display, 1, 1, f"`{display}` is not read: only `.md` files are",
                                               f"rename it to `{_stem(name)}.md`")))
    return refused, problems


def _target(path: Path) -> str:
    return os.readlink(path) if path.is_symlink() else os.path.realpath(path)


def _stem(name: str) -> str:
    lowered = name.lower()
    return next((name[:-len(suffix)] for suffix in MARKDOWN_SUFFIXES if lowered.endswith(suffix)), name)


def _refused(root: Path, path: Path, problems: list[Problem], linked: bool | None = None) -> bool:
    """Whether `path` is (or, with `linked`, lies under) a symbolic link the build must not follow,
    broken or out of the project; if so say why."""
    if not (path.is_symlink() if linked is None else linked):
        return False
    display = path.relative_to(root).as_posix()
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(os.path.realpath(root)):
        problems.append(Problem(display, 1, 1, f"`{display}` is a symbolic link to `{_target(path)}`, outside the project",
                                "copy the file into the project instead of linking to it; it is not published"))
        return True
    if not real.exists():
        problems.append(as_warning(Problem(display, 1, 1, f"`{display}` is a broken symbolic link to `{_target(path)}`",
                                           "remove the broken link, or point it at a file that exists")))
        return True
    return False


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
    """Read `exercises/`, `content/posts/`, `content/pages/`, `content/plans/` and list `content/media/` under `config.root`."""
    reader = reader or DiskReader()
    root = config.root
    media, problems = survey_media(root)
    context = FileContext(config, today, media)
    files: dict[str, ReadFile] = {}
    records: dict[str, list] = {folder: [] for folder in FOLDERS}
    failed: dict[str, list[str]] = {folder: [] for folder in FOLDERS}
    # Every folder is listed first, so that the reader knows all it will be asked for.
    listed: list[tuple[str, list[Problem], list[str]]] = []
    for folder in FOLDERS:
        refused, found = survey_folder(root, folder)
        names = [] if "*" in refused else [name for name in reader.names(root, folder) if name not in refused]
        listed.append((folder, found, names))
    reader.read_ahead(root, [(folder, name) for folder, _, names in listed for name in names], context)
    for folder, found, names in listed:
        problems.extend(found)
        for name in names:
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
    plans: tuple[Plan, ...] = tuple(records["content/plans"])
    cname = None if _refused(root, root / "content" / "CNAME", problems) else read_cname(root)
    content = Content(exercises, posts, pages, context.media, frozenset(broken), cname, plans, today)
    return Loaded(content, problems, files)


def _post_slug(stem: str) -> str:
    match = _POST_NAME.match(stem)
    return match.group("slug") if match else stem
