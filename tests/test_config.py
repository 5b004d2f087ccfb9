"""Settings in pyproject.toml: defaults, checks and positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from fitfocus.pages.urls import Urls
from fitfocus.config import load_config


def settings(tmp_path: Path, text: str):
    (tmp_path / "pyproject.toml").write_text(text)
    return load_config(tmp_path)


def test_defaults_when_the_table_is_absent(tmp_path: Path) -> None:
    config, problems = settings(tmp_path, "[project]\nname = 'x'\n")
    assert problems == []
    assert (config.base_url, config.card_size, config.posts_per_page) == ("/", "A5", 10)


def test_unknown_setting_is_reported_at_its_line_with_a_suggestion(tmp_path: Path) -> None:
    _, problems = settings(tmp_path, "[tool.fitfocus]\ntitle = 'A'\ndisclaimer_shrt = 'x'\n")
    assert [(p.line, p.col, p.message, p.hint) for p in problems] == [
        (3, 1, "unknown setting `disclaimer_shrt`", "did you mean `disclaimer_short`?")]


def test_base_url_gets_a_trailing_slash_and_cli_overrides_it(tmp_path: Path) -> None:
    config, _ = settings(tmp_path, "[tool.fitfocus]\nbase_url = 'https://u.github.io/repo'\n")
    assert (config.base_url, Urls(config.base_url).base_path) == ("https://u.github.io/repo/", "/repo/")
    config, problems = load_config(tmp_path, base_url="https://other.org/x/")
    assert problems == [] and config.base_url == "https://other.org/x/"


def test_vocabulary_additions_must_be_kebab_case(tmp_path: Path) -> None:
    text = "[tool.fitfocus.vocabulary]\nmuscles = ['tibialis-posterior']\nequipment = ['Sand Bag']\n"
    config, problems = settings(tmp_path, text)
    assert [(p.line, p.message) for p in problems] == [(3, "`Sand Bag` is not kebab-case")]
    assert config.vocabulary.muscles[-1] == "tibialis-posterior"


def test_invalid_toml_is_reported_with_its_position(tmp_path: Path) -> None:
    _, problems = settings(tmp_path, "[tool.fitfocus]\ntitle = \nauthor = 'x'\n")
    assert (problems[0].line, problems[0].col, problems[0].message) == (2, 9, "invalid TOML: Invalid value")
    _, problems = settings(tmp_path, "[tool.fitfocus]\ntitle = 'unclosed")
    assert (problems[0].line, problems[0].col, problems[0].message) == (2, 18, "invalid TOML: Expected \"'\"")


def test_card_size_must_be_a_known_one(tmp_path: Path) -> None:
    _, problems = settings(tmp_path, "[tool.fitfocus]\ncard_size = 'a5'\n")
    assert (problems[0].message, problems[0].hint) == ("unknown card size `a5`", "did you mean `A5`?")


def test_feed_content_is_full_by_default_and_summary_when_asked(tmp_path: Path) -> None:
    config, problems = settings(tmp_path, "[tool.fitfocus]\ntitle = 'A'\n")
    assert problems == [] and config.feed_content == "full"
    config, problems = settings(tmp_path, "[tool.fitfocus]\nfeed_content = 'summary'\n")
    assert problems == [] and config.feed_content == "summary"
    _, problems = settings(tmp_path, "[tool.fitfocus]\nfeed_content = 'summaries'\n")
    assert [(p.line, p.col, p.message, p.hint) for p in problems] == [
        (2, 16, "unknown feed content `summaries`", "did you mean `summary`?")]


@pytest.mark.parametrize(("value", "hint"), [
    ("/\\\\evil.example/", "write `/`, not `\\`: browsers read `\\` as `/`, so the links could point at another host"),
    ("//evil.example/", 'a URL starting with `//` names a host; write "https://host/path/", or a path like "/blog/"'),
    ("javascript:alert(1)", '`javascript:` is not a web address; for example "https://user.github.io/repo/"'),
    ("/my blog/", "a URL has no spaces; write a space in a path as %20"),
    ("example.com/blog/", 'add the scheme: "https://example.com/blog/"'),
    ("blog/", 'start the path with `/`: "/blog/"'),
    ("https:///blog/", 'write the host after the scheme, e.g. "https://example.com/blog/"'),
    ("https://me@evil.example/", 'write the host after the scheme, e.g. "https://example.com/blog/"'),
    ("https://x.org/?a=1", 'a base URL has no `?query` or `#fragment`; for example "https://user.github.io/repo/"'),
])
def test_a_base_url_that_is_no_url_is_reported_at_its_value(tmp_path: Path, value: str, hint: str) -> None:
    _, problems = settings(tmp_path, f'[tool.fitfocus]\nbase_url = "{value}"\n')
    assert [(p.line, p.col, p.message, p.hint) for p in problems] == [
        (2, 12, "`base_url` must be an http(s) URL or a path starting with `/`", hint)]


@pytest.mark.parametrize(("value", "url"), [("https://u.github.io/repo", "https://u.github.io/repo/"),
                                            ("http://localhost:8000/", "http://localhost:8000/"),
                                            ("/fit/blog", "/fit/blog/"), ("/", "/")])
def test_web_urls_and_paths_are_base_urls(tmp_path: Path, value: str, url: str) -> None:
    config, problems = settings(tmp_path, f'[tool.fitfocus]\nbase_url = "{value}"\n')
    assert (problems, config.base_url) == ([], url)


def test_a_bad_base_url_option_gets_the_same_hint(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.fitfocus]\n")
    _, problems = load_config(tmp_path, base_url="//evil.example/")
    assert [(p.path, p.message, p.hint) for p in problems] == [
        ("--base-url", "`//evil.example/` is not an http(s) URL or a path starting with `/`",
         'a URL starting with `//` names a host; write "https://host/path/", or a path like "/blog/"')]


def test_a_pyproject_folder_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").mkdir()
    _, problems = load_config(tmp_path)
    assert [(p.path, p.line, p.col, p.message, p.hint) for p in problems] == [
        ("pyproject.toml", 1, 1, "pyproject.toml is a folder, not a file",
         "the settings live in a file named pyproject.toml beside content/")]


def test_an_unreadable_pyproject_is_a_located_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.fitfocus]\n")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)  # as chmod 000 does, also when the tests run as root
    _, problems = load_config(tmp_path)
    assert [(p.path, p.message, p.hint) for p in problems] == [
        ("pyproject.toml", "cannot read pyproject.toml (Permission denied)",
         "check that you may read the file, e.g. `chmod u+r pyproject.toml`")]


@pytest.mark.parametrize(("written", "hint"), [
    ("'lbs'", "did you mean `lb`?"),
    ("'Kilos'", "did you mean `kg`?"),
    ("'kgg'", "did you mean `kg`?"),
    ("'stone'", 'write `units = "kg"` or `units = "lb"`, or leave it out to show loads as written'),
    ("2", 'write `units = "kg"` or `units = "lb"`, or leave it out to show loads as written'),
])
def test_units_must_be_kg_or_lb(tmp_path: Path, written: str, hint: str) -> None:
    config, problems = settings(tmp_path, f"[tool.fitfocus]\nunits = {written}\n")
    shown = written.strip("'")
    assert [(p.line, p.col, p.message, p.hint) for p in problems] == [(2, 9, f"unknown unit `{shown}`", hint)]
    assert config.units is None


def test_units_default_to_as_written(tmp_path: Path) -> None:
    assert settings(tmp_path, "[tool.fitfocus]\n")[0].units is None
    assert settings(tmp_path, "[tool.fitfocus]\nunits = 'lb'\n")[0].units == "lb"


def test_a_site_muscle_can_name_the_region_it_is_drawn_as(tmp_path: Path) -> None:
    text = ("[tool.fitfocus.vocabulary]\nmuscles = ['tibialis-posterior', 'serratus']\n\n"
            "[tool.fitfocus.vocabulary.muscle_regions]\ntibialis-posterior = 'calves'\n")
    config, problems = settings(tmp_path, text)
    assert problems == []
    assert config.vocabulary.muscle_regions == (("tibialis-posterior", "calves"),)
    assert config.vocabulary.muscles[-2:] == ("tibialis-posterior", "serratus")  # serratus: listed, not drawn


def test_muscle_regions_may_be_an_inline_table(tmp_path: Path) -> None:
    text = "[tool.fitfocus.vocabulary]\nmuscles = ['serratus']\nmuscle_regions = { serratus = 'obliques' }\n"
    config, problems = settings(tmp_path, text)
    assert problems == [] and config.vocabulary.muscle_regions == (("serratus", "obliques"),)


def test_muscle_region_mistakes_are_located_with_a_suggestion(tmp_path: Path) -> None:
    text = ("[tool.fitfocus.vocabulary]\nmuscles = ['tibialis-posterior', 'serratus']\n\n"
            "[tool.fitfocus.vocabulary.muscle_regions]\n"
            "tibialis-posterior = 'calfs'\nserratus = 3\ncalves = 'shins'\nrotator-cuff = 'shoulders'\n"
            "seratus = 'obliques'\n")
    config, problems = settings(tmp_path, text)
    assert [(p.line, p.col, p.message, p.hint) for p in problems] == [
        (5, 22, "`calfs` is not a region of the muscle map", "did you mean `calves`?"),
        (6, 12, "the region of `serratus` must be a string", 'name a built-in muscle in quotes, e.g. serratus = "calves"'),
        (7, 1, "`calves` is a built-in muscle with a region of its own",
         "name regions only for the muscles the settings add"),
        (8, 1, "`rotator-cuff` is not a muscle of the vocabulary",
         'add it to the vocabulary first: muscles = ["rotator-cuff"]'),
        (9, 1, "`seratus` is not a muscle of the vocabulary", "did you mean `serratus`?"),
    ]
    assert config.vocabulary.muscle_regions == ()


def test_an_unknown_region_lists_the_regions_when_nothing_is_close(tmp_path: Path) -> None:
    text = "[tool.fitfocus.vocabulary]\nmuscles = ['serratus']\nmuscle_regions = { serratus = 'ribs' }\n"
    _, problems = settings(tmp_path, text)
    assert [(p.line, p.col, p.message) for p in problems] == [(3, 20, "`ribs` is not a region of the muscle map")]
    assert problems[0].hint is not None and problems[0].hint.startswith(
        "regions are the built-in muscles: abductors, adductors, biceps, calves,")


def test_muscle_regions_must_be_a_table(tmp_path: Path) -> None:
    text = "[tool.fitfocus.vocabulary]\nmuscles = ['serratus']\nmuscle_regions = ['serratus']\n"
    _, problems = settings(tmp_path, text)
    assert [(p.line, p.col, p.message, p.hint) for p in problems] == [
        (3, 18, "`muscle_regions` must be a table of muscle = region",
         'for example [tool.fitfocus.vocabulary.muscle_regions] with tibialis-posterior = "calves"')]
