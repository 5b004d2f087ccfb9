"""The GitHub Pages workflow: it parses, and builds and deploys in the right order with the right rights."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import REPO, SITES, copy_site, run_cli

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
BUILD_STEPS = ["actions/checkout@v4", "actions/setup-python@v5", "pip install", "actions/configure-pages@v5",
               "python build.py build", "actions/upload-pages-artifact@v3"]


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def step_names(steps: list[dict]) -> list[str]:
    """Each step as the action it uses (`owner/name@version`) or the command it runs."""
    return [step.get("uses") or step["run"] for step in steps]


def test_runs_on_push_to_main_and_by_hand(workflow: dict) -> None:
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in triggers


def test_has_the_rights_pages_needs_and_one_deployment_at_a_time(workflow: dict) -> None:
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_build_job_steps_in_order_with_pinned_major_versions(workflow: dict) -> None:
    steps = workflow["jobs"]["build"]["steps"]
    names = step_names(steps)
    positions = [next(i for i, name in enumerate(names) if expected in name) for expected in BUILD_STEPS]
    assert positions == sorted(positions), names
    assert len(names) == len(BUILD_STEPS)
    python = next(s for s in steps if s.get("uses") == "actions/setup-python@v5")
    assert python["with"]["cache"] == "pip" and python["with"]["cache-dependency-path"] == "pyproject.toml"
    pages = next(s for s in steps if s.get("uses") == "actions/configure-pages@v5")
    build = next(s for s in steps if "python build.py build" in s.get("run", ""))
    # configure-pages gives the base URL without its trailing slash; the build adds it. The runner is
    # thrown away after the job: the build writes no cache and no spare site for a later build.
    assert build["run"] == (
        f'python build.py build --no-cache --base-url "${{{{ steps.{pages["id"]}.outputs.base_url }}}}/"')
    upload = next(s for s in steps if s.get("uses") == "actions/upload-pages-artifact@v3")
    assert upload["with"]["path"] == "site/"


def test_deploy_job_deploys_the_artifact_after_the_build(workflow: dict) -> None:
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    (step,) = deploy["steps"]
    assert step["uses"] == "actions/deploy-pages@v4"
    assert deploy["environment"]["url"] == f"${{{{ steps.{step['id']}.outputs.page_url }}}}"


def test_every_action_is_pinned_to_a_major_version(workflow: dict) -> None:
    used = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert sorted(used) == sorted(["actions/checkout@v4", "actions/setup-python@v5", "actions/configure-pages@v5",
                                   "actions/upload-pages-artifact@v3", "actions/deploy-pages@v4"])


def test_the_build_step_works_with_the_url_configure_pages_gives(tmp_path: Path) -> None:
    """What the workflow runs, with configure-pages' output for a project site filled in."""
    root = copy_site(SITES / "small", tmp_path / "small")
    result = run_cli(root, "build", "--base-url", "https://user.github.io/repo" + "/")
    assert result.code == 0, result.err
    assert 'href="/repo/static/style.css"' in (root / "site" / "index.html").read_text()
