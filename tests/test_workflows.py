"""CI and repository metadata: workflows safe for forks, forms that GitHub accepts, a valid citation."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import case_dir

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent
CFFCONVERT = ROOT / ".venv-cff" / "bin" / "cffconvert"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40} # v\d+(\.\d+)*$")


def _run(*args: str) -> subprocess.CompletedProcess:
    """Run a command from the repository root and capture its output."""
    return subprocess.run(list(args), cwd=ROOT, capture_output=True, text=True, timeout=300)


def _load(path: Path) -> dict:
    """Parse a workflow; PyYAML reads the key 'on' as True, so put it back."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in doc:
        doc["on"] = doc.pop(True)
    return doc


def _steps(doc: dict):
    """Yield (job id, step) for every step of a workflow."""
    for job_id, job in doc["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def test_there_is_a_workflow():
    assert WORKFLOWS


def test_zizmor_reports_no_findings_offline():
    done = _run(str(BIN / "zizmor"), "--offline", "--no-progress", "--persona", "pedantic",
                ".github/workflows")
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"])
def test_workflows_match_githubs_schema(schema):
    done = _run(str(BIN / "check-jsonschema"), "--builtin-schema", schema, *map(str, WORKFLOWS))
    assert done.returncode == 0, done.stdout + done.stderr


def test_issue_forms_and_config_match_githubs_schemas():
    forms = [p for p in sorted((GITHUB / "ISSUE_TEMPLATE").glob("*.yml")) if p.name != "config.yml"]
    assert {p.name for p in forms} >= {"submit-event.yml", "correction.yml"}
    done = _run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-issue-forms", *map(str, forms))
    assert done.returncode == 0, done.stdout + done.stderr
    done = _run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-issue-config",
                str(GITHUB / "ISSUE_TEMPLATE" / "config.yml"))
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_safe_for_forks(path):
    text = path.read_text(encoding="utf-8")
    doc = _load(path)
    assert "pull_request_target" not in doc["on"]
    assert doc["permissions"] == {}
    assert "concurrency" in doc
    for job in doc["jobs"].values():
        assert "permissions" in job, "every job states its own permissions"
    for _, step in _steps(doc):
        if "uses" in step:
            line = next(ln for ln in text.splitlines() if f"uses: {step['uses']}" in ln)
            assert PINNED.match(line.split("uses: ", 1)[1]), f"not pinned to a SHA with a version: {line}"
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False
        script = step.get("run", "")
        assert "github.event" not in script and "head_ref" not in script, "untrusted text in a script"


def test_pull_requests_get_a_preview_and_main_deploys_to_pages():
    doc = _load(GITHUB / "workflows" / "ci.yml")
    assert "pull_request" in doc["on"] and doc["on"]["push"]["branches"] == ["main"]
    uses = [step.get("uses", "").split("@")[0] for _, step in _steps(doc)]
    assert {"actions/upload-artifact", "actions/upload-pages-artifact", "actions/deploy-pages"} <= set(uses)
    deploy = doc["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    scripts = " ".join(step.get("run", "") for _, step in _steps(doc))
    assert "::add-matcher::.github/matchers/dossier.json" in scripts
    assert "make test" in scripts and "make site" in scripts


def test_problem_matcher_reads_the_validators_output(tmp_path, today):
    matcher = json.loads((GITHUB / "matchers" / "dossier.json").read_text())["problemMatcher"][0]
    pattern = matcher["pattern"][0]
    data = case_dir("every-problem-at-once", tmp_path)
    done = _run(sys.executable, "build_pages.py", "check", "--data", str(data))
    lines = [ln for ln in done.stdout.splitlines() if ": error[" in ln or ": warning[" in ln]
    assert lines
    for line in lines:
        m = re.match(pattern["regexp"], line)
        assert m, line
        assert m.group(pattern["file"]).endswith(".yaml")
        assert int(m.group(pattern["line"])) >= 1
        assert m.group(pattern["severity"]) in ("error", "warning")
        assert re.fullmatch(r"[a-z0-9-]+", m.group(pattern["code"]))
    assert not re.match(pattern["regexp"], done.stdout.splitlines()[-1])  # the summary line


def test_pre_commit_hook_validates_changed_data_files():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    (repo,) = config["repos"]
    (hook,) = repo["hooks"]
    assert repo["repo"] == "local"
    assert re.search(hook["files"], "data/events.yaml") and not re.search(hook["files"], "docs/about.md")
    assert "build_pages.py check" in hook["entry"]
    assert hook["pass_filenames"] is False


def test_citation_is_valid_cff():
    done = _run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.citation-file-format", "CITATION.cff")
    assert done.returncode == 0, done.stdout + done.stderr
    if not CFFCONVERT.exists():
        pytest.skip("cffconvert lives in .venv-cff: run `make .venv-cff/.installed` (make test does)")
    done = _run(str(CFFCONVERT), "--validate", "-i", "CITATION.cff")
    assert done.returncode == 0, done.stdout + done.stderr


def test_licences_name_mit_for_code_and_cc_by_for_data():
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    data = (ROOT / "LICENSE-DATA").read_text()
    assert "CC BY 4.0" in data and "https://creativecommons.org/licenses/by/4.0/legalcode" in data
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["license"] == "CC-BY-4.0"
