"""Page keys cover every input by construction: change any one input a page is made from and the
keys of the pages that show it change. A new setting, a new thing templates are given or a new
FileContext field is covered without anyone writing a key for it; these tests fail if not."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

from conftest import SITES, copy_site
from fitfocus.build.templates import template_files
from fitfocus.config import Config, load_config
from fitfocus.content.files import FileContext
from fitfocus.content.library import index_library
from fitfocus.content.loader import load_content
from fitfocus.content.vocabulary import Vocabulary
from fitfocus.incremental.fingerprints import Fingerprints
from fitfocus.incremental.keys import page_keys
from fitfocus.incremental.records import CachedReader
from fitfocus.pages.plan import plan_pages

TODAY = datetime.date(2026, 12, 1)


# Settings with a closed set of values, and another valid one each.
CHOICES = {"card_size": "A4", "feed_content": "summary", "base_url": "https://fit.example.org/blog/", "units": "lb"}


def other(value: object) -> object:
    """A different value of the same type."""
    if isinstance(value, Config):
        return dataclasses.replace(value, title=value.title + "x")
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, tuple):
        return value + ("Another",)
    if isinstance(value, Path):
        return value / "elsewhere"
    if isinstance(value, Vocabulary):
        return dataclasses.replace(value, muscles=value.muscles + ("tibialis-posterior",))
    if isinstance(value, frozenset):
        return value | {"media/new.jpg"}
    if isinstance(value, datetime.date):
        return value + datetime.timedelta(days=1)
    raise AssertionError(f"no other value for {value!r}: teach this test the new field's type")


def keys_for(site: Path, config: Config) -> dict[str, str]:
    reader = CachedReader({})
    loaded = load_content(config, TODAY, reader)
    library = index_library(loaded.content, config)
    fingerprints = Fingerprints()
    fingerprints.start_build(dict(_keys(reader)))
    return page_keys(plan_pages(library), library, template_files(site / "templates"), fingerprints)


def _keys(reader: CachedReader):
    from fitfocus.incremental.records import entry_keys
    for entry in reader.entries.values():
        yield from entry_keys(entry).items()


def test_every_setting_is_in_every_page_key(tmp_path: Path) -> None:
    site = copy_site(SITES / "small", tmp_path / "small")
    config, problems = load_config(site)
    assert problems == []
    before = keys_for(site, config)
    for field in dataclasses.fields(Config):
        value = CHOICES.get(field.name) or other(getattr(config, field.name))
        changed = dataclasses.replace(config, **{field.name: value})
        after = keys_for(site, changed)
        same = sorted(name for name in before.keys() & after.keys() if before[name] == after[name])
        assert same == [], f"pages whose key ignores the setting `{field.name}`: {same[:5]}"


def test_every_part_of_a_files_context_is_in_its_key() -> None:
    config = Config(root=Path("/blog"))
    context = FileContext(config, TODAY, frozenset({"media/a.jpg"}))
    base = Fingerprints().of(context)
    for field in dataclasses.fields(FileContext):
        changed = dataclasses.replace(context, **{field.name: other(getattr(context, field.name))})
        assert Fingerprints().of(changed) != base, field.name


def test_the_same_files_give_the_same_keys(tmp_path: Path) -> None:
    site = copy_site(SITES / "small", tmp_path / "small")
    config, _ = load_config(site)
    assert keys_for(site, config) == keys_for(site, config)
