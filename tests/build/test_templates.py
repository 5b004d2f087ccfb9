"""Mistakes in the site's own templates are reported like any other problem, and nothing is written."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli
from test_golden import read_tree


def built(site: Path) -> dict[str, bytes]:
    assert run_cli(site, "build").code == 0
    return read_tree(site / "site")


def test_template_syntax_error_is_reported_at_its_line(small_site: Path) -> None:
    before = built(small_site)
    (small_site / "templates/page.html").write_text('{% extends "base.html" %}\n{% block content %}{{ page.title }\n')
    for command in ("build", "check"):
        result = run_cli(small_site, command)
        assert result.code == 1
        assert result.err == (
            "templates/page.html:2:1: error: template error: unexpected '}'\n"
            "    2 | {% block content %}{{ page.title }\n"
            "      | ^\n"
            "1 error; nothing was written.\n")
    assert read_tree(small_site / "site") == before


def test_template_error_while_rendering_names_the_template_line(small_site: Path) -> None:
    before = built(small_site)
    (small_site / "templates/page.html").write_text(
        '{% extends "base.html" %}\n{% block content %}\n{{ page.subtitle.upper() }}\n{% endblock %}\n')
    result = run_cli(small_site, "build")
    assert result.code == 1 and "Traceback" not in result.err
    assert result.err.startswith("templates/page.html:3:1: error: template error: "
                                 "'fitfocus.content.model.Page object' has no attribute 'subtitle'\n")
    assert read_tree(small_site / "site") == before


def test_missing_template_is_reported(small_site: Path) -> None:
    (small_site / "templates/tag.html").unlink()
    result = run_cli(small_site, "build")
    assert result.code == 1
    assert result.err.startswith("templates:1:1: error: template `tag.html` not found\n")
