"""Site settings: `[tool.fitfocus]` in `pyproject.toml`, checked key by key."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from fitfocus.problems import Problem, SourceFile, did_you_mean
from fitfocus.content.vocabulary import Vocabulary

CARD_SIZES = ("A5", "A4", "letter", "half-letter", "4x6in")
FEED_CONTENT = ("full", "summary")  # what a feed entry carries: the whole post, or its summary
UNITS = ("kg", "lb")  # the display units of loads
# Every way an author writes a unit of load, to the unit it means (the parser of loads reads these too).
UNIT_WORDS = {"kg": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg", "kilogram": "kg", "kilograms": "kg",
              "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb"}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

_DEFAULT_DISCLAIMER = (
    "This workout is general information, not medical advice. Check with a doctor or "
    "physiotherapist before starting a new exercise programme, and stop if anything hurts."
)
_DEFAULT_DISCLAIMER_SHORT = "Not medical advice. Stop if anything hurts."


@dataclass(frozen=True)
class Config:
    """The site's settings, with defaults filled in; `base_url` always ends with `/`."""

    root: Path
    title: str = "Fit Focus"
    description: str = ""
    author: str = ""
    base_url: str = "/"
    language: str = "en"
    disclaimer: str = _DEFAULT_DISCLAIMER
    disclaimer_short: str = _DEFAULT_DISCLAIMER_SHORT
    card_size: str = "A5"
    series: tuple[str, ...] = ()
    posts_per_page: int = 10
    feed_content: str = "full"
    units: str | None = None  # the display unit of loads, "kg" or "lb"; None: as each is written
    search: bool = True  # index posts and exercises with Pagefind, with a search page and box
    image_widths: tuple[int, ...] = (480, 960, 1440)  # the widths responsive pictures are made at
    routine_thumbnails: bool = True  # a picture of each move in routine tables
    vocabulary: Vocabulary = field(default_factory=Vocabulary)


_TEXT_KEYS = ("title", "description", "author", "language", "disclaimer", "disclaimer_short")
_KEYS = _TEXT_KEYS + ("base_url", "card_size", "series", "posts_per_page", "feed_content", "units", "search",
                        "vocabulary", "image_widths", "routine_thumbnails")
_VOCABULARY_KEYS = ("muscles", "equipment", "levels", "injuries", "categories", "muscle_regions")
_REGIONS_TABLE = "tool.fitfocus.vocabulary.muscle_regions"
BASE_URL_MESSAGE = "`base_url` must be an http(s) URL or a path starting with `/`"
_BASE_URL_EXAMPLE = 'for example "https://user.github.io/repo/"'
# A host (a name or an IPv4 or bracketed IPv6 address) with an optional port; no user name.
_HOST = re.compile(r"^(?:[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$")


def load_config(root: Path, base_url: str | None = None) -> tuple[Config, list[Problem]]:
    """Read `root/pyproject.toml`; return the settings and every problem found in them."""
    path = root / "pyproject.toml"
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        hint = "run this in your blog's folder, or create pyproject.toml with a [tool.fitfocus] table"
        return Config(root=root), [Problem("pyproject.toml", 1, 1, "no pyproject.toml in this folder", hint)]
    except UnicodeDecodeError as error:
        return Config(root=root), [Problem("pyproject.toml", 1, error.start + 1, "file is not UTF-8 text")]
    except IsADirectoryError:
        return Config(root=root), [Problem("pyproject.toml", 1, 1, "pyproject.toml is a folder, not a file",
                                           "the settings live in a file named pyproject.toml beside content/")]
    except OSError as error:
        return Config(root=root), [Problem("pyproject.toml", 1, 1, f"cannot read pyproject.toml ({error.strerror})",
                                           "check that you may read the file, e.g. `chmod u+r pyproject.toml`")]
    source = SourceFile(path, "pyproject.toml", text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return Config(root=root), [_toml_problem(source, error)]
    except ValueError:  # Python refuses to read an integer of thousands of digits
        huge = re.search(r"\d{1000,}", text)
        line = text.count("\n", 0, huge.start()) + 1 if huge else 1
        col = huge.start() - text.rfind("\n", 0, huge.start()) if huge else 1
        return Config(root=root), [source.problem(line, col, "a number here is far too large",
                                                  "settings take small whole numbers, e.g. posts_per_page = 10")]
    tool = data.get("tool", {})
    settings = tool.get("fitfocus", {}) if isinstance(tool, dict) else None
    if not isinstance(settings, dict):
        line = next((n for n, l in enumerate(source.lines, 1) if re.match(r"^\s*(tool|fitfocus)\b", l)), 1)
        return Config(root=root), [source.problem(line, 1, "`tool.fitfocus` must be a table of settings",
                                                  "write the settings under a `[tool.fitfocus]` header")]
    problems: list[Problem] = []
    values: dict[str, object] = {}
    for key, value in settings.items():
        where = _key_position(source, "tool.fitfocus", key)
        at_value = _value_position(source, where)
        if key not in _KEYS:
            hint = did_you_mean(key, _KEYS) or f"known settings: {', '.join(_KEYS)}"
            problems.append(source.problem(*where, f"unknown setting `{key}`", hint))
        elif key in _TEXT_KEYS:
            if isinstance(value, str):
                values[key] = value.strip()
            else:
                problems.append(source.problem(*at_value, f"`{key}` must be a string"))
        elif key == "base_url":
            url, hint = check_base_url(value)
            if url is None:
                problems.append(source.problem(*at_value, BASE_URL_MESSAGE, hint))
            else:
                values[key] = url
        elif key == "card_size":
            if value in CARD_SIZES:
                values[key] = value
            else:
                hint = did_you_mean(str(value), CARD_SIZES) or f"choose one of: {', '.join(CARD_SIZES)}"
                problems.append(source.problem(*at_value, f"unknown card size `{value}`", hint))
        elif key == "feed_content":
            if value in FEED_CONTENT:
                values[key] = value
            else:
                hint = did_you_mean(str(value), FEED_CONTENT) or f"choose one of: {', '.join(FEED_CONTENT)}"
                problems.append(source.problem(*at_value, f"unknown feed content `{value}`", hint))
        elif key == "units":
            if value in UNITS:
                values[key] = value
            else:
                problems.append(source.problem(*at_value, f"unknown unit `{value}`", _units_hint(value)))
        elif key == "series":
            if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
                values[key] = tuple(v.strip() for v in value)
            else:
                problems.append(source.problem(*at_value, "`series` must be a list of names", 'series = ["Fit Focus"]'))
        elif key == "posts_per_page":
            if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 1000:
                values[key] = value
            else:
                problems.append(source.problem(*at_value, "`posts_per_page` must be a whole number from 1 to 1000"))
        elif key == "image_widths":
            if (isinstance(value, list) and value
                    and all(isinstance(v, int) and not isinstance(v, bool) and 16 <= v <= 8192 for v in value)):
                values[key] = tuple(sorted(set(value)))
            else:
                problems.append(source.problem(*at_value, "`image_widths` must be a list of widths from 16 to 8192",
                                               "image_widths = [480, 960, 1440]"))
        elif key == "routine_thumbnails":
            if isinstance(value, bool):
                values[key] = value
            else:
                problems.append(source.problem(*at_value, "`routine_thumbnails` must be true or false",
                                               "write `routine_thumbnails = false`, without quotes"))
        elif key == "search":
            if isinstance(value, bool):
                values[key] = value
            else:
                problems.append(source.problem(*at_value, "`search` must be true or false",
                                               "write `search = true` or `search = false`, without quotes"))
        elif key == "vocabulary":
            vocabulary = _read_vocabulary(source, value, problems)
            if vocabulary is not None:
                values[key] = vocabulary
    if base_url is not None:
        url, hint = check_base_url(base_url)
        if url is None:
            problems.append(Problem("--base-url", 1, 1, f"`{base_url}` is not an http(s) URL or a path starting with `/`",
                                    hint))
        else:
            values["base_url"] = url
    return Config(root=root, **values), problems  # type: ignore[arg-type]


def _units_hint(value: object) -> str:
    """What to write instead of an unknown `units` value: the unit it names (`lbs`, `kilos`), or the choice."""
    named = UNIT_WORDS.get(value.strip().lower()) if isinstance(value, str) else None
    if named:
        return f"did you mean `{named}`?"
    return did_you_mean(str(value), UNITS) or 'write `units = "kg"` or `units = "lb"`, or leave it out to show loads as written'


def check_base_url(value: object) -> tuple[str | None, str]:
    """The base URL `value` with a trailing `/`, or None and a hint saying what is wrong with it."""
    if not isinstance(value, str):
        return None, _BASE_URL_EXAMPLE
    url = value.strip()
    parts = urlsplit(url)
    if any(char.isspace() or ord(char) < 0x20 or ord(char) == 0x7f for char in url):
        return None, "a URL has no spaces; write a space in a path as %20"
    if "\\" in url:
        return None, "write `/`, not `\\`: browsers read `\\` as `/`, so the links could point at another host"
    if "?" in url or "#" in url:
        return None, "a base URL has no `?query` or `#fragment`; " + _BASE_URL_EXAMPLE
    if url.startswith("//"):
        return None, 'a URL starting with `//` names a host; write "https://host/path/", or a path like "/blog/"'
    if parts.scheme in ("http", "https"):
        if not _HOST.match(parts.netloc):
            return None, 'write the host after the scheme, e.g. "https://example.com/blog/"'
    elif parts.scheme and _HOST.match(parts.scheme) and "." in parts.scheme:  # `example.com:8000/x`
        return None, f'add the scheme: "https://{url}"'
    elif parts.scheme or not url.startswith("/"):
        if not parts.scheme and _HOST.match(url.split("/")[0]) and "." in url.split("/")[0]:
            return None, f'add the scheme: "https://{url}"'
        if not parts.scheme:
            return None, f'start the path with `/`: "/{url}"'
        return None, f"`{parts.scheme}:` is not a web address; {_BASE_URL_EXAMPLE}"
    return (url if url.endswith("/") else url + "/"), ""


def _read_vocabulary(source: SourceFile, value: object, problems: list[Problem]) -> Vocabulary | None:
    if not isinstance(value, dict):
        problems.append(source.problem(*_key_position(source, "tool.fitfocus", "vocabulary"),
                                       "`vocabulary` must be a table"))
        return None
    base = Vocabulary()
    extended: dict[str, tuple[str, ...]] = {}
    for key, extra in value.items():
        where = _key_position(source, "tool.fitfocus.vocabulary", key)
        if key not in _VOCABULARY_KEYS:
            hint = did_you_mean(key, _VOCABULARY_KEYS) or f"known lists: {', '.join(_VOCABULARY_KEYS)}"
            problems.append(source.problem(*where, f"unknown vocabulary `{key}`", hint))
            continue
        if key == "muscle_regions":
            continue  # read below, once the site's own muscles are known
        at_value = _value_position(source, where)
        if not isinstance(extra, list) or not all(isinstance(v, str) for v in extra):
            problems.append(source.problem(*at_value, f"`{key}` must be a list of kebab-case names"))
            continue
        bad = [v for v in extra if not SLUG.match(v)]
        if bad:
            line = source.line(at_value[0]) or ""
            found = line.find(bad[0], at_value[1] - 1)
            col = found if found > 0 else at_value[1]  # the opening quote of the bad value
            problems.append(source.problem(at_value[0], col, f"`{bad[0]}` is not kebab-case",
                                           "use lowercase words joined by `-`, like `tibialis-posterior`"))
            continue
        current: tuple[str, ...] = getattr(base, key)
        extended[key] = current + tuple(v for v in extra if v not in current)
    muscles = extended.get("muscles", base.muscles)
    if "muscle_regions" in value:
        regions = _read_muscle_regions(source, value["muscle_regions"], muscles, problems)
        return Vocabulary(**extended, muscle_regions=regions)
    return Vocabulary(**extended)


def _read_muscle_regions(source: SourceFile, value: object, muscles: tuple[str, ...],
                         problems: list[Problem]) -> tuple[tuple[str, str], ...]:
    """`muscle_regions`: each of the site's own muscles and the built-in muscle it is drawn as."""
    if not isinstance(value, dict):
        where = _value_position(source, _key_position(source, "tool.fitfocus.vocabulary", "muscle_regions"))
        problems.append(source.problem(*where, "`muscle_regions` must be a table of muscle = region",
                                       f'for example [{_REGIONS_TABLE}] with tibialis-posterior = "calves"'))
        return ()
    built_in = Vocabulary().muscles
    regions = []
    inline = not any(line.strip().replace(" ", "") == f"[{_REGIONS_TABLE}]" for line in source.lines)
    for muscle, region in value.items():
        where = _key_position(source, _REGIONS_TABLE, muscle)
        if inline:  # `muscle_regions = { … }` on one line: point at the muscle inside it
            line, _ = _key_position(source, "tool.fitfocus.vocabulary", "muscle_regions")
            where = (line, (source.line(line) or "").find(muscle) + 1 or 1)
        at_value = where if inline else _value_position(source, where)
        if muscle in built_in:
            problems.append(source.problem(*where, f"`{muscle}` is a built-in muscle with a region of its own",
                                           "name regions only for the muscles the settings add"))
        elif muscle not in muscles:
            hint = did_you_mean(muscle, muscles[len(built_in):]) or f'add it to the vocabulary first: muscles = ["{muscle}"]'
            problems.append(source.problem(*where, f"`{muscle}` is not a muscle of the vocabulary", hint))
        elif not isinstance(region, str):
            problems.append(source.problem(*at_value, f"the region of `{muscle}` must be a string",
                                           f'name a built-in muscle in quotes, e.g. {muscle} = "calves"'))
        elif region not in built_in:
            hint = did_you_mean(region, built_in) or f"regions are the built-in muscles: {', '.join(built_in)}"
            problems.append(source.problem(*at_value, f"`{region}` is not a region of the muscle map", hint))
        else:
            regions.append((muscle, region))
    return tuple(regions)


def _toml_problem(source: SourceFile, error: tomllib.TOMLDecodeError) -> Problem:
    message = str(error)
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    if match:
        line, col = int(match.group(1)), int(match.group(2))
    elif "(at end of document)" in message:
        line = max(len(source.lines), 1)
        col = len(source.line(line) or "") + 1
    else:
        line, col = 1, 1
    message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", message) or "invalid TOML"
    if message == "Illegal character '\\n'":
        return source.problem(line, col, "invalid TOML: the string is not closed before the end of the line",
                              'add the closing `"`, or use `"""` around text that spans several lines')
    return source.problem(line, col, f"invalid TOML: {message}")


def _value_position(source: SourceFile, where: tuple[int, int]) -> tuple[int, int]:
    """The column of the value in a `key = value` line (for problems with the value, not the key)."""
    line = source.line(where[0]) or ""
    match = re.match(r"^[^=]*=\s*", line)
    return (where[0], len(match.group(0)) + 1) if match and len(match.group(0)) < len(line) else where


def _key_position(source: SourceFile, table: str, key: str) -> tuple[int, int]:
    """Find `key = …` inside `[table]` (TOML parsers give no positions); fall back to the table."""
    current = ""
    table_line = 1
    for number, line in enumerate(source.lines, start=1):
        stripped = line.strip()
        header = re.match(r"^\[\s*([^\]]+?)\s*\]$", stripped)
        if header:
            current = header.group(1).replace(" ", "")
            if current == table:
                table_line = number
            continue
        if current == table:
            match = re.match(rf"^(\s*)(\"?){re.escape(key)}\2\s*=", line)
            if match:
                return number, len(match.group(1)) + 1
    # A sub-table written as its own header, e.g. [tool.fitfocus.vocabulary].
    for number, line in enumerate(source.lines, start=1):
        if line.strip().replace(" ", "") == f"[{table}.{key}]":
            return number, 1
    return table_line, 1
