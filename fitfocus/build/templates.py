"""The site's own templates are author input too: their mistakes become problems, not tracebacks."""

from __future__ import annotations

import traceback
from pathlib import Path

import jinja2

from fitfocus.problems import Problem, SourceFile

TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")


def check_templates(templates: Path, root: Path) -> list[Problem]:
    """Parse every template under `templates/`; return a problem for each syntax error."""
    if not templates.is_dir():
        return [Problem(_shown(templates, root), 1, 1, "templates folder not found",
                        "the site's templates live in templates/ beside pyproject.toml")]
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates), autoescape=True)
    problems = []
    for path in sorted(templates.rglob("*")):
        if not path.is_file() or path.suffix not in TEMPLATE_SUFFIXES or "static" in path.relative_to(templates).parts:
            continue
        try:
            env.parse(path.read_text("utf-8"), path.name, str(path))
        except jinja2.TemplateSyntaxError as error:
            problems.append(_at(path, root, error.lineno or 1, f"template error: {error.message}"))
        except UnicodeDecodeError:
            problems.append(Problem(_shown(path, root), 1, 1, "file is not UTF-8 text"))
    return problems


def render_problem(error: jinja2.TemplateError, templates: Path, root: Path) -> Problem:
    """Turn an error raised while rendering into a problem at the template line that raised it."""
    message = f"template error: {error.message or type(error).__name__}"
    if isinstance(error, jinja2.TemplateNotFound):
        return Problem(_shown(templates, root), 1, 1, f"template `{error.name}` not found",
                       "every page type needs its template in templates/; restore it from the repository")
    frames = [f for f in traceback.extract_tb(error.__traceback__) if _inside(Path(f.filename), templates)]
    if frames:
        return _at(Path(frames[-1].filename), root, frames[-1].lineno or 1, message)
    return Problem(_shown(templates, root), 1, 1, message)


def _at(path: Path, root: Path, line: int, message: str) -> Problem:
    source = SourceFile(path, _shown(path, root), path.read_text("utf-8", "replace"))
    return source.problem(line, 1, message)


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except (ValueError, OSError):
        return False


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
