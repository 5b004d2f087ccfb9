"""Mistakes in the site's own templates are reported like any other problem, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import jinja2

from conftest import run_cli
from fitfocus.build.templates import render_problem
from fitfocus.problems import Problem
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


def test_a_syntax_error_in_the_muscle_map_drawing_is_reported_at_its_line(small_site: Path) -> None:
    before = built(small_site)
    drawing = small_site / "templates/_muscle_map.svg"
    lines = drawing.read_text().splitlines()
    lines[1] = '  <title id="{{ id }}-title">{{ map.text }</title>'
    drawing.write_text("\n".join(lines) + "\n")
    result = run_cli(small_site, "check")
    assert result.code == 1
    assert result.err == (
        "templates/_muscle_map.svg:2:1: error: template error: unexpected '}'\n"
        '    2 |   <title id="{{ id }}-title">{{ map.text }</title>\n'
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


def _page_template(site: Path, content: str) -> None:
    (site / "templates/page.html").write_text('{% extends "base.html" %}\n{% block content %}\n' + content
                                              + '\n{% endblock %}\n')


def test_python_errors_raised_by_a_template_are_reported_at_its_line(small_site: Path) -> None:
    before = built(small_site)
    cases = {
        "{{ 1 // 0 }}": "integer division or modulo by zero (ZeroDivisionError)",
        "{{ page.title + 1 }}": 'can only concatenate str (not "int") to str (TypeError)',
        "{{ url(5) }}": "'int' object has no attribute 'lstrip' (AttributeError)",
    }
    for line, message in cases.items():
        _page_template(small_site, line)
        result = run_cli(small_site, "build")
        assert (result.code, result.out) == (1, "")
        assert result.err == (f"templates/page.html:3:1: error: template error: {message}\n"
                              f"    3 | {line}\n"
                              "      | ^\n"
                              "1 error; nothing was written.\n")
        assert read_tree(small_site / "site") == before


def test_a_template_that_includes_itself_is_reported_not_a_traceback(small_site: Path) -> None:
    before = built(small_site)
    _page_template(small_site, '{% include "page.html" %}')
    result = run_cli(small_site, "build")
    assert (result.code, result.out) == (1, "")
    assert result.err == ("templates/page.html:3:1: error: template error: "
                          "templates include or extend each other without end\n"
                          '    3 | {% include "page.html" %}\n'
                          "      | ^\n"
                          "1 error; nothing was written.\n")
    assert read_tree(small_site / "site") == before


def test_a_template_that_extends_itself_is_found_before_rendering(small_site: Path) -> None:
    before = built(small_site)
    base = (small_site / "templates/base.html").read_text()
    (small_site / "templates/base.html").write_text('{% extends "page.html" %}' + base)
    for command in ("build", "check"):
        result = run_cli(small_site, command)
        assert (result.code, result.out) == (1, "")
        hint = "  hint: a page template extends the one it builds on; base.html extends nothing\n"
        assert result.err == (
            "templates/base.html:1:1: error: template error: template `base.html` extends itself through others: "
            "`base.html` → `page.html` → `base.html`\n"
            f"    1 | {{% extends \"page.html\" %}}{base.splitlines()[0]}\n"
            "      | ^\n" + hint +
            "templates/page.html:1:1: error: template error: template `page.html` extends itself through others: "
            "`page.html` → `base.html` → `page.html`\n"
            '    1 | {% extends "base.html" %}\n'
            "      | ^\n" + hint +
            "2 errors; nothing was written.\n")
    assert read_tree(small_site / "site") == before


def test_render_problem_leaves_errors_no_template_raised_to_the_engine(tmp_path: Path) -> None:
    try:
        raise ZeroDivisionError("not in a template")
    except ZeroDivisionError as error:
        assert render_problem(error, tmp_path / "templates", tmp_path) is None


def test_render_problem_places_an_error_at_the_innermost_template_line(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text("one\n{{ 1 // zero }}\n")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates))
    try:
        env.get_template("page.html").render(zero=0)
    except ZeroDivisionError as error:
        problem = render_problem(error, templates, tmp_path)
    assert problem == Problem("templates/page.html", 2, 1,
                              "template error: integer division or modulo by zero (ZeroDivisionError)",
                              None, "{{ 1 // zero }}")
